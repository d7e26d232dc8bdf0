import { resolve } from 'node:path';
import type { SessionResult } from '../../workflows/session';
import {
  crashSessionConfig,
  expectExactlyOnce,
  outcomeOf,
  readLogs,
  retriedActivities,
  runReference,
  useCrashServer,
  waitUntilPaused,
} from './desk-processes';
import { tradingSessionWorkflow } from '../../workflows/session';

const BARS = 6;

describe('kill -9 of a worker process inside a step', () => {
  const crash = useCrashServer('desk-crash-');

  /**
   * One session on its own task queue and worker processes. Each worker recovers the step its
   * predecessor died in, then parks in the next kill point and is killed there (kill -9: Temporal
   * only notices when the attempt's start-to-close timeout expires). A last worker finishes the session.
   */
  async function runWithKills(name: string, killPoints: string[]): Promise<void> {
    const config = await crashSessionConfig(`crash-${name}-${Date.now()}`, BARS);
    const reference = await runReference(config);
    // The reference must trade, else "the same orders" proves nothing.
    expect(reference.reports.filter((r) => r.order !== null).length).toBeGreaterThan(0);

    const taskQueue = `crash-${name}-${Date.now()}`;
    const { t, dir } = crash;
    const dataDir = resolve(dir, name);
    const start = (pauseAt?: string) => crash.spawn({ taskQueue, dataDir, pauseAt });
    const handle = await t.client.workflow.start(tradingSessionWorkflow, {
      taskQueue,
      workflowId: config.sessionId,
      args: [{ config, scheduleId: null }],
    });
    const killedIn: Array<{ step: string; workflowId: string }> = [];
    for (const step of killPoints) {
      const w = start(step);
      killedIn.push({ step, workflowId: await waitUntilPaused(t.client, dataDir, step, w) });
      await w.kill9();
      expect(w.child.signalCode).toBe('SIGKILL');
    }
    const last = start();
    const result = (await handle.result()) as SessionResult;
    await last.stop();

    expect(result.reason).toBe('finished');
    // Each kill landed inside its step: Temporal timed the attempt out and ran it again.
    for (const { step, workflowId } of killedIn) expect(await retriedActivities(t.client, workflowId)).toContain(step);
    const { reports, risk } = await readLogs(dataDir, config.sessionId);
    expectExactlyOnce(config, reports, risk);
    expect(outcomeOf({ reports, state: result.state })).toEqual(outcomeOf(reference));
  }

  it('sessions killed in A-B, R-B, T-B, M-B (after the risk log write) and X-E finish with one order per bar and the uninterrupted result', async () => {
    // A backtest fund's X-E runs the paper simulator as a pure step (X-E.executeOrdersPaper); its
    // kill runs in a second session alongside, so the file stays short.
    await Promise.all([
      runWithKills('pipeline', ['A-B.buildFeatures', 'R-B.quantifyUncertainty', 'T-B.buildOrder', 'M-B.logRisk']),
      runWithKills('execution', ['X-E.executeOrdersPaper']),
    ]);
  });
});
