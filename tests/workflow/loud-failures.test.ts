import { MemoryBlobStore, type BlobStore } from '../../adapters/store/blob-store';
import { MemoryRunLog } from '../../adapters/store/run-log';
import { iterationIdFor } from '../../domain/orchestration/run-iteration';
import type { SessionConfig } from '../../domain/schemas/config';
import { createFailureWatcher, formatFailure, type IterationFailure } from '../../workers/iteration-failures';
import { buildSessionConfig } from '../../workers/session-config';
import { readSessionStatus } from '../../workers/session-status';
import { eventually, startTestTemporal, startWorkers, testDeps, type TestTemporal } from '../helpers/temporal';
import { tradingSessionWorkflow } from '../../workflows/session';

const FEED = { kind: 'synthetic', seed: 11, startMs: Date.UTC(2024, 0, 1), bars: 600 } as const;

async function backtestConfig(name: string, bars: number): Promise<SessionConfig> {
  const config = await buildSessionConfig({
    sessionId: `${name}-${Date.now()}`,
    mode: 'backtest',
    feed: FEED,
    risk: { minConfidence: 0.5 },
  });
  return { ...config, toMs: config.fromMs! + (bars - 1) * config.barMs };
}

/** A store whose reads fail as a lost mount would (retryable), then as a worker without the shared store would (missing). */
class BrokenReads extends MemoryBlobStore implements BlobStore {
  mode: 'unreachable' | 'missing' = 'unreachable';
  override async get<T>(): Promise<T | null> {
    if (this.mode === 'unreachable') throw new Error('blob mount unreachable');
    return null;
  }
}

describe('failures are loud and status answers without workers', () => {
  let t: TestTemporal;
  beforeAll(async () => {
    t = await startTestTemporal();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('the npm start watcher reports each failed step attempt and each failed iteration with bar, step, error type and message', async () => {
    const blobs = new BrokenReads();
    const taskQueue = `loud-${Date.now()}`;
    const w = await startWorkers(t, taskQueue, testDeps({ blobs }));
    const config = await backtestConfig('loud', 4);
    const watcher = createFailureWatcher(t.client, config.sessionId, Date.now() - 1000);
    const seen: IterationFailure[] = [];
    const handle = await t.client.workflow.start(tradingSessionWorkflow, {
      taskQueue,
      workflowId: config.sessionId,
      args: [{ config, scheduleId: null }],
    });
    try {
      const firstBar = new Date(config.fromMs!).toISOString();
      const retry = await eventually(
        async () => {
          seen.push(...(await watcher.poll()));
          return seen.find((f) => f.kind === 'retrying');
        },
        'a retrying step attempt',
        60_000,
      );
      expect(retry).toMatchObject({
        bar: firstBar,
        step: 'X-S.syncAccountsPaper',
        type: 'Error',
        message: 'blob mount unreachable',
        attempt: 1,
      });
      expect(formatFailure(retry)).toContain(
        `[${firstBar}] step attempt 1 failed, retrying: X-S.syncAccountsPaper Error: blob mount unreachable`,
      );

      blobs.mode = 'missing';
      const failed = await eventually(
        async () => {
          seen.push(...(await watcher.poll()));
          return seen.find((f) => f.kind === 'failed');
        },
        'a failed iteration',
        90_000,
      );
      expect(failed).toMatchObject({
        iterationId: iterationIdFor(config.sessionId, config.fromMs!),
        bar: firstBar,
        step: 'X-S.syncAccountsPaper',
        type: 'Data.Unavailable',
      });
      expect(failed.message).toMatch(/^snapshot \S+ is not in the blob store/);
      // Reported once: later polls do not repeat it.
      const again = await watcher.poll();
      expect(again.filter((f) => f.iterationId === failed.iterationId && f.kind === 'failed')).toEqual([]);
    } finally {
      await handle.terminate('test over').catch(() => undefined);
      await w.stop();
    }
  });

  it('status answers live with a worker, and from the last completed iteration, marked stale, once no worker runs', async () => {
    const runLog = new MemoryRunLog();
    const taskQueue = `stale-${Date.now()}`;
    const deps = testDeps({ runLog });
    const w = await startWorkers(t, taskQueue, deps);
    const config = await backtestConfig('stale', 200);
    const handle = await t.client.workflow.start(tradingSessionWorkflow, {
      taskQueue,
      workflowId: config.sessionId,
      args: [{ config, scheduleId: null }],
      memo: { feed: 'synthetic' },
    });
    try {
      await eventually(async () => (await runLog.read(config.sessionId)).length >= 2, 'two iterations', 90_000);
      const live = await readSessionStatus(t.client, config.sessionId);
      expect(live).toMatchObject({ stale: false, stale_reason: null, workflow_status: 'RUNNING' });
      await w.stop();

      // The newest bar whose iteration completed, found independently by describing the iteration ids in order.
      let completed = 0;
      while (
        (
          await t.client.workflow
            .getHandle(iterationIdFor(config.sessionId, config.fromMs! + completed * config.barMs))
            .describe()
            .catch(() => null)
        )?.status.name === 'COMPLETED'
      )
        completed++;
      expect(completed).toBeGreaterThanOrEqual(2);
      const lastBarMs = config.fromMs! + (completed - 1) * config.barMs;

      const stale = await readSessionStatus(t.client, config.sessionId, { queryTimeoutMs: 3000, blobs: deps.blobs });
      expect(stale).toMatchObject({
        stale: true,
        workflow_status: 'RUNNING',
        as_of_iteration: iterationIdFor(config.sessionId, lastBarMs),
        iterations: completed,
        last_bar: new Date(lastBarMs).toISOString(),
        session: config.sessionId,
        memo: { feed: 'synthetic' },
      });
      expect(stale.stale_reason).toMatch(
        /(no worker polls task queue|did not answer its status query).*last completed iteration/,
      );
      expect(stale.search_attributes).toMatchObject({ DeskSession: config.sessionId, DeskMode: 'backtest' });
    } finally {
      await handle.terminate('test over').catch(() => undefined);
    }
  });
});
