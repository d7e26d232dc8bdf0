import { getExternalWorkflowHandle } from '@temporalio/workflow';
import { barClosedSignal } from './messages';

/** Started by the session's Schedule each time a bar closes: tells the session. Tiny on purpose. */
export async function barTickWorkflow(sessionWorkflowId: string): Promise<void> {
  await getExternalWorkflowHandle(sessionWorkflowId).signal(barClosedSignal, { firedAtMs: Date.now() });
}
