import { applyLessons, planKnowledgeTransfer } from '../population/knowledge-transfer';
import type { Populations } from '../schemas/agents';
import { diffJson } from '../schemas/json-patch';
import { ZERO_USAGE } from '../schemas/llm';
import type { WriteLessonsInput, WriteLessonsResult } from '../schemas/ops';
import type { LearningState } from '../schemas/learning';
import type { KnowledgeTransferRequest, KnowledgeTransferResult, StoredStates } from '../schemas/steps';
import { isLlmFailure } from '../failures';
import { failureTypeOf, fallbackChargeOf } from './llm-fallback';
import type { IsCancellation } from './steps';

/**
 * Read what the plan needs of the stored states (`load`: the populations and knowledgeTransferSliceOf
 * of the learning state, after E's changes), rank each role, let a proven leader teach its peers, prune rarely used methods (pure),
 * then have the LLM write lessons where requested. Lessons are an improvement, not a requirement: if
 * writing them fails, the blended preferences have already transferred.
 */
export async function runKnowledgeTransfer(
  writeLessons: (input: WriteLessonsInput) => Promise<WriteLessonsResult>,
  load: (stored: StoredStates) => Promise<{
    populations: Populations;
    learning: LearningState;
    base: Populations;
  }>,
  request: KnowledgeTransferRequest,
  isCancellation: IsCancellation,
): Promise<KnowledgeTransferResult> {
  const { stored, ...rest } = request;
  const { base, ...loaded } = await load(stored);
  const input = { ...rest, ...loaded };
  const plan = planKnowledgeTransfer(input, {
    teaching: input.switches?.teaching ?? true,
    pruning: input.switches?.pruning ?? true,
  });
  // The populations go back as a change to the stored ones (E's changes and a few agents' weights and notes), not whole.
  const changes = (populations: Populations) => diffJson(base, populations);
  if (plan.lessonRequests.length === 0)
    return { populations: changes(plan.populations), events: plan.events, usage: ZERO_USAGE };
  try {
    const written = await writeLessons({ ctx: input.ctx, requests: plan.lessonRequests });
    return {
      populations: changes(applyLessons(plan.populations, written.lessons)),
      events: plan.events,
      usage: written.usage,
    };
  } catch (err) {
    if (isCancellation(err)) throw err;
    // Replies billed before an LLM failure are still charged, and the missing lessons count as a fallback.
    const usage = isLlmFailure(failureTypeOf(err)) ? fallbackChargeOf(err).usage : ZERO_USAGE;
    return { populations: changes(plan.populations), events: plan.events, usage };
  }
}
