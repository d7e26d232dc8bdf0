import { basename } from 'node:path';
import { z } from 'zod';
import { ClassifiedError, FailureType } from '../../domain/failures';
import { cutoffEndMs } from '../../domain/llm/training-cutoff';
import { EnvConfigError, MAX_TIMER_MS, readEnvBoolean, readEnvNumber } from '../config/env-values';
import { DEFAULT_PRICES } from './prices';
import { Secret } from './secret';

export const LlmProvider = {
  Heuristic: 'heuristic',
  OpenAi: 'openai',
  Anthropic: 'anthropic',
  Local: 'local',
} as const;
export type LlmProviderName = (typeof LlmProvider)[keyof typeof LlmProvider];

const DEFAULT_MODELS: Record<Exclude<LlmProviderName, 'local'>, string> = {
  heuristic: 'heuristic',
  openai: 'gpt-4o-mini',
  anthropic: 'claude-3-5-haiku-latest',
};

/** Calls in flight to the LLM provider at once, unless LLM_CONCURRENCY says otherwise. */
export const DEFAULT_LLM_CONCURRENCY = 4;

const ModelPriceSchema = z.object({ inputPerMTok: z.number().nonnegative(), outputPerMTok: z.number().nonnegative() });

/** The shared LLM's settings. Parse plain values (tests) or use `loadLlmConfig(process.env)`. */
export const LlmConfigSchema = z
  .object({
    /** Which reasoner answers. @default 'openai' with OPENAI_API_KEY, else 'anthropic' with ANTHROPIC_API_KEY, else 'heuristic' */
    provider: z.enum(['heuristic', 'openai', 'anthropic', 'local']).default('heuristic'),
    /** Model id. @default 'gpt-4o-mini' (openai), 'claude-3-5-haiku-latest' (anthropic), the GGUF file's name without .gguf (local) */
    model: z.string().min(1).optional(),
    /** Base URL for OpenAI-compatible servers (DeepSeek, xAI, OpenRouter, Ollama, vLLM, llama.cpp) or an Anthropic proxy. @default null (vendor default) */
    baseUrl: z.url().nullable().default(null),
    /** GGUF file the local provider loads in the LLM worker (one model per process). @default null */
    modelPath: z.string().min(1).nullable().default(null),
    /** CPU threads of the local model, never above the physical cores (llama.cpp slows down badly when oversubscribed). @default the physical cores minus one, at least 1 */
    threads: z.number().int().positive().nullable().default(null),
    /** Sampling temperature; 0 keeps reruns close to deterministic. @default 0 */
    temperature: z.number().min(0).max(2).default(0),
    /** Max output tokens per call. @default 800 */
    maxTokens: z.number().int().positive().default(800),
    /** Per-call HTTP timeout. @default 60000 */
    timeoutMs: z.number().int().positive().max(MAX_TIMER_MS).default(60_000),
    /** Max concurrent calls per process. @default 4 */
    concurrency: z.number().int().positive().default(DEFAULT_LLM_CONCURRENCY),
    /** Extra calls allowed to repair an invalid reply. @default 2 */
    maxRepairs: z.number().int().nonnegative().default(2),
    /** Consecutive failed LLM steps (errors, time-outs, invalid replies) that open the circuit breaker. @default 5 */
    breakerFailures: z.number().int().positive().default(5),
    /** How long an open breaker sends every step to the offline reasoner before one probe call. @default 300000 */
    breakerCooldownMs: z.number().int().nonnegative().default(300_000),
    /** Spend cap per trading session in USD. @default 5 */
    budgetSessionUsd: z.number().nonnegative().default(5),
    /** Spend cap per UTC day (all sessions of this ledger) in USD. @default 20 */
    budgetDayUsd: z.number().nonnegative().default(20),
    /** USD per 1M tokens by model id (longest-prefix match). @default DEFAULT_PRICES */
    prices: z.record(z.string(), ModelPriceSchema).default(DEFAULT_PRICES),
    /** The model's training-data cutoff (last day, YYYY-MM-DD), over the table of docs/llm-cutoffs.md; backtests over earlier bars are refused. @default null (the table's value) */
    trainingCutoff: z
      .string()
      .refine((d) => isCalendarDate(d), 'must be a calendar date YYYY-MM-DD')
      .nullable()
      .default(null),
    /** Ask OpenAI-compatible servers for `response_format: json_object` (not every server supports it). @default false */
    jsonMode: z.boolean().default(false),
    /** Provider API key; redacted in every serialisation. @default null */
    apiKey: z
      .union([z.string(), z.instanceof(Secret)])
      .nullable()
      .default(null)
      .transform((k) => (k === null || k instanceof Secret ? k : k === '' ? null : new Secret(k))),
  })
  .transform((c) => ({
    ...c,
    model:
      c.model ??
      (c.provider === 'local'
        ? basename(c.modelPath ?? 'local.gguf').replace(/\.gguf$/i, '')
        : DEFAULT_MODELS[c.provider]),
  }))
  .superRefine((c, ctx) => {
    if (c.provider === 'anthropic' && c.apiKey === null) {
      ctx.addIssue({ code: 'custom', path: ['apiKey'], message: 'provider anthropic needs ANTHROPIC_API_KEY' });
    }
    if (c.provider === 'local' && c.modelPath === null) {
      ctx.addIssue({
        code: 'custom',
        path: ['modelPath'],
        message: 'provider local needs LLM_MODEL_PATH (a GGUF file)',
      });
    }
    if (c.provider === 'openai' && c.apiKey === null && c.baseUrl === null) {
      ctx.addIssue({
        code: 'custom',
        path: ['apiKey'],
        message: 'provider openai needs OPENAI_API_KEY (or LLM_BASE_URL for a keyless local server)',
      });
    }
  });
export type LlmConfig = z.output<typeof LlmConfigSchema>;
export type LlmConfigInput = z.input<typeof LlmConfigSchema>;

/** Thrown when the LLM environment variables do not describe a usable configuration. */
export class LlmConfigError extends ClassifiedError {
  constructor(message: string) {
    super(FailureType.ConfigInvalid, message, false);
    this.name = 'LlmConfigError';
  }
}

/** The local model answers one call at a time, so more LLM slots would only queue activities against their timeout. */
export const LOCAL_LLM_CONCURRENCY = 1;

/** LLM_CONCURRENCY alone: the LLM worker's slots match the client's limit without loading the whole LLM configuration. */
export function readLlmConcurrency(env: NodeJS.ProcessEnv): number {
  const set = asLlmConfigError(() =>
    readEnvNumber(env, 'LLM_CONCURRENCY', { integer: true, above: 0, describe: 'a positive integer' }),
  );
  return set ?? (env.LLM_PROVIDER?.trim() === LlmProvider.Local ? LOCAL_LLM_CONCURRENCY : DEFAULT_LLM_CONCURRENCY);
}

/** Reads LLM_* / *_API_KEY variables; empty strings count as unset. */
export function loadLlmConfig(env: NodeJS.ProcessEnv): LlmConfig {
  const read = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  const openAiKey = read('OPENAI_API_KEY');
  const anthropicKey = read('ANTHROPIC_API_KEY');
  const provider = read('LLM_PROVIDER') ?? (openAiKey ? 'openai' : anthropicKey ? 'anthropic' : 'heuristic');
  const raw = asLlmConfigError(() => ({
    provider,
    model: read('LLM_MODEL'),
    baseUrl: read('LLM_BASE_URL') ?? null,
    modelPath: read('LLM_MODEL_PATH') ?? null,
    threads: readEnvNumber(env, 'LLM_THREADS', { integer: true, above: 0, describe: 'a positive integer' }) ?? null,
    temperature: readEnvNumber(env, 'LLM_TEMPERATURE', { min: 0, max: 2, describe: 'a number from 0 to 2' }),
    maxTokens: readEnvNumber(env, 'LLM_MAX_TOKENS', { integer: true, above: 0, describe: 'a positive integer' }),
    timeoutMs: readEnvNumber(env, 'LLM_TIMEOUT_MS', {
      integer: true,
      above: 0,
      max: MAX_TIMER_MS,
      describe: `a positive integer of at most ${MAX_TIMER_MS} (Node's timer limit, about 24.8 days)`,
    }),
    concurrency: readLlmConcurrency(env),
    maxRepairs: readEnvNumber(env, 'LLM_MAX_REPAIRS', { integer: true, min: 0, describe: 'a non-negative integer' }),
    breakerFailures: readEnvNumber(env, 'LLM_BREAKER_FAILURES', {
      integer: true,
      above: 0,
      describe: 'a positive integer',
    }),
    breakerCooldownMs: readEnvNumber(env, 'LLM_BREAKER_COOLDOWN_MS', {
      integer: true,
      min: 0,
      max: MAX_TIMER_MS,
      describe: `a non-negative integer of at most ${MAX_TIMER_MS}`,
    }),
    budgetSessionUsd: readEnvNumber(env, 'LLM_BUDGET_SESSION_USD', {
      min: 0,
      describe: 'a non-negative number of USD',
    }),
    budgetDayUsd: readEnvNumber(env, 'LLM_BUDGET_DAY_USD', { min: 0, describe: 'a non-negative number of USD' }),
    prices: readPrices(read('LLM_PRICES_JSON')),
    trainingCutoff: read('DESK_LLM_CUTOFF') ?? null,
    jsonMode: readEnvBoolean(env, 'LLM_JSON_MODE'),
    apiKey: provider === 'openai' ? (openAiKey ?? null) : provider === 'anthropic' ? (anthropicKey ?? null) : null,
  }));
  const parsed = LlmConfigSchema.safeParse(raw);
  if (!parsed.success) {
    // Issue messages name paths and rules, never input values, so the key cannot leak here.
    const issues = parsed.error.issues
      .map((i) => `${ENV_NAMES[String(i.path[0])] ?? (i.path.join('.') || '(root)')}: ${i.message}`)
      .join('; ');
    throw new LlmConfigError(`invalid LLM configuration: ${issues}`);
  }
  return parsed.data;
}

/** Variable errors surface as LlmConfigError, the type callers of loadLlmConfig catch. */
function asLlmConfigError<T>(read: () => T): T {
  try {
    return read();
  } catch (e) {
    if (e instanceof EnvConfigError) throw new LlmConfigError(e.message);
    throw e;
  }
}

/** The variable behind each field, so a schema error names what the user set. */
const ENV_NAMES: Record<string, string> = {
  provider: 'LLM_PROVIDER',
  model: 'LLM_MODEL',
  baseUrl: 'LLM_BASE_URL',
  modelPath: 'LLM_MODEL_PATH',
  threads: 'LLM_THREADS',
  temperature: 'LLM_TEMPERATURE',
  maxTokens: 'LLM_MAX_TOKENS',
  timeoutMs: 'LLM_TIMEOUT_MS',
  concurrency: 'LLM_CONCURRENCY',
  maxRepairs: 'LLM_MAX_REPAIRS',
  budgetSessionUsd: 'LLM_BUDGET_SESSION_USD',
  budgetDayUsd: 'LLM_BUDGET_DAY_USD',
  prices: 'LLM_PRICES_JSON',
  jsonMode: 'LLM_JSON_MODE',
  trainingCutoff: 'DESK_LLM_CUTOFF',
};

function isCalendarDate(date: string): boolean {
  try {
    cutoffEndMs(date);
    return true;
  } catch {
    return false;
  }
}

/** Warnings the configuration promises (.env.example): a zero budget sends every call to the offline reasoner. */
export function describeLlmConfigWarnings(config: LlmConfig): string[] {
  if (config.provider === 'heuristic') return [];
  const warnings: string[] = [];
  if (config.budgetSessionUsd === 0)
    warnings.push(
      `LLM_BUDGET_SESSION_USD=0: every ${config.provider} call is over budget, the offline heuristic reasoner answers all of them`,
    );
  if (config.budgetDayUsd === 0)
    warnings.push(
      `LLM_BUDGET_DAY_USD=0: every ${config.provider} call is over budget, the offline heuristic reasoner answers all of them`,
    );
  return warnings;
}

/** LLM_PRICES_JSON entries are merged over the defaults: {"my-model": {"inputPerMTok": 1, "outputPerMTok": 2}}. */
function readPrices(json: string | undefined): Record<string, unknown> | undefined {
  if (json === undefined) return undefined;
  try {
    return { ...DEFAULT_PRICES, ...(JSON.parse(json) as Record<string, unknown>) };
  } catch {
    throw new LlmConfigError('LLM_PRICES_JSON is not valid JSON');
  }
}
