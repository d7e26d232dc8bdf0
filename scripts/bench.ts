/**
 * `npm run bench`: prints the desk's benchmark figures as JSON and writes them to out/bench.json.
 * Real data from ../shared/data (before the 2025-07-01 holdout); everything external on loopback:
 * a Temporal dev server this script starts on a free port, and a fake OpenAI-compatible server
 * that answers after 300 ms. Figures only: nothing here asserts a speed.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { resolve } from 'node:path';
import { benchLocalLlm } from '../bench/local-llm';
import { startSlowLlmServer } from '../bench/slow-llm-server';
import { BENCH_FEED as FEED, mean, probeTemporal, windowConfig } from '../bench/temporal-probe';
import { benchSweepSpeedup } from '../bench/sweep-speedup';
import type { SessionConfig } from '../domain/schemas/config';
import { buildActivityDeps } from '../workers/build-deps';
import { runFastBacktest } from '../workers/fast-runner';
import { buildSessionConfig } from '../workers/session-config';
import { PROJECT_ROOT } from '../workers/temporal-server';
import { installRuntimeLogger } from '../workers/worker';

const HEURISTIC_ENV = { LLM_PROVIDER: 'heuristic' };
const FAST_FROM = Date.UTC(2019, 8, 10);
const FAST_TO = Date.UTC(2025, 5, 30);
/** The Temporal and LLM windows (bench/temporal-probe.ts): from 2024-01-01, well before the holdout. */
const TEMPORAL_BARS = 720;
const LLM_BARS = 120;
const LLM_DELAY_MS = 300;

async function main(): Promise<void> {
  installRuntimeLogger();
  const scratch = mkdtempSync(resolve(tmpdir(), 'desk-bench-'));
  try {
    const machine = machineFacts();
    // Temporal first: the worker's peak RSS is then its own, not the fast runs' leftovers.
    const temporal = await benchTemporal(scratch);
    const fast = await benchFast(scratch);
    const llm = await benchLlm(scratch);
    const sweep = await benchSweepSpeedup();
    const local = await benchLocalLlm();
    const result = {
      ...machine,
      ...fast.figures,
      ...temporal,
      temporal_overhead_ratio: round(temporal.temporal_s_per_bar / fast.secondsPerBar, 1),
      ...llm,
      ...sweep,
      ...local,
      // The whole bench process (fast runs, sweep and the Temporal worker); the worker's own peak is temporal_worker_peak_rss_mb.
      bench_process_peak_rss_mb: round(process.resourceUsage().maxRSS / 1024, 1),
      load_average_end: loadavg().map((x) => round(x, 2)),
    };
    const out = resolve(PROJECT_ROOT, 'out');
    mkdirSync(out, { recursive: true });
    writeFileSync(resolve(out, 'bench.json'), `${JSON.stringify(result, null, 2)}\n`);
    console.log(JSON.stringify(result, null, 2));
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

function machineFacts() {
  const list = cpus();
  return {
    cpus: list.length,
    cpu_model: list[0]?.model ?? 'unknown',
    total_mem_gb: round(totalmem() / 2 ** 30, 1),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    // Other processes on the machine skew every timing below; the load says how much.
    load_average_start: loadavg().map((x) => round(x, 2)),
  };
}

/** The fast runner over 2019-09-10 → 2025-06-30 with the offline reasoner and default populations. */
async function benchFast(scratch: string) {
  const config = await buildSessionConfig({
    mode: 'backtest',
    feed: FEED,
    fromMs: FAST_FROM,
    toMs: FAST_TO,
    sessionId: 'bench-fast',
  });
  const deps = buildActivityDeps({ dataDir: resolve(scratch, 'fast'), env: HEURISTIC_ENV, inMemory: true });
  const cpu = process.cpuUsage();
  const started = performance.now();
  const run = await runFastBacktest(config, deps);
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  const bars = run.reports.length;
  return {
    secondsPerBar: seconds / bars,
    figures: {
      fast_bars: bars,
      fast_from: iso(config.fromMs!),
      fast_to: iso(config.toMs!),
      fast_span_s: round(seconds, 2),
      fast_bars_per_s: round(bars / seconds, 0),
      fast_cpu_s: round((used.user + used.system) / 1e6, 2),
      fast_final_equity: round(run.reports.at(-1)?.equity ?? config.initialEquity, 2),
      fast_orders: run.reports.filter((r) => r.order !== null).length,
      // A halted fund (drawdown breaker) runs only A-A and X-S per bar: say how many bars were cheap.
      fast_halted_bars: run.reports.filter((r) => r.decision === 'halted').length,
      ...(await benchFastYear(scratch)),
    },
  };
}

/** A year in which the fund trades every bar (no breaker): the speed of a full desk round. */
async function benchFastYear(scratch: string) {
  const config = await buildSessionConfig({
    mode: 'backtest',
    feed: FEED,
    fromMs: Date.UTC(2023, 0, 1),
    toMs: Date.UTC(2023, 11, 31),
    sessionId: 'bench-fast-2023',
  });
  const started = performance.now();
  const run = await runFastBacktest(
    config,
    buildActivityDeps({ dataDir: resolve(scratch, 'fast-2023'), env: HEURISTIC_ENV, inMemory: true }),
  );
  const seconds = (performance.now() - started) / 1000;
  return {
    fast_2023_bars: run.reports.length,
    fast_2023_halted_bars: run.reports.filter((r) => r.decision === 'halted').length,
    fast_2023_bars_per_s: round(run.reports.length / seconds, 0),
  };
}

/**
 * The Temporal runner: a backtest session on a dev server started here, 720 bars, real workflows and
 * activities (bench/temporal-probe.ts). History bytes are what the server reports per iteration
 * workflow (deterministic for a given code version); the worker's peak RSS is sampled during the run.
 */
async function benchTemporal(scratch: string) {
  const loadStart = loadavg().map((x) => round(x, 2));
  const p = await probeTemporal(scratch, TEMPORAL_BARS);
  const loadEnd = loadavg().map((x) => round(x, 2));
  // The long fast run is mostly halted (cheap) bars; the same window in the fast runner compares like with like.
  const same = await timeFast(await windowConfig('bench-temporal-fast', TEMPORAL_BARS));
  const kb = (xs: number[]) => round(mean(xs) / 1000, 1);
  return {
    temporal_bars: p.bars,
    temporal_720_s: round(p.seconds, 2),
    temporal_s_per_bar: round(p.seconds / p.bars, 3),
    temporal_setup_s: round(p.setupSeconds, 2),
    temporal_load_average: { start: loadStart, end: loadEnd },
    fast_same_window_s: round(same, 2),
    temporal_overhead_ratio_same_window: round(p.seconds / same, 1),
    iteration_history_kb_mean: kb(p.iterationHistoryBytes),
    iteration_history_kb_max: round(Math.max(...p.iterationHistoryBytes) / 1000, 1),
    iteration_history_kb_mean_trading_bars: kb(p.tradingIterationHistoryBytes),
    iteration_trading_bars: p.tradingIterationHistoryBytes.length,
    iteration_children_history_kb_mean: kb(p.childHistoryBytes),
    session_history_kb_last_run: round(p.sessionHistoryBytes / 1000, 1),
    temporal_worker_peak_rss_mb: round(p.peakRssMb, 0),
  };
}

/**
 * LLM mode: the OpenAI provider against the 300 ms fake, 120 bars, LLM_CONCURRENCY=16, the LLM cache
 * in a fresh directory; then the same run again, which the cache should answer without a request.
 */
async function benchLlm(scratch: string) {
  const fake = await startSlowLlmServer(LLM_DELAY_MS);
  try {
    const config = await windowConfig('bench-llm', LLM_BARS);
    const env = {
      LLM_PROVIDER: 'openai',
      LLM_BASE_URL: fake.baseUrl,
      OPENAI_API_KEY: 'sk-bench-dummy',
      LLM_CONCURRENCY: '16',
    };
    const dataDir = resolve(scratch, 'llm');
    const started = performance.now();
    const first = await runFastBacktest(config, buildActivityDeps({ dataDir, env, inMemory: true }));
    const seconds = (performance.now() - started) / 1000;
    const firstRequests = fake.requests();
    const byStep = fake.byStep();
    const rerunStarted = performance.now();
    const rerun = await runFastBacktest(config, buildActivityDeps({ dataDir, env, inMemory: true }));
    const rerunSeconds = (performance.now() - rerunStarted) / 1000;
    const bars = first.reports.length;
    const usage = first.state.usage;
    return {
      llm_bars: bars,
      llm_120_s: round(seconds, 2),
      llm_delay_ms: LLM_DELAY_MS,
      llm_requests: firstRequests,
      llm_requests_by_step: byStep,
      llm_calls_per_iteration: round(usage.calls / bars, 2),
      llm_tokens_per_iteration: round((usage.tokensIn + usage.tokensOut) / bars, 0),
      llm_cost_usd: round(usage.costUsd, 4),
      llm_cached_rerun_calls: fake.requests() - firstRequests,
      llm_cached_rerun_s: round(rerunSeconds, 2),
      llm_cached_rerun_cached_calls: rerun.state.usage.cachedCalls,
    };
  } finally {
    await fake.close();
  }
}

/** Wall seconds of a fast run of `config` (offline reasoner, in-memory stores). */
async function timeFast(config: SessionConfig): Promise<number> {
  const scratch = mkdtempSync(resolve(tmpdir(), 'desk-bench-fast-'));
  try {
    const started = performance.now();
    await runFastBacktest(config, buildActivityDeps({ dataDir: scratch, env: HEURISTIC_ENV, inMemory: true }));
    return (performance.now() - started) / 1000;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

main().catch((err) => {
  console.error(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  process.exit(1);
});
