import type { RetryPolicy } from '@temporalio/common';
import { executeChild, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { IterationOutcome } from '../domain/orchestration/run-iteration';
import { runIteration } from '../domain/orchestration/run-iteration';
import type { Steps } from '../domain/orchestration/steps';
import type { IterationFund } from '../domain/schemas/steps';
import { activityFor, activityStepsFor } from './activity-proxies';
import { approvalGate } from './approval';
import { isCancellation } from './is-cancellation';
import { knowledgeTransferWorkflow } from './knowledge-transfer';
import { riskReviewWorkflow } from './risk-review';
import { SA } from './search-attributes';

export interface IterationInput {
  /** What the bar reads of the fund (`fundOf`): accounts, breakers, populations, a view of the stored learning state. */
  fund: IterationFund;
  barCloseMs: number;
}

const childRetry: RetryPolicy = { maximumAttempts: 3, initialInterval: '2s' };

/** One closed 4h bar through every agent step (docs/architecture.md diagram); the orchestration lives in domain/. Returns the report and the fund's changes. */
export async function tradingIterationWorkflow(input: IterationInput): Promise<IterationOutcome> {
  const info = workflowInfo();
  // Registered first: an approveOrder/rejectOrder Update that comes early is refused, not lost.
  const awaitApproval = approvalGate();
  const steps: Steps = {
    ...activityStepsFor(info.taskQueue, { localPureSteps: input.fund.config.localPureSteps }),
    reviewRisk: (review) =>
      executeChild(riskReviewWorkflow, {
        workflowId: `${info.workflowId}-risk`,
        args: [review],
        retry: childRetry,
        workflowExecutionTimeout: '30m',
        staticSummary: `risk review · ${review.trader.id} → ${review.riskManager.id}`,
      }),
    transferKnowledge: (kt) =>
      executeChild(knowledgeTransferWorkflow, {
        workflowId: `${info.workflowId}-kt`,
        args: [kt],
        retry: childRetry,
        workflowExecutionTimeout: '30m',
        staticSummary: `knowledge transfer · round ${kt.ctx.round}`,
      }),
    flattenAccount: activityFor('X-F.flattenAccount', info.taskQueue),
    awaitApproval,
  };
  const { symbol, mode, sessionId } = input.fund.config;
  upsertSearchAttributes([
    { key: SA.barTime, value: new Date(input.barCloseMs) },
    { key: SA.symbol, value: symbol },
    { key: SA.mode, value: mode },
    { key: SA.session, value: sessionId },
  ]);
  const outcome = await runIteration(
    steps,
    input.fund,
    { iterationId: info.workflowId, barCloseMs: input.barCloseMs },
    isCancellation,
  );
  upsertSearchAttributes([{ key: SA.decision, value: outcome.report.decision }]);
  return outcome;
}
