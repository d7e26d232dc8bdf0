import { z } from 'zod';

/** How a step's output was produced: by the offline reasoner, an LLM, or the fallback after an LLM failure. */
export const LlmUsageSchema = z.object({
  calls: z.number().int().nonnegative(),
  cachedCalls: z.number().int().nonnegative(),
  tokensIn: z.number().int().nonnegative(),
  tokensOut: z.number().int().nonnegative(),
  costUsd: z.number().nonnegative(),
});
export type LlmUsage = z.infer<typeof LlmUsageSchema>;

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

export const ZERO_USAGE: LlmUsage = { calls: 0, cachedCalls: 0, tokensIn: 0, tokensOut: 0, costUsd: 0 };

export function addUsage(a: LlmUsage, b: LlmUsage): LlmUsage {
  return {
    calls: a.calls + b.calls,
    cachedCalls: a.cachedCalls + b.cachedCalls,
    tokensIn: a.tokensIn + b.tokensIn,
    tokensOut: a.tokensOut + b.tokensOut,
    costUsd: a.costUsd + b.costUsd,
  };
}
