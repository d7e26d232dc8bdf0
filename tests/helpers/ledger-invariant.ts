import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openMarketData } from '../../adapters/market/market-data';
import type { RiskLog } from '../../adapters/risk-log/risk-log';
import type { IterationReport, SessionState } from '../../domain/schemas/session';
import { writeBacktestOutput } from '../../workers/backtest-output';
import { csvFeed } from '../../workers/session-config';

export const DATA = resolve(__dirname, '../../../shared/data');
export const REAL_CANDLES = `${DATA}/candles/binance_usdm_btcusdt_perp_4h_resampled_from_1h.csv`;
export const REAL_FUNDING = `${DATA}/funding/binance_usdm_btcusdt_funding_8h.csv`;

const TOL = 1e-9;
const close = (a: number, b: number) => Math.abs(a - b) <= TOL * Math.max(1, Math.abs(a), Math.abs(b));

/**
 * Real Binance 4h candles up to 2022-05-10 with every price from 2022-05-01 04:00 on scaled by 0.76:
 * a 24% gap at that bar's open, through the liquidation price of the 5x long the desk holds then
 * (tight margin usage, no liquidation buffer). Bars after 2025-07-01 are never read.
 */
export async function writeGapCandles(): Promise<string> {
  const GAP_MS = Date.UTC(2022, 4, 1, 4);
  const END_MS = Date.UTC(2022, 4, 10);
  const lines = (await readFile(REAL_CANDLES, 'utf8')).split('\n');
  const out = [lines[0]!];
  for (const line of lines.slice(1)) {
    if (!line.trim()) continue;
    const [t, ...rest] = line.split(',');
    const ms = Number(t);
    if (ms > END_MS) break;
    out.push(
      ms < GAP_MS ? line : [t, ...rest.slice(0, 4).map((x) => (Number(x) * 0.76).toFixed(2)), rest[4]].join(','),
    );
  }
  const file = join(await mkdtemp(join(tmpdir(), 'gap-candles-')), 'gap.csv');
  await writeFile(file, `${out.join('\n')}\n`);
  return file;
}

/** Risk limits that let the trader take 5x with the liquidation right behind the stop. */
export const LIQUIDATION_RISK = { maxLeverage: 20, maxMarginUsage: 0.05, liquidationBufferAtr: 0 };

export interface TradesCsvRow {
  exit_reason: string;
  realized_pnl: number;
  fees: number;
  funding: number;
}

function parseTradesCsv(text: string): TradesCsvRow[] {
  const [header, ...rows] = text.trim().split('\n');
  const cols = header!.split(',');
  return rows.map((row) => {
    const cells = row.split(',');
    const get = (name: string) => cells[cols.indexOf(name)]!;
    return {
      exit_reason: get('exit_reason'),
      realized_pnl: Number(get('realized_pnl')),
      fees: Number(get('fees')),
      funding: Number(get('funding')),
    };
  });
}

/**
 * At every bar: equity = initial + Σ closed (realized − fees + funding) + the open position's
 * (unrealized − fees so far + funding so far). Returns the bars that break it (empty = holds).
 */
export function barsBreakingLedger(reports: readonly IterationReport[], initial: number): string[] {
  let closed = 0;
  const broken: string[] = [];
  for (const r of reports) {
    closed += r.closedTrades.reduce((s, t) => s + t.realizedPnl - t.fees + t.funding, 0);
    const open = r.open ? r.open.unrealizedPnl - r.open.fees + r.open.funding : 0;
    const expected = initial + closed + open;
    if (!close(r.equity, expected)) broken.push(`${r.iterationId}: equity ${r.equity} vs ledger ${expected}`);
  }
  return broken;
}

/** Writes the run's outputs and reads back what a quant would: summary.json and trades.csv. */
export async function writeAndReadOutputs(input: {
  state: SessionState;
  reports: IterationReport[];
  riskLog: RiskLog;
  runner: 'fast' | 'temporal';
}) {
  const { config } = input.state;
  if (config.feed.kind !== 'csv') throw new Error('ledger tests run on csv feeds');
  const market = openMarketData(csvFeed(config.feed.candles, { funding: config.feed.funding ?? undefined }));
  const dir = await mkdtemp(join(tmpdir(), 'ledger-'));
  await writeBacktestOutput(dir, {
    state: input.state,
    reports: input.reports,
    candles: await market.candles(config.toMs!, 1_000_000),
    funding: await market.funding(0, config.toMs!),
    riskLog: input.riskLog,
    runner: input.runner,
    seconds: 0,
    walkForward: 1,
  });
  const summary = JSON.parse(await readFile(join(dir, 'summary.json'), 'utf8')) as Record<string, unknown> & {
    initial_equity: number;
    final_equity: number;
  };
  const trades = parseTradesCsv(await readFile(join(dir, 'trades.csv'), 'utf8'));
  return { summary, trades, csvNet: trades.reduce((s, t) => s + t.realized_pnl - t.fees + t.funding, 0) };
}

export { close as closeTo1e9 };

/**
 * Breaker and liquidation scenarios need full-size positions to reach their loss: no skill scaling, no
 * Kelly cap, any positive net edge (the desk's defaults size a tenth without demonstrated skill).
 */
export const FULL_SIZE = { skillGate: false, edgeMargin: 0, kellyFraction: 1 };

/**
 * The decision rule the scenarios' dates were found under: on 2022-05-01 the leading researcher's call
 * opens the position a breaker or a gap then hits, where the vote of all three (the default) may stand aside.
 */
export const SCENARIO_RULE = 'leader' as const;
