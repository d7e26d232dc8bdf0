/**
 * `npx tsx scripts/tune-evidence.ts --data FILE --funding FILE --windows 2020,2021,2022 --seeds 1-8 [--set JSON] [--tag NAME]`:
 * the tuning loop behind docs/sizing.md. Runs the fast backtest once per (calendar year, seed) with the
 * session config overridden by `--set` (deep-merged, e.g. '{"sizing":{"edgeMargin":0.002}}'), writes each
 * run to out/tune/<tag>/<year>-s<seed>/, and prints the issue's table per year: mean desk Sharpe, mean
 * fees + slippage as % of initial equity, default-seed (7) max drawdown and halts, the random-entry
 * median and EMA 21/55 Sharpe, and mean round trips. Years from 2025-07-01 on are refused (holdout); with an
 * LLM configured, years before its training cutoff are refused unless --allow-memorised-period (docs/llm-cutoffs.md).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { CsvMarketData } from '../adapters/market/csv-market-data';
import { openMarketData } from '../adapters/market/market-data';
import type { ClosedTrade } from '../domain/schemas/account';
import type { SessionConfigInput } from '../domain/schemas/config';
import { loadLlmConfig } from '../adapters/llm/config';
import type { LlmCutoffSummary } from '../domain/llm/training-cutoff';
import { buildActivityDeps } from '../workers/build-deps';
import { ALLOW_MEMORISED_FLAG, checkLlmCutoff } from '../workers/llm-cutoff-gate';
import { writeBacktestOutput } from '../workers/backtest-output';
import { dataDir, loadEnv } from '../workers/env';
import { runFastBacktest } from '../workers/fast-runner';
import { buildSessionConfig, csvFeed } from '../workers/session-config';

const HOLDOUT_MS = Date.UTC(2025, 6, 1);
const DEFAULT_SEED = 7;

interface RunFigures {
  year: number;
  seed: number;
  sharpe: number;
  costPct: number;
  maxDd: number;
  haltedForGood: boolean;
  trades: number;
  randomMedian: number;
  ema: number;
  totalReturn: number;
}

function parseSeeds(text: string): number[] {
  const range = /^(\d+)-(\d+)$/.exec(text);
  if (range) return Array.from({ length: Number(range[2]) - Number(range[1]) + 1 }, (_, i) => Number(range[1]) + i);
  return text.split(',').map(Number);
}

function deepMerge(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const prev = out[k];
    out[k] =
      v !== null && typeof v === 'object' && !Array.isArray(v) && prev !== null && typeof prev === 'object'
        ? deepMerge(prev as Record<string, unknown>, v as Record<string, unknown>)
        : v;
  }
  return out;
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

/** Slippage paid on market legs, estimated as slippageBps of the traded notional on entry and exit (an upper bound: limit fills pay none). */
function estimateSlippage(trades: readonly ClosedTrade[], slippageBps: number): number {
  return trades.reduce((s, t) => s + t.size * (t.entryPrice + t.exitPrice) * (slippageBps / 10_000), 0);
}

async function runOne(
  year: number,
  seed: number,
  set: Record<string, unknown>,
  dataFile: string,
  fundingFile: string,
  dir: string,
  llmCutoff: LlmCutoffSummary,
): Promise<RunFigures> {
  const fromMs = Date.UTC(year, 0, 1);
  const toMs = Date.UTC(year + 1, 0, 1);
  if (toMs > HOLDOUT_MS) throw new Error(`year ${year} reaches into the holdout (bars from 2025-07-01 on)`);
  const feed = csvFeed(dataFile, { funding: fundingFile });
  const base: Record<string, unknown> = {
    mode: 'backtest',
    feed,
    seed,
    fromMs,
    toMs,
    sessionId: `tune-${year}-${seed}`,
  };
  const config = await buildSessionConfig(deepMerge(base, set) as unknown as SessionConfigInput);
  const env = loadEnv();
  const deps = buildActivityDeps({ dataDir: dataDir(env), env, inMemory: true });
  const result = await runFastBacktest(config, deps);
  const market = openMarketData(feed);
  if (!(market instanceof CsvMarketData)) throw new Error('csv feed expected');
  const candles = await market.candles(config.toMs!, 1_000_000);
  const funding = await market.funding(0, config.toMs!);
  const summary = await writeBacktestOutput(dir, {
    ...result,
    candles,
    funding,
    riskLog: deps.riskLog,
    runner: 'fast',
    seconds: 0,
    walkForward: 1,
    llmCutoff,
  });
  const trades = result.reports.flatMap((r) => r.closedTrades);
  const baselines = summary.baselines as { ema_crossover: { sharpe: number }; random_entries: Record<string, unknown> };
  const random = baselines.random_entries;
  const halts = (summary.halts as { kind: string }[]) ?? [];
  const initial = summary.initial_equity as number;
  return {
    year,
    seed,
    sharpe: summary.sharpe as number,
    costPct: ((summary.fees as number) + estimateSlippage(trades, config.costs.slippageBps)) / initial,
    maxDd: summary.max_drawdown as number,
    haltedForGood: halts.some((h) => h.kind === 'halt'),
    trades: summary.n_trades as number,
    randomMedian: readRandomMedian(random),
    ema: baselines.ema_crossover.sharpe,
    totalReturn: summary.total_return as number,
  };
}

/** The random-entry baseline's median Sharpe (matched exposure, over its seeds): `random_entries.sharpe.p50`. */
function readRandomMedian(random: Record<string, unknown>): number {
  const sharpe = random.sharpe as { p50?: number } | undefined;
  if (typeof sharpe?.p50 === 'number') return sharpe.p50;
  throw new Error(`summary.json random_entries has no sharpe.p50: ${JSON.stringify(random).slice(0, 200)}`);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      windows: { type: 'string', default: '2020,2021,2022' },
      seeds: { type: 'string', default: '1-8' },
      set: { type: 'string', default: '{}' },
      tag: { type: 'string', default: 'default' },
      data: { type: 'string' },
      funding: { type: 'string' },
      [ALLOW_MEMORISED_FLAG]: { type: 'boolean', default: false },
    },
  });
  if (!values.data || !values.funding)
    throw new Error('--data FILE (4h candles) and --funding FILE (8h funding) are required');
  const years = values.windows.split(',').map(Number);
  const seeds = parseSeeds(values.seeds);
  const set = JSON.parse(values.set) as Record<string, unknown>;
  // Every year at once, before the first run: an LLM that may remember one of them is refused (or warned about).
  const llmCutoff = checkLlmCutoff({
    llm: loadLlmConfig(loadEnv()),
    windows: years.map((y) => ({ fromMs: Date.UTC(y, 0, 1), toMs: Date.UTC(y + 1, 0, 1) })),
    allowMemorisedPeriod: values[ALLOW_MEMORISED_FLAG],
  });
  if (llmCutoff.memorised_period_warning) console.warn(`warning: ${llmCutoff.memorised_period_warning}`);
  const root = `out/tune/${values.tag}`;
  await mkdir(root, { recursive: true });
  const runs: RunFigures[] = [];
  for (const year of years) {
    for (const seed of seeds) {
      runs.push(await runOne(year, seed, set, values.data, values.funding, `${root}/${year}-s${seed}`, llmCutoff));
      process.stderr.write(`.`);
    }
  }
  process.stderr.write('\n');
  const mean = (xs: number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;
  const lines = [
    `tag ${values.tag} set ${values.set} seeds ${values.seeds}`,
    '| year | desk Sharpe (mean) | fees+slippage (% of equity) | seed-7 max DD | random-entry Sharpe median | EMA 21/55 Sharpe | round trips (mean) | return (mean) |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const year of years) {
    const rs = runs.filter((r) => r.year === year);
    const d = rs.find((r) => r.seed === DEFAULT_SEED);
    const f = (x: number): string => `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(2)}`;
    lines.push(
      `| ${year} | ${f(mean(rs.map((r) => r.sharpe)))} | ${(mean(rs.map((r) => r.costPct)) * 100).toFixed(1)}% | ${d ? `${(d.maxDd * 100).toFixed(1)}%${d.haltedForGood ? ' (halted)' : ''}` : '–'} | ` +
        `${f(median(rs.map((r) => r.randomMedian)))} | ${f(rs[0]?.ema ?? NaN)} | ${mean(rs.map((r) => r.trades)).toFixed(0)} | ${(mean(rs.map((r) => r.totalReturn)) * 100).toFixed(1)}% |`,
    );
  }
  console.log(lines.join('\n'));
  await writeFile(`${root}/table.md`, `${lines.join('\n')}\n`);
  await writeFile(`${root}/runs.json`, JSON.stringify(runs, null, 1));
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
