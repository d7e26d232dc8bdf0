import type { ActivityContract } from '../domain/orchestration/activity-contract';
import { runKnowledgeTransfer } from '../domain/orchestration/run-knowledge-transfer';
import { runRiskReview } from '../domain/orchestration/risk-review';
import { activityTypeOf, type ActivitySteps, STEP_NAMES, type Steps } from '../domain/orchestration/steps';

/**
 * `Steps` as direct in-process calls of the same activities: the fast backtest runner. The
 * children run their domain loops in-process too, so both runners make the same decisions.
 */
export function directSteps(acts: ActivityContract): Steps {
  const table = acts as unknown as Record<string, (input: unknown) => Promise<unknown>>;
  const steps = Object.fromEntries(STEP_NAMES.map((step) => [step, table[activityTypeOf(step)]!])) as unknown as ActivitySteps;
  return {
    ...steps,
    reviewRisk: (input) => runRiskReview(steps, input),
    transferKnowledge: (input) => runKnowledgeTransfer(acts['K-T.writeLessons'], input),
    flattenAccount: acts['X-F.flattenAccount'],
  };
}
