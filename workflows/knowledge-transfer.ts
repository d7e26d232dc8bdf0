import { workflowInfo } from '@temporalio/workflow';
import { runKnowledgeTransfer } from '../domain/orchestration/run-knowledge-transfer';
import { activityFor } from './activity-proxies';
import { isCancellation } from './is-cancellation';
import type { KnowledgeTransferRequest, KnowledgeTransferResult } from '../domain/schemas/steps';

/**
 * Every K rounds, as a durable child: the stored populations and its slice of the learning state (a
 * local activity, so they are recorded here, not in the iteration), teaching and pruning (pure), lessons written by the LLM (activity).
 */
export async function knowledgeTransferWorkflow(input: KnowledgeTransferRequest): Promise<KnowledgeTransferResult> {
  const queue = workflowInfo().taskQueue;
  const writeLessons = activityFor('K-T.writeLessons', queue);
  return runKnowledgeTransfer(writeLessons, activityFor('O-L.knowledgeTransferInput', queue), input, isCancellation);
}
