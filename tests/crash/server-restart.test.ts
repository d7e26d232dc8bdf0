import { Client, Connection } from '@temporalio/client';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { resolve } from 'node:path';
import type { SessionResult } from '../../workflows/session';
import { type DevServer, freePort, startDevServer, stopProcess } from '../../workers/temporal-server';
import { eventually } from '../helpers/temporal';
import {
  crashSessionConfig,
  expectExactlyOnce,
  outcomeOf,
  readLogs,
  runReference,
  spawnWorker,
  writeWorkflowBundle,
  type WorkerProcess,
} from './desk-processes';
import { tradingSessionWorkflow } from '../../workflows/session';

const BARS = 8;

describe('kill -9 of the Temporal dev server mid-session', () => {
  let dir: string;
  let server: DevServer | null = null;
  let worker: WorkerProcess | null = null;
  let connection: Connection | null = null;
  beforeAll(() => {
    dir = mkdtempSync(resolve(tmpdir(), 'desk-server-crash-'));
  });
  afterAll(async () => {
    await worker?.kill9();
    await connection?.close();
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('restarted on the same database file and port, the session resumes and ends as an uninterrupted run', async () => {
    const port = await freePort();
    const dbFile = resolve(dir, 'temporal.db');
    const startServer = () => startDevServer({ port, uiPort: null, dbFile });
    server = await startServer();
    connection = await Connection.connect({ address: server.address });
    const client = new Client({ connection });

    const config = await crashSessionConfig(`crash-server-${Date.now()}`, BARS);
    const reference = await runReference(config);
    const taskQueue = `crash-server-${Date.now()}`;
    const dataDir = resolve(dir, 'desk');
    worker = spawnWorker({ address: server.address, taskQueue, dataDir, bundle: await writeWorkflowBundle(dir) });
    const handle = await client.workflow.start(tradingSessionWorkflow, {
      taskQueue,
      workflowId: config.sessionId,
      args: [{ config, scheduleId: null }],
    });

    // Mid-session: some bars done, not all.
    const done = await eventually(
      async () => {
        if (worker!.child.exitCode !== null) throw new Error(`worker exited: ${worker!.output()}`);
        const { reports } = await readLogs(dataDir, config.sessionId);
        return reports.length >= 2 ? reports.length : null;
      },
      'two iterations before the crash',
      90_000,
    );
    await stopProcess(server.process, 'SIGKILL');
    expect(done).toBeLessThan(BARS);

    server = await startServer();
    const result = (await handle.result()) as SessionResult;
    expect(result.reason).toBe('finished');
    // The worker rode out the outage: it reconnected rather than exiting.
    expect(worker.child.exitCode).toBeNull();
    await worker.stop();

    const { reports, risk } = await readLogs(dataDir, config.sessionId);
    expectExactlyOnce(config, reports, risk);
    expect(outcomeOf({ reports, state: result.state })).toEqual(outcomeOf(reference));
  });
});
