/**
 * `npm run show -- --iteration ID [--blob-dir DIR] [--json]`: what each agent of one iteration saw
 * and answered. Step results come from Temporal history (no worker needed); the LLM prompts and raw
 * answers from the shared claim-check store (DESK_BLOB_DIR), so any machine of the deployment can answer.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { FileBlobStore } from '../adapters/store/blob-store';
import { connectClient } from '../workers/client';
import { blobDir, dataDir, loadEnv, temporalEnv } from '../workers/env';
import { readLlmExchanges, readStepResults } from '../workers/iteration-records';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      iteration: { type: 'string' },
      'blob-dir': { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  if (!values.iteration)
    throw new Error(
      '--iteration ID is required (an iteration workflow id, e.g. iter-session-…-2024-02-11T20:00:00.000Z)',
    );
  const env = loadEnv();
  const root = values['blob-dir'] ? resolve(values['blob-dir']) : blobDir(env, dataDir(env));
  const client = await connectClient(temporalEnv(env));
  const steps = await readStepResults(client, values.iteration);
  if (steps.length === 0)
    throw new Error(
      `iteration ${values.iteration} has no completed steps in history (is the id right? TEMPORAL_ADDRESS?)`,
    );
  const snapshotRef =
    (steps.find((s) => s.activityType === 'A-A.alignData')?.result as { ref?: string } | undefined)?.ref ?? null;
  const snapshotStored = snapshotRef
    ? (await new FileBlobStore(resolve(root, 'blobs')).get(snapshotRef)) !== null
    : false;
  const exchanges = await readLlmExchanges(client, values.iteration, new FileBlobStore(resolve(root, 'llm')));
  await client.connection.close();
  if (values.json) {
    console.log(
      JSON.stringify(
        {
          iteration: values.iteration,
          blob_dir: root,
          snapshot: { ref: snapshotRef, stored: snapshotStored },
          steps: steps.map((s) => ({ activity: s.activityType, worker: s.worker, attempt: s.attempt })),
          llm: exchanges,
        },
        null,
        2,
      ),
    );
    return;
  }
  console.log(
    `iteration ${values.iteration}: ${steps.length} steps; snapshot ${snapshotRef ?? '-'} ${snapshotStored ? 'stored' : 'NOT in'} ${resolve(root, 'blobs')}`,
  );
  for (const s of steps)
    console.log(`  ${s.activityType} on ${s.worker ?? '?'}${s.attempt > 1 ? ` (attempt ${s.attempt})` : ''}`);
  if (exchanges.length === 0) console.log('no LLM-recorded outputs (the offline reasoner answered every step)');
  for (const x of exchanges) {
    console.log(`\n== ${x.activityType} · ${x.agentId ?? '-'} · ${x.source} · record ${x.hash}`);
    if (!x.record) {
      console.log(
        `   record NOT in ${resolve(root, 'llm')}: this machine does not mount the deployment's DESK_BLOB_DIR`,
      );
      continue;
    }
    for (const m of x.record.request.messages) console.log(`-- ${m.role} --\n${m.content}`);
    for (const r of x.record.repairs) console.log(`-- rejected reply (${r.errors.join('; ')}) --\n${r.text}`);
    console.log(`-- answer (${x.record.model}) --\n${x.record.responseText}`);
  }
}

main().catch((err) => {
  console.error(`show failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
