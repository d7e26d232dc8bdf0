import type { ClosedTrade } from '../schemas/account';
import { formatIsoUtc } from './civil-time';
import { computePerformance, type EquityPoint } from './performance';

export interface WalkForwardWindow {
  window: number;
  from: string;
  to: string;
  bars: number;
  total_return: number;
  sharpe: number;
  max_drawdown: number;
  n_trades: number;
  buy_and_hold_return: number;
}

/**
 * Walk-forward evaluation of one continuous run: the agents learn online (calibration, method scores,
 * teaching) only from bars before the bar they trade, so each window's result is out of sample with
 * respect to everything the agents fitted on the windows before it. Splits the equity curve into
 * `windows` consecutive windows and scores each on its own (trades by exit time).
 */
export function splitWalkForward(
  curve: readonly EquityPoint[],
  trades: readonly ClosedTrade[],
  windows: number,
  barMs: number,
): WalkForwardWindow[] {
  const bars = curve.length - 1;
  if (windows < 1 || bars < windows) return [];
  const out: WalkForwardWindow[] = [];
  for (let w = 0; w < windows; w++) {
    const start = Math.floor((w * bars) / windows);
    const end = Math.floor(((w + 1) * bars) / windows);
    const slice = curve.slice(start, end + 1);
    const first = slice[0]!;
    const last = slice[slice.length - 1]!;
    const inWindow = trades.filter((t) => t.exitTimeMs > first.t && t.exitTimeMs <= last.t);
    const perf = computePerformance(slice, inWindow, { barMs, initialEquity: first.equity });
    out.push({
      window: w + 1,
      from: formatIsoUtc(first.t),
      to: formatIsoUtc(last.t),
      bars: slice.length - 1,
      total_return: perf.total_return,
      sharpe: perf.sharpe,
      max_drawdown: perf.max_drawdown,
      n_trades: perf.n_trades,
      buy_and_hold_return: first.close > 0 ? last.close / first.close - 1 : 0,
    });
  }
  return out;
}
