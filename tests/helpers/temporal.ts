import { Client, Connection } from '@temporalio/client';
import {
  bundleWorkflowCode,
  DefaultLogger,
  NativeConnection,
  Runtime,
  type WorkflowBundleWithSourceMap,
  type Worker,
} from '@temporalio/worker';
import type { ActivityDeps } from '../../activities/deps';
import { createLlm } from '../../adapters/llm/create-llm';
import { loadLlmConfig } from '../../adapters/llm/config';
import { openMarketData } from '../../adapters/market/market-data';
import { MemoryRiskLog } from '../../adapters/risk-log/risk-log';
import { MemoryBlobStore } from '../../adapters/store/blob-store';
import { MemoryRunLog } from '../../adapters/store/run-log';
import { type DevServer, freePort, startDevServer } from '../../workers/temporal-server';
import { createDeskWorkers } from '../../workers/worker';

let bundle: Promise<WorkflowBundleWithSourceMap> | null = null;

/** Workflows bundled once per test file (bundling takes seconds). */
export function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  bundle ??= bundleWorkflowCode({ workflowsPath: require.resolve('../../workflows'), logger: quietLogger });
  return bundle;
}

const quietLogger = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} } as never;

export interface TestTemporal {
  server: DevServer;
  client: Client;
  connection: NativeConnection;
  close(): Promise<void>;
}

/** A real Temporal dev server (the CLI installed by scripts/setup) on a free port, headless. */
let runtimeInstalled = false;

export async function startTestTemporal(opts: { dbFile?: string; port?: number } = {}): Promise<TestTemporal> {
  if (!runtimeInstalled) {
    Runtime.install({ logger: new DefaultLogger('ERROR') });
    runtimeInstalled = true;
  }
  const port = opts.port ?? (await freePort());
  const server = await startDevServer({ port, uiPort: null, dbFile: opts.dbFile ?? null });
  const connection = await NativeConnection.connect({ address: server.address });
  const clientConnection = await Connection.connect({ address: server.address });
  const client = new Client({ connection: clientConnection });
  return {
    server,
    client,
    connection,
    close: async () => {
      await clientConnection.close();
      await connection.close();
      await server.stop();
    },
  };
}

/** In-memory dependencies with the offline reasoner: deterministic and local. */
export function testDeps(overrides: Partial<ActivityDeps> = {}): ActivityDeps {
  return {
    blobs: new MemoryBlobStore(),
    market: (feed) => openMarketData(feed),
    news: () => null,
    llm: createLlm(loadLlmConfig({ LLM_PROVIDER: 'heuristic' }), { blobs: new MemoryBlobStore() }),
    riskLog: new MemoryRiskLog(),
    runLog: new MemoryRunLog(),
    now: () => Date.now(),
    ...overrides,
  };
}

export async function startWorkers(
  t: TestTemporal,
  taskQueue: string,
  deps: ActivityDeps,
): Promise<{ workers: Worker[]; done: Promise<void>; stop(): Promise<void> }> {
  const workers = await createDeskWorkers({
    connection: t.connection,
    taskQueue,
    deps,
    workflowBundle: await workflowBundle(),
  });
  const done = Promise.all(workers.map((w) => w.run())).then(() => undefined);
  return {
    workers,
    done,
    stop: async () => {
      workers.forEach((w) => w.shutdown());
      await done;
    },
  };
}

/** Wait for a condition with a deadline (no fixed sleeps in tests). */
export async function eventually<T>(
  probe: () => Promise<T | null | undefined | false>,
  what: string,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown = null;
  while (Date.now() < deadline) {
    try {
      const v = await probe();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}

/** Activity type names and child workflow types in a workflow's event history. */
export async function historyNames(
  client: Client,
  workflowId: string,
): Promise<{ activities: string[]; children: string[] }> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  const activities: string[] = [];
  const children: string[] = [];
  for (const e of history.events ?? []) {
    const a = e.activityTaskScheduledEventAttributes?.activityType?.name;
    if (a) activities.push(a);
    const c = e.startChildWorkflowExecutionInitiatedEventAttributes?.workflowType?.name;
    if (c) children.push(c);
  }
  return { activities, children };
}
