import type { ActivityContract } from '../domain/orchestration/activity-contract';
import { STEP_RETRY_POLICY, type StepRetryPolicy } from '../domain/orchestration/retry-policy';
import { noOperatorDecision } from '../domain/orchestration/approval';
import { runKnowledgeTransfer } from '../domain/orchestration/run-knowledge-transfer';
import { runRiskReview } from '../domain/orchestration/risk-review';
import {
  activityTypeOf,
  type ActivitySteps,
  STEP_NAMES,
  type StepName,
  type Steps,
} from '../domain/orchestration/steps';
import { isCancellation } from '../workflows/is-cancellation';
import { sleepFor, withDirectRetry, type Sleep } from './retry-direct';

export interface DirectStepOptions {
  /** @default STEP_RETRY_POLICY, the Temporal proxies' policy */
  retry?: StepRetryPolicy;
  /** @default a real timer */
  sleep?: Sleep;
}

/**
 * `Steps` as direct in-process calls of the same activities: the fast backtest runner. The
 * children run their domain loops in-process too, and every call retries under the activities'
 * retry policy, so both runners make the same decisions and the same requests.
 */
export function directSteps(acts: ActivityContract, opts: DirectStepOptions = {}): Steps {
  const retry = <I, O>(fn: (input: I) => Promise<O>) =>
    withDirectRetry(fn, opts.retry ?? STEP_RETRY_POLICY, opts.sleep ?? sleepFor);
  const call = (step: StepName): ((input: never) => Promise<unknown>) => acts[activityTypeOf(step)];
  const steps = Object.fromEntries(STEP_NAMES.map((step) => [step, retry(call(step))])) as ActivitySteps;
  return {
    ...steps,
    reviewRisk: (input) => runRiskReview(steps, input),
    transferKnowledge: (input) =>
      runKnowledgeTransfer(
        retry(acts['K-T.writeLessons']),
        retry(acts['O-L.knowledgeTransferInput']),
        input,
        isCancellation,
      ),
    flattenAccount: retry(acts['X-F.flattenAccount']),
    // No operator in process: an order that needs approval is refused, and its report says why (docs/approval.md).
    awaitApproval: (request) => Promise.resolve(noOperatorDecision(request)),
  };
}
