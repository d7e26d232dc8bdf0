/**
 * Replays the committed histories through today's workflow code and prints one JSON line of
 * results. Run in its own Node process: protobufjs's JSON history codec does not survive jest's
 * module registry.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Worker } from '@temporalio/worker';

async function main(): Promise<void> {
  const dir = resolve(__dirname, 'histories');
  // workflow-ids.txt (recorded by the session test) and workflow-ids-*.txt (other tests' histories).
  const ids = new Map(
    readdirSync(dir)
      .filter((f) => /^workflow-ids.*\.txt$/.test(f))
      .flatMap((f) =>
        readFileSync(resolve(dir, f), 'utf8')
          .trim()
          .split('\n')
          .map((l) => l.split(' ') as [string, string]),
      ),
  );
  const histories = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => ({ name: f.replace(/\.json$/, ''), history: JSON.parse(readFileSync(resolve(dir, f), 'utf8')) }))
    .map((h) => ({ workflowId: ids.get(h.name) ?? h.name, history: h.history }));
  const names = new Map([...ids].map(([name, id]) => [id, name]));
  const results: { id: string; error: string | null }[] = [];
  const replays = Worker.runReplayHistories({ workflowsPath: require.resolve('../../workflows') }, histories);
  for await (const r of replays)
    results.push({ id: names.get(r.workflowId) ?? r.workflowId, error: r.error ? String(r.error) : null });
  process.stdout.write(`${JSON.stringify(results)}\n`);
}

main().catch((err) => {
  process.stdout.write(`${JSON.stringify([{ id: 'replay', error: String(err) }])}\n`);
  process.exit(1);
});
