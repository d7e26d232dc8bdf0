import { workflowInfo } from '@temporalio/workflow';
import { runKnowledgeTransfer } from '../domain/orchestration/run-knowledge-transfer';
import { activityFor } from './activity-proxies';
import { isCancellation } from './is-cancellation';
import type { KnowledgeTransferRequest, KnowledgeTransferResult } from '../domain/schemas/steps';

/**
 * Every K rounds, as a durable child: its slice of the stored learning state (a local activity, so the
 * slice is recorded here, not in the iteration), teaching and pruning (pure), lessons written by the LLM (activity).
 */
export async function knowledgeTransferWorkflow(input: KnowledgeTransferRequest): Promise<KnowledgeTransferResult> {
  const queue = workflowInfo().taskQueue;
  const writeLessons = activityFor('K-T.writeLessons', queue);
  return runKnowledgeTransfer(writeLessons, activityFor('O-L.knowledgeTransferSlice', queue), input, isCancellation);
}
