import { applyLessons, planKnowledgeTransfer } from '../population/knowledge-transfer';
import { ZERO_USAGE } from '../schemas/llm';
import type { WriteLessonsInput, WriteLessonsResult } from '../schemas/ops';
import type { KnowledgeTransferInput, KnowledgeTransferResult } from '../schemas/steps';
import { isLlmFailure } from '../failures';
import { failureTypeOf, fallbackChargeOf } from './llm-fallback';
import type { IsCancellation } from './steps';

/**
 * Rank each role, let a proven leader teach its peers, prune rarely used methods (pure), then have
 * the LLM write lessons where requested. Lessons are an improvement, not a requirement: if writing
 * them fails, the blended preferences have already transferred.
 */
export async function runKnowledgeTransfer(
  writeLessons: (input: WriteLessonsInput) => Promise<WriteLessonsResult>,
  input: KnowledgeTransferInput,
  isCancellation: IsCancellation,
): Promise<KnowledgeTransferResult> {
  const plan = planKnowledgeTransfer(input, {
    teaching: input.switches?.teaching ?? true,
    pruning: input.switches?.pruning ?? true,
  });
  if (plan.lessonRequests.length === 0)
    return { populations: plan.populations, events: plan.events, usage: ZERO_USAGE };
  try {
    const written = await writeLessons({ ctx: input.ctx, requests: plan.lessonRequests });
    return { populations: applyLessons(plan.populations, written.lessons), events: plan.events, usage: written.usage };
  } catch (err) {
    if (isCancellation(err)) throw err;
    // Replies billed before an LLM failure are still charged, and the missing lessons count as a fallback.
    const usage = isLlmFailure(failureTypeOf(err)) ? fallbackChargeOf(err).usage : ZERO_USAGE;
    return { populations: plan.populations, events: plan.events, usage };
  }
}
