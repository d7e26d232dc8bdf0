/**
 * `npm run stop [-- --reason TEXT]`: the kill switch. Sends `emergencyStop` (the same signal
 * `temporal workflow signal --name emergencyStop` sends), then waits until the book is flat.
 */
import { parseArgs } from 'node:util';
import { connectClient } from '../workers/client';
import { emergencyStopSignal, statusQuery } from '../workflows/messages';
import { resolveSessionId } from './session-target';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      reason: { type: 'string', default: 'operator emergency stop' },
      session: { type: 'string' },
      wait: { type: 'string', default: '30' },
    },
  });
  const client = await connectClient();
  const sessionId = await resolveSessionId(client, values.session);
  const handle = client.workflow.getHandle(sessionId);
  await handle.signal(emergencyStopSignal, values.reason);
  console.log(`emergencyStop sent to ${sessionId}: ${values.reason}`);
  const deadline = Date.now() + Number(values.wait) * 1000;
  for (;;) {
    const s = await handle.query(statusQuery);
    if (s.halted && s.position === null && s.open_orders === 0) {
      console.log(
        JSON.stringify(
          { session: sessionId, halted: true, flat: true, equity: s.equity, halt_reason: s.halt_reason },
          null,
          2,
        ),
      );
      break;
    }
    if (Date.now() > deadline) {
      console.log(`stop is recorded (halted=${s.halted}); the book flattens as soon as a worker runs (npm start).`);
      break;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  await client.connection.close();
}

main().catch((err) => {
  console.error(`stop failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
