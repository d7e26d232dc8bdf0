/**
 * `npm run backtest -- --data FILE [--funding FILE] [--news FILE] [--from ISO --to ISO]
 *  [--runner fast|temporal] [--seed N] [--out DIR] [--skip-absurd-prices] [--venue ID --symbol SYMBOL]
 *  [--allow-memorised-period]`: replays history through the same agents. An LLM over bars before its training
 *  cutoff is refused unless --allow-memorised-period (docs/llm-cutoffs.md).
 */
import { SingleBar, Presets } from 'cli-progress';
import { parseArgs } from 'node:util';
import { checkFeedCoverage } from '../adapters/market/check-feed-coverage';
import { CsvMarketData } from '../adapters/market/csv-market-data';
import { openMarketData } from '../adapters/market/market-data';
import { backtestStopMessage } from '../domain/llm/llm-alert';
import { formatLlmLine } from '../domain/llm/llm-summary';
import { addUsage, ZERO_USAGE } from '../domain/schemas/llm';
import { loadLlmConfig } from '../adapters/llm/config';
import type { SessionConfig } from '../domain/schemas/config';
import type { IterationReport } from '../domain/schemas/session';
import { buildActivityDeps } from '../workers/build-deps';
import { writeBacktestOutput } from '../workers/backtest-output';
import { connectClient, ensureSearchAttributes, connectWorker, sessionIdFor } from '../workers/client';
import { DEFAULT_TASK_QUEUE, dataDir, loadEnv, temporalEnv } from '../workers/env';
import { parseIntegerFlag } from '../workers/cli-args';
import { readMarketSettings } from '../workers/market-settings';
import { listBacktestBars } from '../domain/orchestration/backtest-bars';
import { runFastBacktest, type RunResult } from '../workers/fast-runner';
import { createHaltPrinter } from '../workers/halt-printer';
import { formatDataIssues, keepIssuesUpTo } from '../workers/format-data-issues';
import { ensureWritableOutputDir } from '../workers/output-dir';
import { ALLOW_MEMORISED_FLAG, checkLlmCutoff, memorisedMetadata } from '../workers/llm-cutoff-gate';
import type { LlmCutoffSummary } from '../domain/llm/training-cutoff';
import { buildSessionConfig, csvFeed } from '../workers/session-config';
import { createDeskWorkers, installRuntimeLogger, runDeskWorkers } from '../workers/worker';
import { ensureDetachedServer } from './detached-server';
import { tradingSessionWorkflow } from '../workflows/session';

async function main(): Promise<void> {
  installRuntimeLogger();
  const { values } = parseArgs({
    options: {
      data: { type: 'string' },
      funding: { type: 'string' },
      news: { type: 'string', multiple: true },
      from: { type: 'string' },
      to: { type: 'string' },
      runner: { type: 'string', default: 'fast' },
      seed: { type: 'string', default: '7' },
      out: { type: 'string', default: 'out/backtest' },
      'walk-forward': { type: 'string', default: '4' },
      'regular-activities': { type: 'boolean', default: false },
      'skip-absurd-prices': { type: 'boolean', default: false },
      venue: { type: 'string' },
      symbol: { type: 'string' },
      [ALLOW_MEMORISED_FLAG]: { type: 'boolean', default: false },
    },
  });
  if (!values.data)
    throw new Error('--data FILE is required (a 4h candle CSV, e.g. data/btcusdt-perp-4h-2023-07_2024-06.csv)');
  if (values.runner !== 'fast' && values.runner !== 'temporal') throw new Error('--runner is fast or temporal');
  const seed = parseIntegerFlag('--seed', values.seed);
  const walkForward = parseIntegerFlag('--walk-forward', values['walk-forward'], 1);
  // Before the run, not after it: a directory that cannot hold the results must not cost the run.
  ensureWritableOutputDir(values.out);
  const env = loadEnv();
  const feed = csvFeed(values.data, {
    funding: values.funding,
    news: values.news,
    absurdPrices: values['skip-absurd-prices'] ? 'skip' : 'reject',
  });
  const { venue, symbol } = readMarketSettings(env, values);
  const runId = `${values.runner}-${Date.now().toString(36)}`;
  const config = await buildSessionConfig({
    mode: 'backtest',
    feed,
    seed,
    venue,
    symbol,
    fromMs: values.from ? parseIso(values.from) : null,
    toMs: values.to ? parseIso(values.to) : null,
    sessionId: `${sessionIdFor(venue, symbol, 'backtest')}-${runId}`,
    // The temporal runner runs pure steps as local activities (markers in the UI) unless asked not to.
    localPureSteps: values.runner === 'temporal' && !values['regular-activities'],
  });
  const bars = listBacktestBars(config);
  const total = bars.length;
  // Before any bar runs: an LLM that may remember the window is refused, or its run carries the warning.
  const llmCutoff = checkLlmCutoff({
    llm: loadLlmConfig(env),
    windows: total > 0 ? [{ fromMs: bars[0]!, toMs: bars.at(-1)! }] : [],
    allowMemorisedPeriod: values[ALLOW_MEMORISED_FLAG],
  });
  if (llmCutoff.memorised_period_warning) console.warn(`warning: ${llmCutoff.memorised_period_warning}`);
  console.log(
    `backtest ${config.sessionId}: ${total} bars ${new Date(config.fromMs!).toISOString()} → ${new Date(config.toMs!).toISOString()}`,
  );
  const market = openMarketData(feed);
  const loaderIssues = market instanceof CsvMarketData ? keepIssuesUpTo(await market.reportIssues(), config.toMs!) : [];
  const dataIssues = [...loaderIssues, ...(await checkFeedCoverage(feed, market, config.fromMs!, config.toMs!))];
  for (const line of formatDataIssues(dataIssues)) console.warn(line);
  const printHalts = createHaltPrinter((line) => console.log(process.stdout.isTTY ? `\n${line}` : line));
  const bar = createProgress(total);
  const progress = (done: number, r?: IterationReport) => {
    if (r) printHalts(r.halts);
    bar(done, r);
  };
  const started = Date.now();
  const deps = buildActivityDeps({ dataDir: dataDir(env), env, inMemory: values.runner === 'fast' });
  const result =
    values.runner === 'fast'
      ? await runFastBacktest(config, deps, (done, _t, r) => progress(done, r))
      : await runTemporal(config, env, progress, llmCutoff);
  if (result.state.llmAlert) throw new Error(backtestStopMessage(result.state.llmAlert));
  const seconds = (Date.now() - started) / 1000;
  const candles = await market.candles(config.toMs!, 1_000_000);
  const funding = await market.funding(0, config.toMs!);
  const summary = await writeBacktestOutput(values.out, {
    ...result,
    candles,
    funding,
    riskLog: deps.riskLog,
    runner: values.runner,
    seconds,
    walkForward,
    dataIssues,
    llmCutoff,
  });
  const pct = (x: unknown) => `${((x as number) * 100).toFixed(2)}%`;
  console.log(`\n${total} bars in ${seconds.toFixed(1)} s (${(total / seconds).toFixed(0)} bars/s)`);
  console.log(
    `return ${pct(summary.total_return)}, sharpe ${(summary.sharpe as number).toFixed(2)}, max drawdown ${pct(summary.max_drawdown)}, trades ${summary.n_trades}`,
  );
  console.log(formatLlmLine(result.reports.map((r) => r.usage).reduce(addUsage, ZERO_USAGE)));
  if (summary.risk_metrics_note) console.log(`note: ${String(summary.risk_metrics_note)}`);
  const issues = summary.data_issues as unknown[];
  if (issues.length > 0)
    console.log(`${issues.length} data issue(s): see summary.json data_issues and the report's Data issues section`);
  console.log(`wrote ${values.out}/summary.json, trades.csv, report.html`);
}

function parseIso(text: string): number {
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw new Error(`not an ISO date: ${text}`);
  return ms;
}

/** A progress bar on a terminal; a plain line every ~5% otherwise. */
function createProgress(total: number): (done: number, report?: IterationReport) => void {
  const started = Date.now();
  if (process.stdout.isTTY) {
    const bar = new SingleBar(
      { format: 'bars {value}/{total} |{bar}| {percentage}% | {speed} bars/s | ETA {eta}s | equity {equity}' },
      Presets.shades_classic,
    );
    bar.start(total, 0, { speed: '0', equity: '-' });
    return (done, r) => {
      const speed = done / Math.max(1e-3, (Date.now() - started) / 1000);
      bar.update(done, { speed: speed.toFixed(0), equity: r ? r.equity.toFixed(0) : '-' });
      if (done >= total) bar.stop();
    };
  }
  const step = Math.max(1, Math.floor(total / 20));
  return (done, r) => {
    if (done % step !== 0 && done !== total) return;
    const s = (Date.now() - started) / 1000;
    const speed = done / Math.max(1e-3, s);
    console.log(
      `bars ${done}/${total} (${((done / total) * 100).toFixed(0)}%) ${speed.toFixed(0)} bars/s ETA ${((total - done) / Math.max(speed, 1e-9)).toFixed(0)}s equity ${r ? r.equity.toFixed(2) : '-'}`,
    );
  };
}

/** The temporal runner: the real session and iteration workflows, bar time from the data, visible in the UI. */
async function runTemporal(
  config: SessionConfig,
  env: NodeJS.ProcessEnv,
  progress: (done: number, r?: IterationReport) => void,
  llmCutoff: LlmCutoffSummary,
): Promise<RunResult> {
  // Every new report passes through `progress`, so each halt is printed once, in order.
  const tenv = temporalEnv(env);
  if (tenv.address.startsWith('localhost:7233') || tenv.address.startsWith('127.0.0.1:7233'))
    await ensureDetachedServer();
  const client = await connectClient(tenv);
  await ensureSearchAttributes(client);
  const connection = await connectWorker(tenv);
  const deps = buildActivityDeps({ dataDir: dataDir(env), env, client });
  // A queue of its own: the summary reads this process's run and risk logs, so `npm run worker`
  // processes elsewhere must not take its steps (fleet research runs as `npm run sweep`).
  const taskQueue = `${DEFAULT_TASK_QUEUE}-backtest-${Date.now().toString(36)}`;
  const workers = await createDeskWorkers({ connection, namespace: tenv.namespace, taskQueue, deps });
  const stop = new AbortController();
  const running = runDeskWorkers(workers, stop.signal);
  const handle = await client.workflow.start(tradingSessionWorkflow, {
    workflowId: config.sessionId,
    taskQueue,
    args: [{ config, scheduleId: null }],
    // The Web UI shows the model and its cutoff (memo) and, for a memorised period, the warning as the run's summary.
    memo: { ...llmCutoff },
    ...memorisedMetadata(llmCutoff),
  });
  console.log(
    `UI http://localhost:8233/namespaces/${tenv.namespace}/workflows/${encodeURIComponent(config.sessionId)}`,
  );
  let done = 0;
  const poll = setInterval(() => {
    void deps.runLog.read(config.sessionId).then((rs) => {
      for (; done < rs.length; done++) progress(done + 1, rs[done]);
    });
  }, 1000);
  const result = (await handle.result()) as { state: RunResult['state'] };
  clearInterval(poll);
  const reports = await deps.runLog.read(config.sessionId);
  for (; done < reports.length; done++) progress(done + 1, reports[done]);
  stop.abort();
  await running;
  await connection.close();
  await client.connection.close();
  return { state: result.state, reports };
}

main().catch((err) => {
  console.error(`backtest failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
