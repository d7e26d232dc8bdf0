/**
 * The Temporal runner's cost per bar, measured on a loopback dev server: history bytes of each
 * iteration workflow (and of its children), wall seconds per bar, and the worker's peak RSS sampled
 * while the session runs. `npm run bench` reports these figures; this module also runs alone for a
 * quick look: `npx tsx bench/temporal-probe.ts [bars]` (from 2024-01-01, offline reasoner).
 */
import { Client, Connection, WorkflowNotFoundError } from '@temporalio/client';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { resolve } from 'node:path';
import { listBacktestBars } from '../domain/orchestration/backtest-bars';
import { iterationIdFor } from '../domain/orchestration/run-iteration';
import { BAR_MS, type SessionConfig } from '../domain/schemas/config';
import { JsonlRunLog } from '../adapters/store/run-log';
import { buildSessionConfig, csvFeed } from '../workers/session-config';
import { freePort, PROJECT_ROOT, startDevServer } from '../workers/temporal-server';
import { installRuntimeLogger } from '../workers/worker';
import { peakRssMbOf, spawnWorkerProcess, type WorkerProcess } from '../workers/worker-process';
import { tradingSessionWorkflow } from '../workflows/session';
import { writeBundleInChild } from './workflow-bundle';

const DATA = resolve(PROJECT_ROOT, '../shared/data');
export const BENCH_FEED = csvFeed(`${DATA}/candles/binance_usdm_btcusdt_perp_4h_resampled_from_1h.csv`, {
  funding: `${DATA}/funding/binance_usdm_btcusdt_funding_8h.csv`,
});
export const BENCH_WINDOW_FROM = Date.UTC(2024, 0, 1);
const HEURISTIC_ENV = { LLM_PROVIDER: 'heuristic' };

export interface TemporalProbe {
  bars: number;
  seconds: number;
  setupSeconds: number;
  /** History size the server reports for each iteration workflow, in bar order. */
  iterationHistoryBytes: number[];
  /** The same, only for bars the desk traded (not halted: a halted bar runs A-A and X-S only). */
  tradingIterationHistoryBytes: number[];
  /** Same, for the iteration's child workflows (risk review, knowledge transfer) together. */
  childHistoryBytes: number[];
  /** The session workflow's last run. */
  sessionHistoryBytes: number;
  peakRssMb: number;
  /** Peak RSS up to the session's start: the worker loading its prebuilt bundle and connecting. */
  setupPeakRssMb: number;
  /** The last trading iteration's history bytes by event kind and activity type (largest first). */
  breakdown: Record<string, number>;
}

/** The activity type a local activity's marker names (its `data` payload is JSON with `activity_type`). */
function localActivityTypeOf(data: Uint8Array | null | undefined): string | undefined {
  if (!data) return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(data).toString('utf8')) as { activity_type?: unknown };
    return typeof parsed.activity_type === 'string' ? `local ${parsed.activity_type}` : undefined;
  } catch {
    return undefined;
  }
}

/** Serialized bytes of one workflow's history events, summed by event type and activity/marker/child name. */
export async function historyBreakdown(client: Client, workflowId: string): Promise<Record<string, number>> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  const { temporal } = (await import('@temporalio/proto')).default;
  const scheduled = new Map<string, string>();
  const sums = new Map<string, number>();
  for (const e of history.events ?? []) {
    const id = String(e.eventId);
    const type = temporal.api.enums.v1.EventType[e.eventType ?? 0]?.replace('EVENT_TYPE_', '') ?? String(e.eventType);
    const name =
      e.activityTaskScheduledEventAttributes?.activityType?.name ??
      e.startChildWorkflowExecutionInitiatedEventAttributes?.workflowType?.name ??
      localActivityTypeOf(e.markerRecordedEventAttributes?.details?.['data']?.payloads?.[0]?.data) ??
      e.markerRecordedEventAttributes?.markerName ??
      undefined;
    if (name) scheduled.set(id, name);
    const ref =
      e.activityTaskCompletedEventAttributes?.scheduledEventId ??
      e.activityTaskStartedEventAttributes?.scheduledEventId ??
      e.childWorkflowExecutionCompletedEventAttributes?.initiatedEventId ??
      e.childWorkflowExecutionStartedEventAttributes?.initiatedEventId;
    const of = name ?? (ref != null ? scheduled.get(String(ref)) : undefined);
    const key = of ? `${type} ${of}` : type;
    const bytes = temporal.api.history.v1.HistoryEvent.encode(e).finish().length;
    sums.set(key, (sums.get(key) ?? 0) + bytes);
  }
  return Object.fromEntries([...sums].sort((a, b) => b[1] - a[1]));
}

/** A backtest config of `bars` bars from `from`, pure steps as local activities (as `npm run backtest -- --runner temporal`). */
export function windowConfig(sessionId: string, bars: number, from = BENCH_WINDOW_FROM): Promise<SessionConfig> {
  return buildSessionConfig({
    mode: 'backtest',
    feed: BENCH_FEED,
    fromMs: from,
    toMs: from + (bars - 1) * BAR_MS,
    sessionId: `${sessionId}-${Date.now().toString(36)}`,
    localPureSteps: true,
  }).then((c) =>
    listBacktestBars(c).length === bars
      ? c
      : Promise.reject(new Error(`expected ${bars} bars, the window has ${listBacktestBars(c).length}`)),
  );
}

/** Runs a `bars`-bar backtest session through a dev server and a worker process started here, and measures it. */
export async function probeTemporal(scratch: string, bars: number): Promise<TemporalProbe> {
  const setupStarted = performance.now();
  const server = await startDevServer({ port: await freePort(), uiPort: null, dbFile: null });
  const clientConnection = await Connection.connect({ address: server.address });
  const client = new Client({ connection: clientConnection });
  let worker: WorkerProcess | null = null;
  try {
    const config = await windowConfig('bench-temporal', bars);
    const dataDir = resolve(scratch, 'temporal');
    const taskQueue = `bench-${Date.now().toString(36)}`;
    // The worker as deployed: scripts/worker.ts in a process of its own, with the desk's node flags and a
    // prebuilt bundle (webpack stays out of its RSS); its peak RSS is the kernel's high-water mark.
    const bundle = await writeBundleInChild(resolve(scratch, 'workflow-bundle.js'));
    const env: NodeJS.ProcessEnv = { ...process.env, ...HEURISTIC_ENV, DESK_LOG_LEVEL: 'ERROR' };
    delete env.DESK_BLOB_DIR;
    worker = spawnWorkerProcess({ address: server.address, taskQueue, dataDir, bundle, env });
    await waitForReady(worker);
    const pid = worker.child.pid!;
    const setupSeconds = (performance.now() - setupStarted) / 1000;
    const setupPeakRss = peakRssMbOf(pid) ?? 0;
    const started = performance.now();
    const handle = await client.workflow.start(tradingSessionWorkflow, {
      workflowId: config.sessionId,
      taskQueue,
      args: [{ config, scheduleId: null }],
    });
    await handle.result();
    const seconds = (performance.now() - started) / 1000;
    const peakRss = peakRssMbOf(pid) ?? 0;
    const barList = listBacktestBars(config);
    const reports = await new JsonlRunLog(resolve(dataDir, 'runs')).read(config.sessionId);
    const decisionOf = new Map(reports.map((r) => [r.iterationId, r.decision]));
    const sizeOf = async (workflowId: string): Promise<number | null> => {
      try {
        const d = await client.workflow.getHandle(workflowId).describe();
        return Number(d.raw.workflowExecutionInfo?.historySizeBytes ?? 0);
      } catch (err) {
        if (err instanceof WorkflowNotFoundError) return null;
        throw err;
      }
    };
    const iterationHistoryBytes: number[] = [];
    const tradingIterationHistoryBytes: number[] = [];
    const childHistoryBytes: number[] = [];
    for (const bar of barList) {
      const id = iterationIdFor(config.sessionId, bar);
      const own = await sizeOf(id);
      if (own === null) continue;
      iterationHistoryBytes.push(own);
      if (decisionOf.get(id) !== 'halted') tradingIterationHistoryBytes.push(own);
      const children = await Promise.all([sizeOf(`${id}-risk`), sizeOf(`${id}-kt`)]);
      childHistoryBytes.push(children.reduce<number>((a, b) => a + (b ?? 0), 0));
    }
    const lastTrading = [...barList]
      .reverse()
      .map((bar) => iterationIdFor(config.sessionId, bar))
      .find((id) => decisionOf.has(id) && decisionOf.get(id) !== 'halted');
    const breakdown = lastTrading ? await historyBreakdown(client, lastTrading) : {};
    return {
      breakdown,
      bars: reports.length,
      seconds,
      setupSeconds,
      iterationHistoryBytes,
      tradingIterationHistoryBytes,
      childHistoryBytes,
      sessionHistoryBytes: (await sizeOf(config.sessionId)) ?? 0,
      peakRssMb: peakRss,
      setupPeakRssMb: setupPeakRss,
    };
  } finally {
    await worker?.stop();
    await clientConnection.close();
    await server.stop();
  }
}

/** Resolves once the worker process prints its ready line; rejects if it exits first. */
async function waitForReady(worker: WorkerProcess): Promise<void> {
  while (!worker.output().includes('worker ready')) {
    if (worker.child.exitCode !== null || worker.child.signalCode !== null)
      throw new Error(`the worker exited before it was ready:\n${worker.output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export function mean(xs: readonly number[]): number {
  return xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length;
}

if (require.main === module) {
  const bars = Number(process.argv[2] ?? 60);
  installRuntimeLogger();
  const scratch = mkdtempSync(resolve(tmpdir(), 'desk-probe-'));
  const load = loadavg();
  probeTemporal(scratch, bars)
    .then((p) => {
      console.log(
        JSON.stringify({
          bars: p.bars,
          seconds: +p.seconds.toFixed(2),
          s_per_bar: +(p.seconds / p.bars).toFixed(3),
          setup_s: +p.setupSeconds.toFixed(2),
          iteration_history_kb_mean: +(mean(p.iterationHistoryBytes) / 1000).toFixed(1),
          iteration_history_kb_max: +(Math.max(...p.iterationHistoryBytes) / 1000).toFixed(1),
          trading_iterations: p.tradingIterationHistoryBytes.length,
          trading_iteration_history_kb_mean: +(mean(p.tradingIterationHistoryBytes) / 1000).toFixed(1),
          child_history_kb_mean: +(mean(p.childHistoryBytes) / 1000).toFixed(1),
          session_history_kb: +(p.sessionHistoryBytes / 1000).toFixed(1),
          peak_rss_mb: +p.peakRssMb.toFixed(0),
          setup_peak_rss_mb: +p.setupPeakRssMb.toFixed(0),
          breakdown: p.breakdown,
          load_start: load.map((x) => +x.toFixed(2)),
          load_end: loadavg().map((x) => +x.toFixed(2)),
        }),
      );
    })
    .catch((err) => {
      console.error(err);
      process.exitCode = 1;
    })
    .finally(() => rmSync(scratch, { recursive: true, force: true }));
}
