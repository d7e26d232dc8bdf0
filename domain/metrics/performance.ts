import type { ClosedTrade } from '../schemas/account';
import { computeBarReturns, measureDrawdown, type EquityPoint } from './equity-series';
import { DAY_MS } from '../market/time-grid';

export {
  drawdownSeries,
  monthlyReturns,
  type DrawdownPoint,
  type EquityPoint,
  type MonthlyReturn,
} from './equity-series';

const MS_PER_YEAR = 365 * DAY_MS;

/** Options of {@link computePerformance}. */
export interface PerformanceOptions {
  /** Spacing of the curve's marks in ms; sets bars per year = 365·86 400 000 / barMs (crypto trades every day). */
  barMs: number;
  /** Equity the run started with; `total_return` is measured from it. */
  initialEquity: number;
}

/**
 * Headline statistics of a run. Conventions: simple per-bar returns, zero risk-free rate,
 * annualised with bars per year = 365·86 400 000 / barMs; ratios with a zero denominator are 0
 * (except `profit_factor`, null when nothing was lost). Snake case: these are summary.json fields.
 */
export interface PerformanceMetrics {
  initial_equity: number;
  final_equity: number;
  total_return: number;
  /** Geometric: (1 + total_return)^(1 / years) − 1 with years = (marks − 1) / bars per year. */
  annualised_return: number;
  /** mean(r) / sd(r) · √(bars per year); sd with n − 1 (Sharpe 1994; √T scaling assumes iid returns, Lo 2002). */
  sharpe: number;
  /** mean(r) / √(mean(min(r, 0)²)) · √(bars per year): downside deviation with target 0 (Sortino & Price 1994). */
  sortino: number;
  /** annualised_return / max_drawdown over the whole sample (Young 1991 uses a trailing 36 months). */
  calmar: number;
  /** Largest peak-to-trough fall as a positive fraction of the peak. */
  max_drawdown: number;
  /** Longest run of consecutive marks below a prior peak. */
  max_drawdown_duration_bars: number;
  /** sd(r) · √(bars per year). */
  volatility: number;
  /** Share of trades whose net PnL (price PnL − fees + funding) is positive. */
  win_rate: number;
  /** Gross net profit / gross net loss; null when no trade lost (the ratio is undefined). */
  profit_factor: number | null;
  /** Mean R multiple: net PnL / riskAmount over trades with a known risk. */
  avg_r: number;
  /** Fraction of marks at which a position was open (entry ≤ t < exit). */
  exposure: number;
  n_trades: number;
  /** Positive = paid. */
  fees: number;
  /** Positive = received. */
  funding: number;
  liquidations: number;
  bars: number;
}

function computeMean(xs: readonly number[]): number {
  return xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length;
}

function computeSampleSd(xs: readonly number[]): number {
  if (xs.length < 2) return 0;
  const m = computeMean(xs);
  return Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1));
}

function divideOrZero(a: number, b: number): number {
  return b === 0 || !Number.isFinite(b) ? 0 : a / b;
}

/** Net PnL of a closed trade: what it added to the wallet. */
export function computeNetPnl(trade: ClosedTrade): number {
  return trade.realizedPnl - trade.fees + trade.funding;
}

/** Share of marks inside some [entry, exit) interval; intervals are merged first so overlaps count once. */
function computeExposure(curve: readonly EquityPoint[], trades: readonly ClosedTrade[]): number {
  if (curve.length === 0) return 0;
  const merged: [number, number][] = [];
  for (const { entryTimeMs: a, exitTimeMs: b } of [...trades].sort((x, y) => x.entryTimeMs - y.entryTimeMs)) {
    const last = merged.at(-1);
    if (last && a <= last[1]) last[1] = Math.max(last[1], b);
    else merged.push([a, b]);
  }
  let k = 0;
  let inPosition = 0;
  for (const t of curve.map((p) => p.t).sort((x, y) => x - y)) {
    while (k < merged.length && merged[k]![1] <= t) k++;
    const span = merged[k];
    if (span && span[0] <= t) inPosition++;
  }
  return inPosition / curve.length;
}

function summariseTrades(
  trades: readonly ClosedTrade[],
): Pick<PerformanceMetrics, 'win_rate' | 'profit_factor' | 'avg_r' | 'n_trades' | 'fees' | 'funding' | 'liquidations'> {
  const net = trades.map(computeNetPnl);
  const grossProfit = net.filter((x) => x > 0).reduce((a, b) => a + b, 0);
  const grossLoss = -net.filter((x) => x < 0).reduce((a, b) => a + b, 0);
  const rs = trades.filter((t) => t.riskAmount > 0).map((t) => computeNetPnl(t) / t.riskAmount);
  return {
    win_rate: divideOrZero(net.filter((x) => x > 0).length, trades.length),
    profit_factor: grossLoss > 0 ? grossProfit / grossLoss : null,
    avg_r: computeMean(rs),
    n_trades: trades.length,
    fees: trades.reduce((a, t) => a + t.fees, 0),
    funding: trades.reduce((a, t) => a + t.funding, 0),
    liquidations: trades.filter((t) => t.exitReason === 'liquidation').length,
  };
}

/**
 * Performance of an equity curve and its closed trades. `curve[0]` is the opening mark
 * (normally equal to `initialEquity`); each later mark is one bar after the previous one.
 */
export function computePerformance(
  curve: readonly EquityPoint[],
  trades: readonly ClosedTrade[],
  opts: PerformanceOptions,
): PerformanceMetrics {
  const barsPerYear = MS_PER_YEAR / opts.barMs;
  const annualiser = Math.sqrt(barsPerYear);
  const returns = computeBarReturns(curve);
  const mean = computeMean(returns);
  const sd = computeSampleSd(returns);
  const downside = Math.sqrt(computeMean(returns.map((r) => Math.min(r, 0) ** 2)));
  const finalEquity = curve.at(-1)?.equity ?? opts.initialEquity;
  const totalReturn = opts.initialEquity > 0 ? finalEquity / opts.initialEquity - 1 : 0;
  const years = (curve.length - 1) / barsPerYear;
  const annualised = years <= 0 ? 0 : 1 + totalReturn <= 0 ? -1 : (1 + totalReturn) ** (1 / years) - 1;
  const { maxDrawdown, maxDurationBars } = measureDrawdown(curve);
  return {
    initial_equity: opts.initialEquity,
    final_equity: finalEquity,
    total_return: totalReturn,
    annualised_return: annualised,
    sharpe: divideOrZero(mean, sd) * annualiser,
    sortino: divideOrZero(mean, downside) * annualiser,
    calmar: divideOrZero(annualised, maxDrawdown),
    max_drawdown: maxDrawdown,
    max_drawdown_duration_bars: maxDurationBars,
    volatility: sd * annualiser,
    exposure: computeExposure(curve, trades),
    bars: curve.length,
    ...summariseTrades(trades),
  };
}
