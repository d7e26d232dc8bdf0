import type { Client } from '@temporalio/client';
import { sessionIdFor } from '../workers/client';
import { loadEnv } from '../workers/env';
import { readMarketSettings } from '../workers/market-settings';
import { tradingSessionWorkflow } from '../workflows/session';

/**
 * Which session a control command talks to: --session ID, else the one running session of
 * tradingSessionWorkflow (visibility query), else the paper session's id of the configured venue and symbol.
 */
export async function resolveSessionId(client: Client, explicit: string | undefined): Promise<string> {
  if (explicit) return explicit;
  const running: string[] = [];
  for await (const wf of client.workflow.list({
    query: `WorkflowType = '${tradingSessionWorkflow.name}' AND ExecutionStatus = 'Running'`,
  })) {
    running.push(wf.workflowId);
    if (running.length > 5) break;
  }
  if (running.length === 1) return running[0]!;
  if (running.length > 1) throw new Error(`several sessions are running (${running.join(', ')}): pass --session ID`);
  const { venue, symbol } = readMarketSettings(loadEnv());
  return sessionIdFor(venue, symbol, 'paper');
}
