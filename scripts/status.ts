/** `npm run status`: the session's JSON status (DESIGN.md fields), with its schedule's state. */
import { parseArgs } from 'node:util';
import { connectClient, scheduleIdFor } from '../workers/client';
import { statusQuery } from '../workflows/messages';
import { resolveSessionId } from './session-target';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { session: { type: 'string' } } });
  const client = await connectClient();
  const sessionId = await resolveSessionId(client, values.session);
  const status = await client.workflow.getHandle(sessionId).query(statusQuery);
  let schedule: unknown = null;
  try {
    const d = await client.schedule.getHandle(scheduleIdFor(sessionId)).describe();
    schedule = { id: d.scheduleId, paused: d.state.paused, note: d.state.note ?? null, next_fire: d.info.nextActionTimes[0]?.toISOString() ?? null, recent_fires: d.info.recentActions.length };
  } catch {
    schedule = null;
  }
  console.log(JSON.stringify({ ...status, schedule }, null, 2));
  await client.connection.close();
}

main().catch((err) => {
  console.error(`status failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
