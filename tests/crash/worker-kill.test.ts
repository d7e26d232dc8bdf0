import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { resolve } from 'node:path';
import type { SessionResult } from '../../workflows/session';
import { startTestTemporal, type TestTemporal } from '../helpers/temporal';
import { crashSessionConfig, expectExactlyOnce, outcomeOf, readLogs, runReference, spawnWorker, waitUntilPaused, type WorkerProcess } from './desk-processes';

/**
 * Steps to die in, in pipeline order. Each worker recovers the step its predecessor died in, then
 * parks in the next one and is killed there; pure steps time out after 10 s, X-E after 1 minute.
 * T-B builds the order, M-B has written the risk log when it dies, X-E has executed the order.
 */
const KILL_POINTS = ['A-B.buildFeatures', 'R-B.quantifyUncertainty', 'T-B.buildOrder', 'M-B.logRisk', 'X-E.executeOrders'];
const BARS = 6;

describe('kill -9 of a worker process inside a step', () => {
  let t: TestTemporal;
  let dir: string;
  const workers: WorkerProcess[] = [];
  beforeAll(async () => {
    dir = mkdtempSync(resolve(tmpdir(), 'desk-crash-'));
    t = await startTestTemporal({ dbFile: resolve(dir, 'temporal.db') });
  });
  afterAll(async () => {
    for (const w of workers) await w.kill9();
    await t?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('the session completes with one order per bar and the same decisions, orders and equity as an uninterrupted run', async () => {
    const config = await crashSessionConfig(`crash-worker-${Date.now()}`, BARS);
    const reference = await runReference(config);
    // The reference must trade, else "same orders" proves nothing.
    expect(reference.reports.filter((r) => r.order !== null).length).toBeGreaterThan(0);

    const taskQueue = `crash-${Date.now()}`;
    const dataDir = resolve(dir, 'desk');
    const start = (pauseAt?: string) => {
      const w = spawnWorker({ address: t.server.address, taskQueue, dataDir, pauseAt });
      workers.push(w);
      return w;
    };
    const handle = await t.client.workflow.start('tradingSessionWorkflow', { taskQueue, workflowId: config.sessionId, args: [{ config, scheduleId: null }] });

    for (const step of KILL_POINTS) {
      const w = start(step);
      const stamp = Date.now();
      await waitUntilPaused(t.client, dataDir, step, w);
      console.log(`paused in ${step} after ${Date.now() - stamp} ms`);
      await w.kill9();
      expect(w.child.signalCode).toBe('SIGKILL');
    }
    const last = start();
    const result = (await handle.result()) as SessionResult;
    await last.stop();

    expect(result.reason).toBe('finished');
    const { reports, risk } = await readLogs(dataDir, config.sessionId);
    expectExactlyOnce(config, reports, risk);
    expect(outcomeOf({ reports, state: result.state })).toEqual(outcomeOf(reference));
  });
});
