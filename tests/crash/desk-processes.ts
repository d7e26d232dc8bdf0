import type { Client } from '@temporalio/client';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { resolve } from 'node:path';
import { JsonlRiskLog } from '../../adapters/risk-log/risk-log';
import { JsonlRunLog } from '../../adapters/store/run-log';
import { listBacktestBars } from '../../domain/orchestration/backtest-bars';
import type { SessionConfig } from '../../domain/schemas/config';
import type { IterationReport, SessionState } from '../../domain/schemas/session';
import type { RiskLogEntry } from '../../domain/schemas/risk';
import { clientOrderId } from '../../domain/trader/client-order-id';
import { runFastBacktest } from '../../workers/fast-runner';
import { buildSessionConfig, csvFeed } from '../../workers/session-config';
import { spawnWorkerProcess, type WorkerProcess } from '../../workers/worker-process';
import { eventually, startTestTemporal, testDeps, workflowBundle, type TestTemporal } from '../helpers/temporal';
import { FULL_SIZE } from '../helpers/ledger-invariant';

const ROOT = resolve(__dirname, '../..');
const DATA = resolve(ROOT, '../shared/data');

/** Real Binance 4h perp candles and funding; the session under test trades from 2023-01-01. */
export const FEED = csvFeed(`${DATA}/candles/binance_usdm_btcusdt_perp_4h_resampled_from_1h.csv`, {
  funding: `${DATA}/funding/binance_usdm_btcusdt_funding_8h.csv`,
});

/** A backtest session of `bars` bars from 2023-01-01 (the session walks the bars itself, no Schedule). */
export async function crashSessionConfig(sessionId: string, bars: number): Promise<SessionConfig> {
  const config = await buildSessionConfig({
    sessionId,
    mode: 'backtest',
    feed: FEED,
    fromMs: Date.UTC(2023, 0, 1),
    risk: { minConfidence: 0.5 },
    // Entries at any positive net edge and full size: the crash checks need orders in a few bars.
    sizing: FULL_SIZE,
  });
  return { ...config, toMs: config.fromMs! + (bars - 1) * config.barMs };
}

/** The workflows bundled once into a file, so each worker process starts in seconds rather than bundling. */
export async function writeWorkflowBundle(dir: string): Promise<string> {
  const file = resolve(dir, 'workflow-bundle.js');
  writeFileSync(file, (await workflowBundle()).code);
  return file;
}

export type { WorkerProcess };

/** scripts/worker.ts as a child process (workers/worker-process.ts) on the offline reasoner, test hooks as asked. */
export interface WorkerOptions {
  address: string;
  taskQueue: string;
  dataDir: string;
  bundle: string;
  pauseAt?: string | undefined;
  /** --blob-dir: the claim-check store shared by the deployment's workers. @default the data dir */
  blobDir?: string;
  /** Extra environment (LLM provider, test hooks); wins over the defaults. */
  env?: NodeJS.ProcessEnv;
}

export function spawnWorker(opts: WorkerOptions): WorkerProcess {
  // Unversioned like the in-process test workers (a test that wants versioning sets DESK_VERSIONING=on).
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    LLM_PROVIDER: 'heuristic',
    DESK_LOG_LEVEL: 'ERROR',
    DESK_VERSIONING: 'off',
  };
  delete env.DESK_TEST_PAUSE_AT;
  delete env.DESK_BLOB_DIR;
  if (opts.pauseAt) env.DESK_TEST_PAUSE_AT = opts.pauseAt;
  Object.assign(env, opts.env ?? {});
  return spawnWorkerProcess({
    address: opts.address,
    taskQueue: opts.taskQueue,
    dataDir: opts.dataDir,
    bundle: opts.bundle,
    ...(opts.blobDir ? { blobDir: opts.blobDir } : {}),
    env,
  });
}

/** What a crash test file shares: one dev server on a database file, the workflow bundle, its worker processes. */
export interface CrashServer {
  /** The dev server and its clients (ready once beforeAll has run). */
  readonly t: TestTemporal;
  /** The file's temporary directory: the server's database, the bundle, the workers' data directories. */
  readonly dir: string;
  /** A worker process on this server running the bundle; afterAll kills it if it is still alive. */
  spawn(opts: Omit<WorkerOptions, 'address' | 'bundle'>): WorkerProcess;
  /** Something else the test started (a fake LLM server): afterAll stops it too. */
  stopAfterAll(stop: () => Promise<void>): void;
}

/**
 * Registers the crash tests' beforeAll/afterAll: a fresh temporary directory named `prefix…`, a real
 * dev server persisting to a database file in it, and the workflows bundled once into a file; after
 * the file's tests, every worker spawned through it is killed, whatever was handed to stopAfterAll is
 * stopped, then the server, and the directory is removed.
 */
export function useCrashServer(prefix: string): CrashServer {
  let t: TestTemporal | undefined;
  let dir: string | undefined;
  let bundle: string | undefined;
  const workers: WorkerProcess[] = [];
  const stops: Array<() => Promise<void>> = [];
  beforeAll(async () => {
    dir = mkdtempSync(resolve(tmpdir(), prefix));
    t = await startTestTemporal({ dbFile: resolve(dir, 'temporal.db') });
    bundle = await writeWorkflowBundle(dir);
  });
  afterAll(async () => {
    for (const w of workers) await w.kill9();
    for (const stop of stops) await stop();
    await t?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  const ready = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`useCrashServer: ${what} is only ready once beforeAll has run`);
    return value;
  };
  return {
    get t() {
      return ready(t, 'the server');
    },
    get dir() {
      return ready(dir, 'the directory');
    },
    spawn(opts) {
      const worker = spawnWorker({
        ...opts,
        address: ready(t, 'the server').server.address,
        bundle: ready(bundle, 'the bundle'),
      });
      workers.push(worker);
      return worker;
    },
    stopAfterAll(stop) {
      stops.push(stop);
    },
  };
}

export function markerOf(dataDir: string, activityType: string): string {
  return resolve(dataDir, `paused-at-${activityType}`);
}

/**
 * Waits until the worker is parked inside `activityType` and nothing else is in flight in that
 * workflow, so the kill lands exactly in that step (a kill during a 3-minute LLM call would only slow the test).
 */
export async function waitUntilPaused(
  client: Client,
  dataDir: string,
  activityType: string,
  worker: WorkerProcess,
): Promise<string> {
  const marker = markerOf(dataDir, activityType);
  const workflowId = await eventually(
    async () => {
      if (worker.child.exitCode !== null) throw new Error(`worker exited: ${worker.output()}`);
      return existsSync(marker) ? readFileSync(marker, 'utf8').split('\n')[0] : null;
    },
    `the worker to pause in ${activityType}`,
    90_000,
  );
  await eventually(
    async () => {
      const d = await client.workflow.getHandle(workflowId).describe();
      const pending = d.raw.pendingActivities ?? [];
      return pending.length > 0 && pending.every((p) => p.activityType?.name === activityType) ? true : null;
    },
    `only ${activityType} in flight in ${workflowId}`,
    60_000,
  );
  return workflowId;
}

/** Activity types in a workflow's history whose recorded attempt was not the first: the retried ones. */
export async function retriedActivities(client: Client, workflowId: string): Promise<string[]> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  const typeOf = new Map<string, string>();
  const retried = new Set<string>();
  for (const e of history.events ?? []) {
    const scheduled = e.activityTaskScheduledEventAttributes;
    if (scheduled) typeOf.set(String(e.eventId), scheduled.activityType?.name ?? '');
    const started = e.activityTaskStartedEventAttributes;
    if (started && (started.attempt ?? 1) > 1) retried.add(typeOf.get(String(started.scheduledEventId)) ?? '?');
  }
  return [...retried];
}

export interface RunRecord {
  reports: IterationReport[];
  state: SessionState;
}

/** The same config through the fast runner with in-memory deps: the uninterrupted reference. */
export async function runReference(config: SessionConfig, deps = testDeps()): Promise<RunRecord> {
  const { state, reports } = await runFastBacktest(config, deps);
  return { state, reports };
}

/** What must not change when processes die: decisions, orders, trades, equity (not LLM cache hits). */
export function outcomeOf(run: RunRecord): unknown {
  return {
    bars: run.reports.map((r) => ({
      iterationId: r.iterationId,
      round: r.round,
      decision: r.decision,
      reason: r.reason,
      order: r.order,
      riskOutcome: r.riskOutcome,
      riskAttempts: r.riskAttempts,
      equity: r.equity,
      closedTrades: r.closedTrades,
      knowledgeTransfer: r.knowledgeTransfer,
    })),
    account: run.state.account,
    shadow: run.state.shadow,
    round: run.state.round,
  };
}

export async function readLogs(
  dataDir: string,
  sessionId: string,
): Promise<{ reports: IterationReport[]; risk: RiskLogEntry[] }> {
  const reports = await new JsonlRunLog(resolve(dataDir, 'runs')).read(sessionId);
  const risk = await new JsonlRiskLog(resolve(dataDir, 'risk-log.jsonl')).read({ sessionId });
  return { reports, risk };
}

/**
 * Exactly-once checks on the durable logs: one report per bar, at most one fund order per bar, no
 * client order id twice in the run, and one risk log entry per risk attempt (no duplicates from retries).
 */
export function expectExactlyOnce(config: SessionConfig, reports: IterationReport[], risk: RiskLogEntry[]): void {
  expect(reports.map((r) => r.barCloseMs)).toEqual(listBacktestBars(config));
  const orderIds = reports.flatMap((r) => (r.order ? [r.order.orderId] : []));
  expect(new Set(orderIds).size).toBe(orderIds.length);
  for (const r of reports) {
    // The fund's order is the one this iteration derived (idempotent placement), not a retry's twin.
    if (r.order) expect(possibleOrderIds(r)).toContain(r.order.orderId);
    const entries = risk.filter((e) => e.iterationId === r.iterationId);
    expect({ bar: r.iterationId, entries: entries.length }).toEqual({ bar: r.iterationId, entries: r.riskAttempts });
    expect(new Set(entries.map((e) => e.key)).size).toBe(entries.length);
  }
}

function possibleOrderIds(r: IterationReport): string[] {
  return Array.from({ length: Math.max(1, r.riskAttempts) }, (_, attempt) =>
    clientOrderId(r.iterationId, r.order!.traderId, attempt),
  );
}
