/**
 * `npm run set -- risk.maxLeverage=3 [llm.provider=openai llm.model=gpt-4o-mini | llm=default] [--session ID]`:
 * live changes to the running session through its `setRiskLimits` and `setLlm` Updates
 * (docs/live-changes.md). Prints what changed and from which bar; a refused change prints the
 * validator's message and exits 1 (nothing of it entered the history).
 */
import { parseArgs } from 'node:util';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { parseAssignments, validateLlmChange, type ChangeResult } from '../domain/orchestration/live-changes';
import { connectClient } from '../workers/client';
import { setLlmUpdate, setRiskLimitsUpdate } from '../workflows/messages';
import { resolveSessionId } from './session-target';

class Refused extends Error {}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { session: { type: 'string' } } });
  const wanted = parseAssignments(positionals);
  // The LLM choice is checked here too, so a bad one never leaves the risk change applied alone.
  const llm = wanted.llm === undefined ? null : validateLlmChange(wanted.llm);
  const errors = [...wanted.errors, ...(llm && !llm.ok ? llm.errors : [])];
  if (errors.length > 0) throw new Refused(errors.join('; '));

  const client = await connectClient();
  try {
    const sessionId = await resolveSessionId(client, values.session);
    const handle = client.workflow.getHandle(sessionId);
    const send = async (name: string, run: () => Promise<ChangeResult>) => {
      try {
        print(sessionId, name, await run());
      } catch (err) {
        if (err instanceof WorkflowUpdateFailedError)
          throw new Refused(`${name} refused: ${err.cause?.message ?? err.message}`);
        throw err;
      }
    };
    if (wanted.risk)
      await send('setRiskLimits', () => handle.executeUpdate(setRiskLimitsUpdate, { args: [wanted.risk!] }));
    if (llm?.ok) await send('setLlm', () => handle.executeUpdate(setLlmUpdate, { args: [llm.value] }));
  } finally {
    await client.connection.close();
  }
}

function print(sessionId: string, name: string, result: ChangeResult): void {
  const from = result.fromBar ? `from the bar closing at ${result.fromBar}` : 'from the first bar';
  if (result.changed.length === 0) console.log(`${name} on ${sessionId}: nothing changed (already set)`);
  else console.log(`${name} on ${sessionId}, ${from}:`);
  for (const c of result.changed) console.log(`  ${c.key}: ${label(c.from)} -> ${label(c.to)}`);
}

function label(value: unknown): string {
  return value === null ? "(worker's default)" : String(value);
}

main().catch((err) => {
  console.error(
    err instanceof Refused ? err.message : `set failed: ${err instanceof Error ? err.message : String(err)}`,
  );
  process.exit(1);
});
