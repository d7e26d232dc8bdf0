import { ScheduleOverlapPolicy, type Client, type ScheduleSpec } from '@temporalio/client';
import type { Duration } from '@temporalio/common';
import { BAR_MS } from '../domain/schemas/config';
import { barTickWorkflow } from '../workflows/bar-tick';

/**
 * Creates or updates the session's Schedule: every bar (BAR_MS) 30 s after the candle closes (live), or every S
 * seconds (replay), so a demo shows the same mechanism as live trading. Overlap SKIP; a 1h catch-up
 * window; visible and pausable in the UI. Each fire starts barTickWorkflow, which signals the session.
 */
export async function upsertSchedule(
  client: Client,
  opts: { scheduleId: string; sessionId: string; taskQueue: string; barSeconds: number | null },
): Promise<void> {
  const spec: ScheduleSpec =
    opts.barSeconds === null
      ? { intervals: [{ every: BAR_MS, offset: '30s' }] }
      : { intervals: [{ every: `${opts.barSeconds}s` as Duration }] };
  const action = {
    type: 'startWorkflow' as const,
    workflowType: barTickWorkflow,
    taskQueue: opts.taskQueue,
    args: [opts.sessionId] as const,
    workflowId: `tick-${opts.sessionId}`,
  };
  const policies = { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1h' as Duration };
  const handle = client.schedule.getHandle(opts.scheduleId);
  try {
    await handle.update((prev) => ({
      ...prev,
      spec,
      action,
      policies,
      state: { paused: false, note: 'updated by npm start' },
    }));
  } catch {
    await client.schedule.create({
      scheduleId: opts.scheduleId,
      spec,
      action,
      policies,
      state: { note: 'created by npm start' },
    });
  }
}
