import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { listBacktestBars } from '../../domain/orchestration/backtest-bars';
import { planSweepRuns } from '../../domain/orchestration/sweep-plan';
import { BAR_MS } from '../../domain/schemas/config';
import { runSweepBacktest, toRunResult } from '../../workers/sweep-activity';
import { eventually, testDeps } from '../helpers/temporal';
import { FEED, useCrashServer, type WorkerProcess } from './desk-processes';
import { backtestSweepWorkflow } from '../../workflows/sweep';

const DAY = 24 * 3600_000;
const KILL_STEP = 'S-W.runBacktest';

describe('backtest sweep across worker processes', () => {
  const crash = useCrashServer('desk-sweep-');

  it('fans out one child per (window, seed, arm); a worker killed mid-run loses only that run, which reruns elsewhere with the same figures', async () => {
    const start = Date.UTC(2023, 0, 1);
    const windows = [0, 1].map((i) => ({ fromMs: start + i * 20 * DAY, toMs: start + (i + 1) * 20 * DAY }));
    const arms = [
      { name: 'leader', overrides: { decisionRule: 'leader' } },
      { name: 'vote', overrides: {} },
    ];
    const runs = planSweepRuns(windows, [7], arms);
    const taskQueue = `sweep-${Date.now()}`;
    const { t, dir } = crash;
    // Both workers armed; the first to finish a run parks before answering and is killed there.
    const hook = { DESK_TEST_PAUSE_ONCE: resolve(dir, 'pause-claimed') };
    const workers: WorkerProcess[] = ['a', 'b'].map((name) =>
      crash.spawn({ taskQueue, dataDir: resolve(dir, name), pauseAt: KILL_STEP, env: hook }),
    );
    await eventually(
      async () => workers.every((w) => w.output().includes('worker ready')),
      'two workers ready',
      90_000,
    );

    const sweepId = `sweep-test-${Date.now()}`;
    const handle = await t.client.workflow.start(backtestSweepWorkflow, {
      taskQueue,
      workflowId: sweepId,
      args: [{ sweepId, feed: FEED, runs, heartbeatEveryBars: 5 }],
    });
    const victim = await eventually(
      async () => {
        const i = ['a', 'b'].findIndex((name) => {
          try {
            return readFileSync(resolve(dir, name, `paused-at-${KILL_STEP}`), 'utf8').length > 0;
          } catch {
            return false;
          }
        });
        return i >= 0 ? workers[i]! : null;
      },
      'a worker to park in a sweep run',
      120_000,
    );
    const killedRun = readFileSync(
      resolve(dir, victim === workers[0] ? 'a' : 'b', `paused-at-${KILL_STEP}`),
      'utf8',
    ).split('\n')[0]!;
    await victim.kill9();

    const result = await handle.result();
    expect(result.runs.map((r) => r.id)).toEqual(runs.map((r) => r.id));
    // Only the killed run was attempted twice; it finished on the surviving worker.
    const retried = result.runs.filter((r) => r.attempt > 1);
    expect(retried.map((r) => `${sweepId}-${r.id}`)).toEqual([killedRun]);
    expect(retried[0]!.worker.split('@')[0]).toBe(String(workers.find((w) => w !== victim)!.child.pid));

    for (const [i, r] of result.runs.entries()) {
      // Each gathered result is the run's own fast backtest, and its figures reconcile with its trades.
      const direct = toRunResult(
        runs[i]!,
        await runSweepBacktest({ feed: FEED, run: runs[i]!, heartbeatEveryBars: 5 }, testDeps()),
        { attempt: r.attempt, worker: r.worker, seconds: r.seconds },
      );
      expect(r).toEqual(direct);
      expect(Math.abs(r.final_equity - r.initial_equity - (r.realized_pnl - r.fees + r.funding))).toBeLessThanOrEqual(
        1e-9 * r.initial_equity,
      );
      expect(r.bars).toBe(listBacktestBars({ ...runs[i]!.window, barMs: BAR_MS }).length);
    }
  });
});
