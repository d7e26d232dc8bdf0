/** `npm run resume`: lift the halt (or pause); the schedule resumes and new entries are allowed again. */
import { parseArgs } from 'node:util';
import { connectClient } from '../workers/client';
import { resumeSignal } from '../workflows/messages';
import { resolveSessionId } from './session-target';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { session: { type: 'string' } } });
  const client = await connectClient();
  const sessionId = await resolveSessionId(client, values.session);
  await client.workflow.getHandle(sessionId).signal(resumeSignal);
  console.log(`resume sent to ${sessionId}`);
  await client.connection.close();
}

main().catch((err) => {
  console.error(`resume failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
