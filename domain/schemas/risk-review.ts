import { z } from 'zod';

/** Optional LLM second opinion on an order (M-A). It can only add concerns, never approve. */
export const LlmRiskReviewSchema = z.object({
  concerns: z.array(z.string()).max(5),
  severity: z.enum(['none', 'soft']),
});
export type LlmRiskReview = z.infer<typeof LlmRiskReviewSchema>;
