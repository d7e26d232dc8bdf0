import { setHandler, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import { SA } from './search-attributes';
import { runRiskReview } from '../domain/orchestration/risk-review';
import type { RiskReviewResult } from '../domain/schemas/risk';
import type { RiskReviewInput } from '../domain/schemas/steps';
import { activityStepsFor } from './activity-proxies';
import { emergencyStopSignal } from './messages';

/**
 * The soft-fail loop for one candidate order, as a durable child: every attempt and verdict is in
 * its history. It honours `emergencyStop` itself, so an operator can stop it from the UI or CLI.
 */
export async function riskReviewWorkflow(input: RiskReviewInput): Promise<RiskReviewResult> {
  let stopped = false;
  setHandler(emergencyStopSignal, () => {
    stopped = true;
  });
  const steps = activityStepsFor(workflowInfo().taskQueue);
  const result = await runRiskReview(steps, input, () => stopped);
  upsertSearchAttributes([{ key: SA.verdict, value: result.verdicts.at(-1)?.status ?? result.outcome }]);
  return result;
}
