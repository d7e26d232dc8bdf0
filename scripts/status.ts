/** `npm run status`: the session's JSON status (DESIGN.md fields), with its schedule's state. */
import { parseArgs } from 'node:util';
import { connectClient, scheduleIdFor } from '../workers/client';
import { statusOf } from '../domain/orchestration/status';
import { statusQuery } from '../workflows/messages';
import type { SessionResult } from '../workflows/session';
import { resolveSessionId } from './session-target';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { session: { type: 'string' } } });
  const client = await connectClient();
  const sessionId = await resolveSessionId(client, values.session);
  const handle = client.workflow.getHandle(sessionId);
  const described = await handle.describe();
  // A closed session answers from its result; a running one from its live state (needs a worker).
  const status = described.status.name === 'RUNNING'
    ? await handle.query(statusQuery).catch((err: unknown) => {
        throw new Error(`session ${sessionId} is running but did not answer (${String(err)}); is a worker up? (npm start)`);
      })
    : statusOf(((await handle.result()) as SessionResult).state, scheduleIdFor(sessionId), (ms) => new Date(ms).toISOString());
  let schedule: unknown = null;
  try {
    const d = await client.schedule.getHandle(scheduleIdFor(sessionId)).describe();
    schedule = { id: d.scheduleId, paused: d.state.paused, note: d.state.note ?? null, next_fire: d.info.nextActionTimes[0]?.toISOString() ?? null, recent_fires: d.info.recentActions.length };
  } catch {
    schedule = null;
  }
  console.log(JSON.stringify({ ...status, workflow_status: described.status.name, schedule }, null, 2));
  await client.connection.close();
}

main().catch((err) => {
  console.error(`status failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
