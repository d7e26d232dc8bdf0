import { z } from 'zod';
import { ClassifiedError, FailureType } from '../../domain/failures';
import { DEFAULT_PRICES } from './prices';
import { Secret } from './secret';

export const LlmProvider = { Heuristic: 'heuristic', OpenAi: 'openai', Anthropic: 'anthropic' } as const;
export type LlmProviderName = (typeof LlmProvider)[keyof typeof LlmProvider];

const DEFAULT_MODELS: Record<LlmProviderName, string> = {
  heuristic: 'heuristic',
  openai: 'gpt-4o-mini',
  anthropic: 'claude-3-5-haiku-latest',
};

const ModelPriceSchema = z.object({ inputPerMTok: z.number().nonnegative(), outputPerMTok: z.number().nonnegative() });

/** The shared LLM's settings. Parse plain values (tests) or use `loadLlmConfig(process.env)`. */
export const LlmConfigSchema = z
  .object({
    /** Which reasoner answers. @default 'openai' with OPENAI_API_KEY, else 'anthropic' with ANTHROPIC_API_KEY, else 'heuristic' */
    provider: z.enum(['heuristic', 'openai', 'anthropic']).default('heuristic'),
    /** Model id. @default 'gpt-4o-mini' (openai), 'claude-3-5-haiku-latest' (anthropic) */
    model: z.string().min(1).optional(),
    /** Base URL for OpenAI-compatible servers (DeepSeek, xAI, OpenRouter, Ollama, vLLM, llama.cpp) or an Anthropic proxy. @default null (vendor default) */
    baseUrl: z.url().nullable().default(null),
    /** Sampling temperature; 0 keeps reruns close to deterministic. @default 0 */
    temperature: z.number().min(0).max(2).default(0),
    /** Max output tokens per call. @default 800 */
    maxTokens: z.number().int().positive().default(800),
    /** Per-call HTTP timeout. @default 60000 */
    timeoutMs: z.number().int().positive().default(60_000),
    /** Max concurrent calls per process. @default 4 */
    concurrency: z.number().int().positive().default(4),
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
    /** Ask OpenAI-compatible servers for `response_format: json_object` (not every server supports it). @default false */
    jsonMode: z.boolean().default(false),
    /** Provider API key; redacted in every serialisation. @default null */
    apiKey: z
      .union([z.string(), z.instanceof(Secret)])
      .nullable()
      .default(null)
      .transform((k) => (k === null || k instanceof Secret ? k : k === '' ? null : new Secret(k))),
  })
  .transform((c) => ({ ...c, model: c.model ?? DEFAULT_MODELS[c.provider] }))
  .superRefine((c, ctx) => {
    if (c.provider === 'anthropic' && c.apiKey === null) {
      ctx.addIssue({ code: 'custom', path: ['apiKey'], message: 'provider anthropic needs ANTHROPIC_API_KEY' });
    }
    if (c.provider === 'openai' && c.apiKey === null && c.baseUrl === null) {
      ctx.addIssue({ code: 'custom', path: ['apiKey'], message: 'provider openai needs OPENAI_API_KEY (or LLM_BASE_URL for a keyless local server)' });
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

/** Reads LLM_* / *_API_KEY variables; empty strings count as unset. */
export function loadLlmConfig(env: NodeJS.ProcessEnv): LlmConfig {
  const read = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  const openAiKey = read('OPENAI_API_KEY');
  const anthropicKey = read('ANTHROPIC_API_KEY');
  const provider = read('LLM_PROVIDER') ?? (openAiKey ? 'openai' : anthropicKey ? 'anthropic' : 'heuristic');
  const raw = {
    provider,
    model: read('LLM_MODEL'),
    baseUrl: read('LLM_BASE_URL') ?? null,
    temperature: readNumber(read, 'LLM_TEMPERATURE'),
    maxTokens: readNumber(read, 'LLM_MAX_TOKENS'),
    timeoutMs: readNumber(read, 'LLM_TIMEOUT_MS'),
    concurrency: readNumber(read, 'LLM_CONCURRENCY'),
    maxRepairs: readNumber(read, 'LLM_MAX_REPAIRS'),
    breakerFailures: readNumber(read, 'LLM_BREAKER_FAILURES'),
    breakerCooldownMs: readNumber(read, 'LLM_BREAKER_COOLDOWN_MS'),
    budgetSessionUsd: readNumber(read, 'LLM_BUDGET_SESSION_USD'),
    budgetDayUsd: readNumber(read, 'LLM_BUDGET_DAY_USD'),
    prices: readPrices(read('LLM_PRICES_JSON')),
    jsonMode: read('LLM_JSON_MODE') === undefined ? undefined : read('LLM_JSON_MODE') === 'true',
    apiKey: provider === 'openai' ? (openAiKey ?? null) : provider === 'anthropic' ? (anthropicKey ?? null) : null,
  };
  const parsed = LlmConfigSchema.safeParse(raw);
  if (!parsed.success) {
    // Issue messages name paths and rules, never input values, so the key cannot leak here.
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new LlmConfigError(`invalid LLM configuration: ${issues}`);
  }
  return parsed.data;
}

function readNumber(read: (name: string) => string | undefined, name: string): number | undefined {
  const value = read(name);
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n)) throw new LlmConfigError(`${name} must be a number, got "${value}"`);
  return n;
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
