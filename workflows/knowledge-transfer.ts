import { workflowInfo } from '@temporalio/workflow';
import { runKnowledgeTransfer } from '../domain/orchestration/run-knowledge-transfer';
import { activityFor } from './activity-proxies';
import { isCancellation } from './is-cancellation';
import type { KnowledgeTransferInput, KnowledgeTransferResult } from '../domain/schemas/steps';

/** Every K rounds, as a durable child: teaching and pruning (pure), lessons written by the LLM (activity). */
export async function knowledgeTransferWorkflow(input: KnowledgeTransferInput): Promise<KnowledgeTransferResult> {
  const writeLessons = activityFor('K-T.writeLessons', workflowInfo().taskQueue);
  return runKnowledgeTransfer(writeLessons, input, isCancellation);
}
