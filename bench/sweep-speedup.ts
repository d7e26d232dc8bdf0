/**
 * The sweep's scale-out figure: a 16-run backtest sweep (4 windows × 2 seeds × 2 arms, real 4h data
 * before the holdout) on one worker process, then on two, against its own dev server on a free port.
 * `npx tsx bench/sweep-speedup.ts [TRIALS]` prints JSON; `npm run bench` includes it. Figures only, with the
 * machine's load average: other processes on the machine skew the timings.
 */
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode } from '@temporalio/worker';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { resolve } from 'node:path';
import { planSweepRuns } from '../domain/orchestration/sweep-plan';
import { csvFeed } from '../workers/session-config';
import { freePort, PROJECT_ROOT, startDevServer } from '../workers/temporal-server';
import { backtestSweepWorkflow } from '../workflows/sweep';

const DATA = resolve(PROJECT_ROOT, '../shared/data');
const FEED = csvFeed(`${DATA}/candles/binance_usdm_btcusdt_perp_4h_resampled_from_1h.csv`, {
  funding: `${DATA}/funding/binance_usdm_btcusdt_funding_8h.csv`,
});
const DAY = 24 * 3600_000;
const START = Date.UTC(2023, 0, 1);
/** Four 90-day windows of 2023 (≈540 bars each): well before the 2025-07-01 holdout. */
const WINDOWS = [0, 1, 2, 3].map((i) => ({ fromMs: START + i * 90 * DAY, toMs: START + (i + 1) * 90 * DAY }));
const ARMS = [
  { name: 'leader', overrides: { decisionRule: 'leader' } },
  { name: 'vote', overrides: {} },
];

export interface SweepSpeedup {
  sweep_runs: number;
  sweep_1_worker_s: number;
  sweep_2_workers_s: number;
  /** Of the median trial. */
  sweep_speedup_2_workers: number;
  sweep_trials: Array<{
    one_s: number;
    two_s: number;
    speedup: number;
    cores_1_worker: number;
    cores_2_workers: number;
    load_1m: number;
  }>;
  /** Σ run seconds ÷ (wall seconds × workers): near 1 when the workers never wait for work. */
  sweep_busy_1_worker: number;
  sweep_busy_2_workers: number;
  sweep_load_average_before: number[];
  sweep_load_average_after: number[];
  sweep_cpus: number;
}

interface Timed {
  seconds: number;
  busy: number;
  /** CPU seconds the worker processes got per wall second: below n, other processes had the cores. */
  cores: number;
}

/** utime + stime of a process from /proc (Linux), in seconds; NaN elsewhere. */
function cpuSecondsOf(child: ChildProcess): number {
  try {
    const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

export async function benchSweepSpeedup(trialCount = 1): Promise<SweepSpeedup> {
  const scratch = mkdtempSync(resolve(tmpdir(), 'desk-sweep-bench-'));
  const server = await startDevServer({ port: await freePort(), uiPort: null, dbFile: null });
  const connection = await Connection.connect({ address: server.address });
  const client = new Client({ connection });
  try {
    const bundle = resolve(scratch, 'bundle.js');
    writeFileSync(
      bundle,
      (await bundleWorkflowCode({ workflowsPath: require.resolve('../workflows'), logger: quiet })).code,
    );
    const runs = planSweepRuns(WINDOWS, [7, 8], ARMS);
    const before = loadavg();
    // Trials alternate which configuration goes first, so a burst of load from other processes does
    // not always land on the same one; the figure is the median trial.
    const trials: Array<{ one: Timed; two: Timed; load: number }> = [];
    for (let i = 0; i < trialCount; i++) {
      const first = await timeSweep(client, server.address, bundle, scratch, runs, i % 2 === 0 ? 1 : 2);
      const second = await timeSweep(client, server.address, bundle, scratch, runs, i % 2 === 0 ? 2 : 1);
      trials.push(
        i % 2 === 0
          ? { one: first, two: second, load: loadavg()[0]! }
          : { one: second, two: first, load: loadavg()[0]! },
      );
    }
    const ranked = [...trials].sort((a, b) => a.one.seconds / a.two.seconds - b.one.seconds / b.two.seconds);
    const { one, two } = ranked[Math.floor(ranked.length / 2)]!;
    return {
      sweep_runs: runs.length,
      sweep_1_worker_s: round(one.seconds),
      sweep_2_workers_s: round(two.seconds),
      sweep_speedup_2_workers: round(one.seconds / two.seconds),
      sweep_trials: trials.map((t) => ({
        one_s: round(t.one.seconds),
        two_s: round(t.two.seconds),
        speedup: round(t.one.seconds / t.two.seconds),
        cores_1_worker: round(t.one.cores),
        cores_2_workers: round(t.two.cores),
        load_1m: round(t.load),
      })),
      sweep_busy_1_worker: round(one.busy),
      sweep_busy_2_workers: round(two.busy),
      sweep_load_average_before: before.map(round),
      sweep_load_average_after: loadavg().map(round),
      sweep_cpus: cpus().length,
    };
  } finally {
    await connection.close();
    await server.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** Seconds from starting the sweep to its gathered result, with `n` worker processes already polling. */
async function timeSweep(
  client: Client,
  address: string,
  bundle: string,
  scratch: string,
  runs: ReturnType<typeof planSweepRuns>,
  n: number,
): Promise<Timed> {
  const taskQueue = `sweep-bench-${n}-${Date.now()}`;
  const workers = await Promise.all(
    Array.from({ length: n }, (_, i) => startWorker(address, taskQueue, resolve(scratch, `w${n}-${i}`), bundle)),
  );
  try {
    const sweepId = `${taskQueue}-sweep`;
    const cpuBefore = workers.map(cpuSecondsOf);
    const started = performance.now();
    const result = await client.workflow.execute(backtestSweepWorkflow, {
      taskQueue,
      workflowId: sweepId,
      args: [{ sweepId, feed: FEED, runs }],
    });
    const seconds = (performance.now() - started) / 1000;
    if (result.runs.length !== runs.length)
      throw new Error(`sweep gathered ${result.runs.length} of ${runs.length} runs`);
    const cpu = workers.reduce((a, w, i) => a + cpuSecondsOf(w) - cpuBefore[i]!, 0);
    return { seconds, busy: result.runs.reduce((a, r) => a + r.seconds, 0) / (seconds * n), cores: cpu / seconds };
  } finally {
    for (const w of workers) w.kill('SIGTERM');
  }
}

function startWorker(address: string, taskQueue: string, dataDir: string, bundle: string): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'scripts/worker.ts',
      '--task-queue',
      taskQueue,
      '--data-dir',
      dataDir,
      '--address',
      address,
      '--workflow-bundle',
      bundle,
    ],
    {
      cwd: PROJECT_ROOT,
      env: { ...process.env, LLM_PROVIDER: 'heuristic', DESK_LOG_LEVEL: 'ERROR' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  return new Promise((ready, fail) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('worker ready')) ready(child);
    });
    child.stderr!.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.once('exit', (code) => fail(new Error(`worker exited (${code}) before it was ready: ${out}`)));
  });
}

const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} } as never;

function round(x: number): number {
  return Math.round(x * 100) / 100;
}

if (require.main === module) {
  benchSweepSpeedup(Number(process.argv[2] ?? 1)).then(
    (r) => console.log(JSON.stringify(r, null, 2)),
    (err: unknown) => {
      console.error(`sweep bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      process.exit(1);
    },
  );
}
