/**
 * `npm run status`: the session's JSON status (docs/architecture.md fields), with its schedule's state. Works
 * without a worker: then the figures come from the last completed iteration in history, marked
 * `stale: true` with the reason (workers/session-status.ts).
 */
import { parseArgs } from 'node:util';
import { connectClient, scheduleIdFor } from '../workers/client';
import { readSessionStatus } from '../workers/session-status';
import { resolveSessionId } from './session-target';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { session: { type: 'string' } } });
  const client = await connectClient();
  const sessionId = await resolveSessionId(client, values.session);
  const status = await readSessionStatus(client, sessionId);
  let schedule: unknown = null;
  try {
    const d = await client.schedule.getHandle(scheduleIdFor(sessionId)).describe();
    schedule = {
      id: d.scheduleId,
      paused: d.state.paused,
      note: d.state.note ?? null,
      next_fire: d.info.nextActionTimes[0]?.toISOString() ?? null,
      recent_fires: d.info.recentActions.length,
    };
  } catch {
    schedule = null;
  }
  console.log(JSON.stringify({ ...status, schedule }, null, 2));
  if (status.stale) console.error(`status is STALE: ${status.stale_reason}`);
  await client.connection.close();
}

main().catch((err) => {
  console.error(`status failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
