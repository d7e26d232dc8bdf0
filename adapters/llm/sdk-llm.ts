import { buildMessages, buildRepairMessages, describeSchema, type ChatMessage } from '../../domain/llm/build-prompt';
import { findPrice, priceTokens } from '../../domain/llm/price-usage';
import { validateOutput, validateValue } from '../../domain/llm/validate-output';
import { ClassifiedError, FailureType } from '../../domain/failures';
import { addUsage, fallbackUsage, ZERO_USAGE, type LlmUsage } from '../../domain/schemas/llm';
import { hashJson, type BlobStore } from '../store/blob-store';
import { checkBudget } from './budget';
import { classifyLlmError } from './classify-error';
import type { LlmConfig } from './config';
import type { CostLedger } from './cost-ledger';
import { LlmGuard, type Refusal } from './llm-guard';
import { Semaphore } from './semaphore';
import type { ChatTransport } from './transport';
import type { Llm, Reasoned, ReasoningTask } from './types';

/** What a cache key identifies: everything that changes the model's answer, and no secret. */
export interface LlmRequest {
  provider: string;
  model: string;
  messages: ChatMessage[];
  temperature: number;
  maxTokens: number;
}

/** Stored per answered request, named by the request hash; provenance carries its content hash. */
export interface LlmCallRecord {
  request: LlmRequest;
  responseText: string;
  parsed: unknown;
  usage: LlmUsage;
  model: string;
  /** Rejected replies before the accepted one, with the validation errors sent back. */
  repairs: { text: string; errors: string[]; contradiction: boolean }[];
}

export interface SdkLlmDeps {
  transport: ChatTransport;
  blobs: BlobStore;
  ledger: CostLedger;
  now: () => number;
  /** Where breaker and auth-halt warnings go. @default console.warn */
  warn?: (message: string) => void;
}

/**
 * An Llm backed by a chat transport (a vendor SDK, or the local model): cache → guard (breaker, auth halt)
 * → budget → call → validate (fields, then agreement) → repair, with every call costed.
 */
export class SdkLlm implements Llm {
  readonly provider: 'openai' | 'anthropic' | 'local';
  readonly model: string;
  private readonly slots: Semaphore;
  private readonly guard: LlmGuard;

  constructor(
    private readonly config: LlmConfig & { provider: 'openai' | 'anthropic' | 'local' },
    private readonly deps: SdkLlmDeps,
  ) {
    this.provider = config.provider;
    this.model = deps.transport.servesOnly ?? config.model;
    this.slots = new Semaphore(config.concurrency);
    this.guard = new LlmGuard({ failureThreshold: config.breakerFailures, cooldownMs: config.breakerCooldownMs }, deps);
  }

  async reason<T>(task: ReasoningTask<T>): Promise<Reasoned<T>> {
    // A transport that serves one model (the local one) answers every agent with it: the cache key and ledger say so.
    const model = this.deps.transport.servesOnly ?? task.model ?? this.config.model;
    const request: LlmRequest = {
      provider: this.provider,
      model,
      messages: buildMessages(task),
      temperature: this.config.temperature,
      maxTokens: this.config.maxTokens,
    };
    const key = hashJson(request);
    const hit = await this.readCache(key, task);
    if (hit) return hit;

    const refusal = this.guard.admit();
    if (refusal) return fallbackOf(task, model, refusal, ZERO_USAGE);
    try {
      const answer = await this.ask(task, request, key, model);
      if (answer.provenance.source === 'llm') this.guard.succeeded();
      else this.guard.released();
      return answer;
    } catch (err) {
      if (err instanceof ClassifiedError) this.guard.failed(err);
      throw err;
    }
  }

  /** budget → call → validate → repair; every reply is costed, invalid ones included. */
  private async ask<T>(task: ReasoningTask<T>, request: LlmRequest, key: string, model: string): Promise<Reasoned<T>> {
    // A model running in this process bills nothing, whatever a '*' entry of LLM_PRICES_JSON says.
    const price = this.provider === 'local' ? FREE : findPrice(this.config.prices, model);
    let messages = request.messages;
    const jsonSchema = describeSchema(task.schema);
    let usage = ZERO_USAGE;
    const repairs: LlmCallRecord['repairs'] = [];
    for (let attempt = 0; attempt <= this.config.maxRepairs; attempt++) {
      const outcome = await this.slots.run(async () => {
        const refusal = await checkBudget(
          this.config,
          this.deps.ledger,
          price,
          messages,
          task.sessionId,
          this.deps.now(),
        );
        if (refusal !== null) return { kind: 'refused', refusal } as const;
        try {
          return {
            kind: 'answered',
            completion: await this.deps.transport.complete(model, messages, { jsonSchema }),
          } as const;
        } catch (err) {
          const classified = classifyLlmError(err, this.provider, this.config.apiKey, this.deps.now());
          // Replies already billed in this step (invalid ones before a failed repair) travel with the error.
          throw usage.calls === 0
            ? classified
            : new ClassifiedError(
                classified.type,
                classified.message,
                classified.retryable,
                classified.retryAfterMs,
                usage,
              );
        }
      });
      if (outcome.kind === 'refused') {
        return fallbackOf(task, model, { type: FailureType.LlmBudgetExceeded, warning: outcome.refusal }, usage);
      }
      const { completion } = outcome;
      const costUsd = priceTokens(
        price ?? findPrice(this.config.prices, completion.model),
        completion.tokensIn,
        completion.tokensOut,
      );
      const check = validateOutput(task.schema, completion.text);
      const contradiction = !check.ok && check.contradiction;
      const callUsage = {
        ...ZERO_USAGE,
        calls: 1,
        tokensIn: completion.tokensIn,
        tokensOut: completion.tokensOut,
        costUsd,
        invalidOutputs: check.ok ? 0 : 1,
        contradictions: contradiction ? 1 : 0,
      };
      usage = addUsage(usage, callUsage);
      await this.deps.ledger.record({
        ...this.costKeys(task, model),
        cached: false,
        invalid: !check.ok,
        ...(contradiction ? { contradiction } : {}),
        tokensIn: completion.tokensIn,
        tokensOut: completion.tokensOut,
        costUsd,
        atMs: this.deps.now(),
      });

      if (check.ok) {
        const record: LlmCallRecord = {
          request,
          responseText: completion.text,
          parsed: check.value,
          usage,
          model: completion.model,
          repairs,
        };
        const hash = await this.deps.blobs.put(record);
        await this.deps.blobs.putNamed(key, record);
        const warning =
          repairs.length === 0
            ? null
            : `output repaired after ${repairs.length} invalid repl${repairs.length === 1 ? 'y' : 'ies'}`;
        return { value: check.value, provenance: { source: 'llm', hash, model: completion.model, warning, usage } };
      }
      repairs.push({ text: completion.text, errors: check.errors, contradiction });
      messages = buildRepairMessages(messages, completion.text, check.errors);
    }
    // Keep the failed exchange for post-mortems; the error carries its hash, never the prompt.
    const failedHash = await this.deps.blobs.put({ request, responseText: null, parsed: null, usage, model, repairs });
    const last = repairs.at(-1);
    const lastErrors = last?.errors.slice(0, 5).join('; ') ?? 'unknown';
    // The step's failure is named after its last reply: well-formed but self-contradictory, or malformed.
    throw new ClassifiedError(
      last?.contradiction === true ? FailureType.LlmContradiction : FailureType.LlmInvalidOutput,
      `${this.provider} ${model}: ${task.step} reply ${last?.contradiction === true ? 'self-contradictory' : 'invalid'} after ${repairs.length} attempts (${lastErrors}); record ${failedHash}`,
      false,
      null,
      usage,
    );
  }

  private async readCache<T>(key: string, task: ReasoningTask<T>): Promise<Reasoned<T> | null> {
    const cached = await this.deps.blobs.getNamed<LlmCallRecord>(key);
    if (!cached) return null;
    // The contract may have tightened since the answer was stored: revalidate, and treat a misfit as a miss.
    const check = validateValue(task.schema, cached.parsed);
    if (!check.ok) return null;
    await this.deps.ledger.record({
      ...this.costKeys(task, cached.request.model),
      cached: true,
      tokensIn: 0,
      tokensOut: 0,
      costUsd: 0,
      atMs: this.deps.now(),
    });
    return {
      value: check.value,
      provenance: {
        source: 'cache',
        hash: hashJson(cached),
        model: cached.model,
        warning: null,
        usage: { ...ZERO_USAGE, cachedCalls: 1 },
      },
    };
  }

  private costKeys<T>(task: ReasoningTask<T>, model: string) {
    return { sessionId: task.sessionId, iterationId: task.iterationId, agentId: task.agentId, step: task.step, model };
  }
}

const FREE = { inputPerMTok: 0, outputPerMTok: 0 };

/** The offline reasoner's answer in the LLM's place, charged with what was spent before and counted as a fallback. */
function fallbackOf<T>(task: ReasoningTask<T>, model: string, refusal: Refusal, spent: LlmUsage): Reasoned<T> {
  return {
    value: task.heuristic(),
    provenance: {
      source: 'fallback',
      hash: null,
      model,
      warning: refusal.warning,
      usage: addUsage(spent, fallbackUsage(refusal.type)),
    },
  };
}
