import { z } from 'zod';

/**
 * What LLM work cost and how it went. Every reply that came back is a billed call, repairs and
 * invalid replies included; `fallbacks` counts steps the offline reasoner answered in the LLM's place
 * and `failures` says why, one count per fallback, keyed by dotted failure type (`Llm.Timeout`, …).
 * The later fields default so that records written before they existed still parse.
 */
export const LlmUsageSchema = z.object({
  calls: z.number().int().nonnegative(),
  cachedCalls: z.number().int().nonnegative(),
  tokensIn: z.number().int().nonnegative(),
  tokensOut: z.number().int().nonnegative(),
  costUsd: z.number().nonnegative(),
  /** Replies that failed the step's output contract (each one is also counted in `calls`). */
  invalidOutputs: z.number().int().nonnegative().default(0),
  /** Invalid replies that met every field rule but contradicted themselves (domain/llm/agreement.ts); a subset of `invalidOutputs`. */
  contradictions: z.number().int().nonnegative().default(0),
  /** Steps answered by the offline reasoner because the LLM failed, was over budget or its breaker was open. */
  fallbacks: z.number().int().nonnegative().default(0),
  /** The reason of each fallback by failure type; the counts sum to `fallbacks`. */
  failures: z.record(z.string(), z.number().int().nonnegative()).default({}),
});
export type LlmUsage = z.infer<typeof LlmUsageSchema>;

/** How a step's output was produced: by the offline reasoner, an LLM, or the fallback after an LLM failure. */
export const ProvenanceSchema = z.object({
  source: z.enum(['heuristic', 'llm', 'fallback', 'cache']),
  /** Content hash of the prompt/response record in the blob store (null for pure heuristics). */
  hash: z.string().nullable(),
  model: z.string().nullable(),
  warning: z.string().nullable(),
  /** What producing this output cost (zero for heuristics and cache hits). */
  usage: LlmUsageSchema,
});
export type Provenance = z.infer<typeof ProvenanceSchema>;

export const ZERO_USAGE: LlmUsage = {
  calls: 0,
  cachedCalls: 0,
  tokensIn: 0,
  tokensOut: 0,
  costUsd: 0,
  invalidOutputs: 0,
  contradictions: 0,
  fallbacks: 0,
  failures: {},
};

/** The one place usage is summed. Tolerates records from before `invalidOutputs`/`contradictions`/`fallbacks`/`failures` existed. */
export function addUsage(a: LlmUsage, b: LlmUsage): LlmUsage {
  const failures: Record<string, number> = { ...(a.failures ?? {}) };
  for (const [type, n] of Object.entries(b.failures ?? {})) failures[type] = (failures[type] ?? 0) + n;
  return {
    calls: a.calls + b.calls,
    cachedCalls: a.cachedCalls + b.cachedCalls,
    tokensIn: a.tokensIn + b.tokensIn,
    tokensOut: a.tokensOut + b.tokensOut,
    costUsd: a.costUsd + b.costUsd,
    invalidOutputs: (a.invalidOutputs ?? 0) + (b.invalidOutputs ?? 0),
    contradictions: (a.contradictions ?? 0) + (b.contradictions ?? 0),
    fallbacks: (a.fallbacks ?? 0) + (b.fallbacks ?? 0),
    failures,
  };
}

/** Usage of one step the offline reasoner answered because of a failure of `type`. */
export function fallbackUsage(type: string): LlmUsage {
  return { ...ZERO_USAGE, fallbacks: 1, failures: { [type]: 1 } };
}
