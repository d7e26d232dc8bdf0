import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import type * as NodeLlamaCppModule from 'node-llama-cpp';
import type { ChatMessage } from '../../domain/llm/build-prompt';
import { toGrammarSchema } from '../../domain/llm/grammar-schema';
import { ClassifiedError, FailureType } from '../../domain/failures';
import { LlmConfigError, type LlmConfig } from './config';
import { Semaphore } from './semaphore';
import type { ChatTransport, CompleteOptions, Completion } from './transport';

type NodeLlamaCpp = typeof NodeLlamaCppModule;
type Llama = Awaited<ReturnType<NodeLlamaCpp['getLlama']>>;
type LlamaModel = Awaited<ReturnType<Llama['loadModel']>>;
type LlamaContextSequence = ReturnType<Awaited<ReturnType<LlamaModel['createContext']>>['getSequence']>;
type ChatHistoryItem = Parameters<InstanceType<NodeLlamaCpp['LlamaChat']>['generateResponse']>[0][number];

/**
 * node-llama-cpp is ESM with top-level await: `require` cannot load it, and TypeScript's CommonJS
 * output would turn a plain `import()` into one. This native import() is left alone by tsc, tsx and
 * esbuild; processes that never use the local provider never load the package.
 */
const importEsm = new Function('specifier', 'return import(specifier)') as (specifier: string) => Promise<NodeLlamaCpp>;

/** One loaded GGUF: its context sequence generates one answer at a time. */
interface LocalModel {
  llama: Llama;
  sequence: LlamaContextSequence;
  lib: NodeLlamaCpp;
  threads: number;
  /** Calls to one model instance run one after another (one context sequence, and the cores are the bottleneck). */
  turn: Semaphore;
}

/** One model per process and file: every SdkLlm built on the same path shares it. */
const loaded = new Map<string, Promise<LocalModel>>();

/** Largest context the local model is given (tokens); prompts plus a repair turn stay well inside it. */
const MAX_CONTEXT_TOKENS = 8192;

/**
 * Threads for llama.cpp: LLM_THREADS, never above the physical cores; by default one core is left to
 * the Temporal server and the workers. llama.cpp's threads wait for each other at every step, so any
 * thread that loses its core stalls all of them. Measured on this 2-core machine: node-llama-cpp's
 * default of 4 threads took 238 s for a forecast that 2 threads answer in 1.9 s on an idle box; with
 * other processes busy (load ≈ 10) a T-A style took 110–117 s on 2 threads and 8–14 s on 1.
 */
export function chooseThreads(requested: number | null, physicalCores: number, logicalCpus: number): number {
  const cores = Math.max(1, Math.min(physicalCores, logicalCpus));
  return Math.max(1, Math.min(requested ?? cores - 1, cores));
}

/**
 * `LLM_PROVIDER=local`: a GGUF model run in-process by node-llama-cpp (llama.cpp, CPU), the keyless
 * private option. Generation is constrained by a grammar built from the step's JSON Schema, so the
 * reply is JSON of the right shape; ranges and agreement rules are still validated afterwards.
 */
export function createLocalTransport(config: LlmConfig): ChatTransport {
  const path = config.modelPath;
  if (path === null) throw new LlmConfigError('provider local needs LLM_MODEL_PATH (a GGUF file)');
  if (!existsSync(path))
    throw new LlmConfigError(
      `LLM_MODEL_PATH ${path}: no such file (scripts/setup --browser fetches the test model into ~/.cache/trading-desk/models/)`,
    );
  const maxStringChars = Math.max(16, Math.floor(config.maxTokens / 2));
  return {
    servesOnly: config.model,
    async complete(_model: string, messages: readonly ChatMessage[], options?: CompleteOptions): Promise<Completion> {
      const local = await loadLocalModel(path, config.threads);
      const grammarSchema = options?.jsonSchema ? toGrammarSchema(options.jsonSchema, maxStringChars) : null;
      return local.turn.run(() => generate(local, messages, grammarSchema, config));
    },
  };
}

/** Loads (once per process) the model at `path`; a load failure is remembered and fails every call alike. */
export function loadLocalModel(path: string, threads: number | null): Promise<LocalModel> {
  let model = loaded.get(path);
  if (!model) {
    model = openModel(path, threads);
    loaded.set(path, model);
  }
  return model;
}

async function openModel(path: string, requested: number | null): Promise<LocalModel> {
  try {
    const lib = await importEsm('node-llama-cpp');
    // gpu: false: the CPU build everywhere, so a missing or broken GPU driver cannot change answers or hang a worker.
    const probe = await lib.getLlama({ gpu: false, build: 'never', logLevel: lib.LlamaLogLevel.error, maxThreads: 1 });
    const threads = chooseThreads(requested, probe.cpuMathCores, availableParallelism());
    probe.maxThreads = threads;
    const model = await probe.loadModel({ modelPath: path });
    const context = await model.createContext({
      contextSize: { max: Math.min(MAX_CONTEXT_TOKENS, model.trainContextSize) },
      threads,
      sequences: 1,
    });
    return { llama: probe, sequence: context.getSequence(), lib, threads, turn: new Semaphore(1) };
  } catch (err) {
    throw new ClassifiedError(
      FailureType.LlmBadRequest,
      `local model ${path} could not be loaded: ${err instanceof Error ? err.message : String(err)}`,
      false,
    );
  }
}

async function generate(
  local: LocalModel,
  messages: readonly ChatMessage[],
  grammarSchema: Record<string, unknown> | null,
  config: LlmConfig,
): Promise<Completion> {
  // The sequence keeps the previous call's tokens: llama.cpp evaluates only what follows the shared prefix,
  // so a repair turn (the same conversation plus two messages) costs its new tokens, not the whole prompt
  // again. tokensIn is still the whole prompt, as an HTTP provider counts it, so the figures compare.
  const outBefore = local.sequence.tokenMeter.usedOutputTokens;
  const grammar =
    grammarSchema === null ? undefined : await local.llama.createGrammarForJsonSchema(grammarSchema as never);
  const chat = new local.lib.LlamaChat({ contextSequence: local.sequence });
  const history = toHistory(messages);
  const promptTokens = chat.chatWrapper
    .generateContextState({ chatHistory: history })
    .contextText.tokenize(chat.model.tokenizer).length;
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(), config.timeoutMs);
  try {
    const reply = await chat.generateResponse(history, {
      ...(grammar ? { grammar } : {}),
      maxTokens: config.maxTokens,
      temperature: config.temperature,
      signal: timeout.signal,
    });
    return {
      text: reply.response,
      tokensIn: promptTokens,
      tokensOut: local.sequence.tokenMeter.usedOutputTokens - outBefore,
      model: config.model,
    };
  } catch (err) {
    if (timeout.signal.aborted)
      throw new ClassifiedError(
        FailureType.LlmTimeout,
        `local model ${config.model}: no answer within ${config.timeoutMs} ms`,
        true,
      );
    throw new ClassifiedError(
      FailureType.LlmServerError,
      `local model ${config.model}: ${err instanceof Error ? err.message : String(err)}`,
      true,
    );
  } finally {
    clearTimeout(timer);
    chat.dispose({ disposeSequence: false });
  }
}

/** The desk's provider-neutral conversation in node-llama-cpp's history shape, ending with the turn to generate. */
function toHistory(messages: readonly ChatMessage[]): ChatHistoryItem[] {
  const history: ChatHistoryItem[] = messages.map((m) =>
    m.role === 'assistant'
      ? { type: 'model', response: [m.content] }
      : m.role === 'system'
        ? { type: 'system', text: m.content }
        : { type: 'user', text: m.content },
  );
  return [...history, { type: 'model', response: [] }];
}
