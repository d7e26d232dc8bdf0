import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createLlm } from '../../adapters/llm/create-llm';
import { loadLlmConfig } from '../../adapters/llm/config';
import { FileBlobStore, MemoryBlobStore } from '../../adapters/store/blob-store';
import { iterationIdFor } from '../../domain/orchestration/run-iteration';
import type { SessionResult } from '../../workflows/session';
import { scheduleIdFor } from '../../workers/client';
import { readLlmExchanges, readStepResults } from '../../workers/iteration-records';
import { upsertSchedule } from '../../workers/schedule';
import { startStepAwareOpenAi } from '../fakes/step-aware-llm';
import { eventually, testDeps } from '../helpers/temporal';
import {
  crashSessionConfig,
  expectExactlyOnce,
  markerOf,
  outcomeOf,
  readLogs,
  retriedActivities,
  runReference,
  useCrashServer,
} from './desk-processes';
import { tradingSessionWorkflow } from '../../workflows/session';

const BARS = 8;
const KILL_STEP = 'R-B.quantifyUncertainty';
/** Steps that read the snapshot A-A stored: on another worker they need the shared store. */
const SNAPSHOT_READERS = [
  'A-B.buildFeatures',
  'A-C.detectTrend',
  'R-B.quantifyUncertainty',
  'M-A.analyseRisk',
  'X-S.syncAccountsPaper',
  'X-E.executeOrdersPaper',
];

/**
 * The README's scale-out: one dev server, three worker processes with their own data directories
 * (three machines) sharing only the claim-check store (--blob-dir), an LLM provider on loopback.
 */
describe('three worker processes with separate data directories and a shared blob store', () => {
  const crash = useCrashServer('desk-multi-');

  it('a paper session of 8 bars survives kill -9 of one worker inside a step: every bar once, the single-worker decisions, every LLM record readable from the shared store', async () => {
    const llm = await startStepAwareOpenAi();
    crash.stopAfterAll(() => llm.close());
    const llmEnv = { LLM_PROVIDER: 'openai', OPENAI_API_KEY: 'sk-test-fake', LLM_BASE_URL: llm.baseUrl };
    // A paper session on the replay feed: bars come from a real Schedule, as under `npm start`.
    const config = { ...(await crashSessionConfig(`multi-${Date.now()}`, BARS)), mode: 'paper' as const };
    const reference = await runReference(
      config,
      testDeps({ llm: createLlm(loadLlmConfig(llmEnv), { blobs: new MemoryBlobStore() }) }),
    );
    expect(reference.reports.filter((r) => r.order !== null).length).toBeGreaterThan(0);

    const { t, dir } = crash;
    const taskQueue = `multi-${Date.now()}`;
    const shared = resolve(dir, 'shared-blobs');
    const dataDirs = [0, 1, 2].map((i) => resolve(dir, `machine-${i}`));
    // Every worker is armed; the first to reach R-B of bar 4 claims the pause (mid-session) and is killed there.
    const hook = {
      DESK_TEST_PAUSE_FROM_BAR: String(config.fromMs! + 3 * config.barMs),
      DESK_TEST_PAUSE_ONCE: resolve(dir, 'pause-claimed'),
    };
    const workers = dataDirs.map((dataDir) =>
      crash.spawn({ taskQueue, dataDir, pauseAt: KILL_STEP, blobDir: shared, env: { ...llmEnv, ...hook } }),
    );
    await eventually(
      async () => workers.every((w) => w.output().includes('worker ready')),
      'three workers ready',
      90_000,
    );
    const scheduleId = scheduleIdFor(config.sessionId);
    const handle = await t.client.workflow.start(tradingSessionWorkflow, {
      taskQueue,
      workflowId: config.sessionId,
      args: [{ config, scheduleId }],
    });
    await upsertSchedule(t.client, { scheduleId, sessionId: config.sessionId, taskQueue, barSeconds: 1 });

    const paused = await eventually(
      async () => {
        for (const w of workers) if (w.child.exitCode !== null) throw new Error(`worker exited: ${w.output()}`);
        // Without a shared store the bars fail and the session halts before bar 4: say so at once.
        const d = await handle.describe();
        if (d.status.name !== 'RUNNING')
          throw new Error(
            `session ended before the kill: ${JSON.stringify(((await handle.result()) as SessionResult).reason)}`,
          );
        const i = dataDirs.findIndex((d) => existsSync(markerOf(d, KILL_STEP)));
        return i >= 0 ? i + 1 : null;
      },
      `a worker to pause in ${KILL_STEP}`,
      120_000,
    );
    const victim = workers[paused - 1]!;
    const killedIn = readFileSync(markerOf(dataDirs[paused - 1]!, KILL_STEP), 'utf8').split('\n')[0]!;
    await victim.kill9();
    expect(victim.child.signalCode).toBe('SIGKILL');

    const result = (await handle.result()) as SessionResult;
    await t.client.schedule.getHandle(scheduleId).delete();
    expect(result.reason).toBe('finished');
    expect(await retriedActivities(t.client, killedIn)).toContain(KILL_STEP);

    // Exactly once across the machines: their run and risk logs together hold each bar once.
    const logs = await Promise.all(dataDirs.map((d) => readLogs(d, config.sessionId)));
    const reports = logs.flatMap((l) => l.reports).sort((a, b) => a.barCloseMs - b.barCloseMs);
    expectExactlyOnce(
      config,
      reports,
      logs.flatMap((l) => l.risk),
    );
    expect(outcomeOf({ reports, state: result.state })).toEqual(outcomeOf(reference));

    // The work really crossed machines: some step read a snapshot another process had stored.
    const iterations = reports.map((r) => iterationIdFor(config.sessionId, r.barCloseMs));
    let crossReads = 0;
    for (const id of iterations) {
      const steps = await readStepResults(t.client, id);
      const writer = steps.find((s) => s.activityType === 'A-A.alignData')?.worker;
      crossReads += steps.filter((s) => SNAPSHOT_READERS.includes(s.activityType) && s.worker !== writer).length;
    }
    expect(crossReads).toBeGreaterThan(0);

    // What each agent saw and answered is readable from the shared store, whoever made the call.
    const exchanges = (
      await Promise.all(
        iterations.map((id) => readLlmExchanges(t.client, id, new FileBlobStore(resolve(shared, 'llm')))),
      )
    ).flat();
    expect(exchanges.length).toBeGreaterThan(0);
    expect(exchanges.filter((x) => x.record === null)).toEqual([]);
    const shown = await runShow(t.server.address, shared, iterations[0]!);
    expect(shown).toContain('-- answer (');
    expect(shown).toMatch(/snapshot [0-9a-f]{64} stored/);
  });
});

/** `npm run show` as a separate process pointed only at the server and the shared store. */
function runShow(address: string, blobDir: string, iterationId: string): Promise<string> {
  return new Promise((done, fail) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'scripts/show.ts', '--iteration', iterationId, '--blob-dir', blobDir],
      {
        cwd: resolve(__dirname, '../..'),
        env: { ...process.env, TEMPORAL_ADDRESS: address },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.once('exit', (code) => (code === 0 ? done(out) : fail(new Error(`show exited ${code}: ${out}`))));
  });
}
