import type { Client } from '@temporalio/client';
import { sessionIdFor } from '../workers/client';

/**
 * Which session a control command talks to: --session ID, else the one running session of
 * tradingSessionWorkflow (visibility query), else the default paper session's id.
 */
export async function resolveSessionId(client: Client, explicit: string | undefined): Promise<string> {
  if (explicit) return explicit;
  const running: string[] = [];
  for await (const wf of client.workflow.list({ query: `WorkflowType = 'tradingSessionWorkflow' AND ExecutionStatus = 'Running'` })) {
    running.push(wf.workflowId);
    if (running.length > 5) break;
  }
  if (running.length === 1) return running[0]!;
  if (running.length > 1) throw new Error(`several sessions are running (${running.join(', ')}): pass --session ID`);
  return sessionIdFor('binanceusdm', 'BTC/USDT:USDT', 'paper');
}
