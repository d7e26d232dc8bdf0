/**
 * `tsx scripts/worker.ts --task-queue Q --data-dir DIR [--address HOST:PORT] [--namespace NS] [--workflow-bundle FILE]`:
 * one standalone desk worker process serving the orchestration, LLM and exchange task queues derived
 * from Q. Start more of them (on more machines) to scale out; the crash tests start and kill them.
 * Runs until SIGINT/SIGTERM, then shuts down gracefully.
 *
 *   --task-queue  base task queue (default `trading-desk`, the one `npm start` uses)
 *   --data-dir    this worker's own files: risk log, run log, market cache (default DESK_DATA_DIR, else .data)
 *   --blob-dir    the claim-check store every worker of the deployment shares: snapshots, LLM prompts,
 *                 answers and cache (default DESK_BLOB_DIR, else the data dir: one machine only)
 *   --address     Temporal frontend (default TEMPORAL_ADDRESS, else localhost:7233)
 *   --namespace   Temporal namespace (default TEMPORAL_NAMESPACE, else default)
 *   --workflow-bundle  a pre-built workflow bundle (bundleWorkflowCode's `code` written to a file): the
 *                 worker starts in a few seconds instead of bundling workflows/ itself (~12 s); it must be
 *                 built from the same workflows/ source as every other worker of its build
 *   --deployment  the Worker Deployment it joins (default DESK_DEPLOYMENT, else `trading-desk`; docs/deploys.md)
 *   --build-id    its build (default DESK_BUILD_ID, else `<package version>-<git short sha>[-dirty]`); on a
 *                 deployment with no current build yet it makes its own current, else `npm run deploy -- current`
 *                 does. DESK_VERSIONING=off runs unversioned workers instead.
 * The LLM is the offline heuristic reasoner unless LLM_PROVIDER and a key say otherwise (.env.example).
 *
 * Test hook, inert unless set: DESK_TEST_PAUSE_AT=<activity type> (e.g. `R-B.quantifyUncertainty`)
 * makes that activity do its work, write `<data-dir>/paused-at-<type>` and then hang, so a test can
 * kill -9 the process inside that step: after its side effects, before Temporal hears the result.
 * With several workers: DESK_TEST_PAUSE_FROM_BAR=<ms> pauses only in bars closing at or after it, and
 * DESK_TEST_PAUSE_ONCE=<file> lets only the first worker to create that file pause (the others run on).
 */
import { Context } from '@temporalio/activity';
import { mkdir, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { buildActivityDeps } from '../workers/build-deps';
import { connectClient, ensureSearchAttributes, connectWorker } from '../workers/client';
import { deskVersionFor, formatVersion, setCurrentVersion } from '../workers/deployment';
import { DEFAULT_TASK_QUEUE, blobDir, dataDir, loadEnv, temporalEnv } from '../workers/env';
import { createDeskWorkers, installRuntimeLogger, runDeskWorkers } from '../workers/worker';

async function main(): Promise<void> {
  installRuntimeLogger();
  const { values } = parseArgs({
    options: {
      'task-queue': { type: 'string', default: DEFAULT_TASK_QUEUE },
      'data-dir': { type: 'string' },
      'blob-dir': { type: 'string' },
      address: { type: 'string' },
      namespace: { type: 'string' },
      'workflow-bundle': { type: 'string' },
      deployment: { type: 'string' },
      'build-id': { type: 'string' },
    },
  });
  const env = loadEnv();
  const version = deskVersionFor({ deployment: values.deployment, buildId: values['build-id'] }, env);
  const tenv = temporalEnv({
    ...env,
    ...(values.address ? { TEMPORAL_ADDRESS: values.address } : {}),
    ...(values.namespace ? { TEMPORAL_NAMESPACE: values.namespace } : {}),
  });
  const dir = resolve(values['data-dir'] ?? dataDir(env));
  const shared = values['blob-dir'] ? resolve(values['blob-dir']) : blobDir(env, dir);
  const taskQueue = values['task-queue'];

  const client = await connectClient(tenv);
  await ensureSearchAttributes(client);
  const connection = await connectWorker(tenv);
  const deps = buildActivityDeps({ dataDir: dir, blobDir: shared, env, client });
  const bundlePath = values['workflow-bundle'];
  const pauseAt = env.DESK_TEST_PAUSE_AT;
  const workers = await createDeskWorkers({
    connection,
    namespace: tenv.namespace,
    taskQueue,
    deps,
    version,
    ...(bundlePath ? { workflowBundle: { codePath: resolve(bundlePath) } } : {}),
    ...(pauseAt
      ? {
          wrapActivities: (acts: Record<string, unknown>) =>
            pauseIn(acts as Record<string, ActivityFn>, pauseAt, dir, pauseRules(env)),
        }
      : {}),
  });
  const stop = new AbortController();
  process.once('SIGINT', () => stop.abort());
  process.once('SIGTERM', () => stop.abort());
  const running = runDeskWorkers(workers, stop.signal);
  // A fresh deployment routes nothing until a build is current: the first worker makes its own current.
  const current = version ? await setCurrentVersion(client, version, { onlyIfNone: true }) : null;
  console.log(
    `worker ready: task queue ${taskQueue} on ${tenv.address} (${tenv.namespace}), data in ${dir}, shared blobs in ${shared}${shared === dir ? ' (this machine only: on several machines set DESK_BLOB_DIR to a directory all workers mount)' : ''}; ${version ? `build ${formatVersion(version)}${current === version.buildId ? ' (current)' : ` (current build: ${current}; npm run deploy -- current ${version.buildId} moves new iterations here)`}` : 'unversioned (DESK_VERSIONING=off)'}`,
  );
  await running;
  await connection.close();
  await client.connection.close();
}

type ActivityFn = (...args: unknown[]) => Promise<unknown>;

interface PauseRules {
  fromBarMs: number;
  onceFile: string | null;
}

function pauseRules(env: NodeJS.ProcessEnv): PauseRules {
  return { fromBarMs: Number(env.DESK_TEST_PAUSE_FROM_BAR ?? 0), onceFile: env.DESK_TEST_PAUSE_ONCE ?? null };
}

/** Whether this call parks: a late enough bar, and (with a once-file) this worker claimed the pause first. */
async function claimPause(args: unknown[], rules: PauseRules): Promise<boolean> {
  const barCloseMs = (args[0] as { ctx?: { barCloseMs?: number } } | undefined)?.ctx?.barCloseMs ?? 0;
  if (barCloseMs < rules.fromBarMs) return false;
  if (!rules.onceFile) return true;
  try {
    await writeFile(rules.onceFile, `${process.pid}\n`, { flag: 'wx' });
    return true;
  } catch {
    return false;
  }
}

/** Test hook (DESK_TEST_PAUSE_AT): the activity does its work, records that it got there, then hangs until killed. */
function pauseIn(
  acts: Record<string, ActivityFn>,
  activityType: string,
  dir: string,
  rules: PauseRules,
): Record<string, ActivityFn> {
  const inner = acts[activityType];
  if (!inner) return acts;
  const paused: ActivityFn = async (...args) => {
    const result = await inner(...args);
    if (!(await claimPause(args, rules))) return result;
    await mkdir(dir, { recursive: true });
    await writeFile(
      resolve(dir, `paused-at-${activityType}`),
      `${Context.current().info.workflowExecution?.workflowId ?? ''}\n`,
      { flag: 'a' },
    );
    // Never resolves; rejects only if Temporal cancels the attempt (e.g. on a graceful shutdown).
    return Context.current().cancelled;
  };
  return { ...acts, [activityType]: paused };
}

main().catch((err) => {
  console.error(`worker failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
