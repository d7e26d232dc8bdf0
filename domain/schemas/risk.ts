import { z } from 'zod';
import { EpochMsSchema } from './market';
import { LlmUsageSchema } from './llm';
import { OrderSchema } from './trade';

/** LLM spend behind a verdict (the optional LLM review); absent for the deterministic checks alone. */
const verdictUsage = { usage: LlmUsageSchema.optional() };

export const RiskSeveritySchema = z.enum(['soft', 'hard']);

/** One check of the risk inventory and what it found. */
export const RiskCheckResultSchema = z.object({
  id: z.string(),
  ok: z.boolean(),
  severity: RiskSeveritySchema,
  reason: z.string(),
});
export type RiskCheckResult = z.infer<typeof RiskCheckResultSchema>;

/** M-A output. A denial is a value, not an exception. */
export const RiskVerdictSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('pass'), checks: z.array(RiskCheckResultSchema), ...verdictUsage }),
  z.object({
    status: z.literal('soft_fail'),
    reasons: z.array(z.string()).min(1),
    /** Where the regeneration restarts: T-B alone, or the style (T-A) first. */
    retryFrom: z.enum(['T-A', 'T-B']),
    checks: z.array(RiskCheckResultSchema),
    ...verdictUsage,
  }),
  z.object({
    status: z.literal('hard_fail'),
    reasons: z.array(z.string()).min(1),
    checks: z.array(RiskCheckResultSchema),
    ...verdictUsage,
  }),
]);
export type RiskVerdict = z.infer<typeof RiskVerdictSchema>;

/** M-B: one durable, append-only risk log line, keyed by iteration and attempt. */
export const RiskLogEntrySchema = z.object({
  key: z.string(),
  sessionId: z.string(),
  iterationId: z.string(),
  attempt: z.number().int().nonnegative(),
  barCloseMs: EpochMsSchema,
  riskManagerId: z.string(),
  traderId: z.string(),
  verdict: RiskVerdictSchema,
  order: OrderSchema.nullable(),
});
export type RiskLogEntry = z.infer<typeof RiskLogEntrySchema>;

/** Result of the soft-fail loop (riskReviewWorkflow). */
export const RiskReviewResultSchema = z.object({
  outcome: z.enum(['approved', 'rejected', 'no_trade']),
  order: OrderSchema.nullable(),
  attempts: z.number().int().nonnegative(),
  verdicts: z.array(RiskVerdictSchema),
  reason: z.string(),
  /** LLM spend inside the loop (M-A reviews, re-chosen styles). */
  usage: LlmUsageSchema.optional(),
});
export type RiskReviewResult = z.infer<typeof RiskReviewResultSchema>;
