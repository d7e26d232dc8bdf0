import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { ActivityContract } from '../domain/orchestration/activity-contract';
import { taskQueuesFor } from '../domain/orchestration/activity-contract';
import { runKnowledgeTransfer } from '../domain/orchestration/run-knowledge-transfer';
import { isCancellation } from './is-cancellation';
import type { KnowledgeTransferInput, KnowledgeTransferResult } from '../domain/schemas/steps';

/** Every K rounds, as a durable child: teaching and pruning (pure), lessons written by the LLM (activity). */
export async function knowledgeTransferWorkflow(input: KnowledgeTransferInput): Promise<KnowledgeTransferResult> {
  const { 'K-T.writeLessons': writeLessons } = proxyActivities<ActivityContract>({
    taskQueue: taskQueuesFor(workflowInfo().taskQueue).llm,
    startToCloseTimeout: '3m',
    retry: { maximumAttempts: 3 },
  });
  return runKnowledgeTransfer(writeLessons, input, isCancellation);
}
