import { formatMonthKey } from './civil-time';

/** One mark of the account: `t` epoch ms (UTC), `equity` in USDT (wallet + unrealised PnL), `close` the bar's close price. */
export interface EquityPoint {
  t: number;
  equity: number;
  close: number;
}

/** A calendar month's compounded return. */
export interface MonthlyReturn {
  month: string;
  ret: number;
}

/** Drawdown at one mark: a positive fraction below the running peak (0 at a new high). */
export interface DrawdownPoint {
  t: number;
  drawdown: number;
}

/**
 * Calendar month (UTC) of the return that ends at mark `i`. A mark is a bar close, so the return ending at
 * t covers the bar just before t: a close at 00:00 on the 1st is the previous month's last bar, hence
 * t − 1 ms. The first return runs from the opening mark to the first decision, with nothing held yet, so
 * it belongs to the month of that decision. Without these two rules a backtest from 2023-01-01 to
 * 2024-01-01 showed a 0.0 % December 2022 row and a one-bar January 2024 row.
 */
function monthOfReturn(curve: readonly EquityPoint[], i: number): string {
  const t = curve[i]!.t;
  return formatMonthKey(i === 1 ? t : t - 1);
}

/**
 * Calendar-month returns (UTC). `curve[0]` is the opening mark; a month's return is its last equity over
 * the previous month's last equity (the opening mark for the first month), minus 1. This is the month-end
 * to month-end convention of fund factsheets, so the months compound to the total return.
 */
export function monthlyReturns(curve: readonly EquityPoint[]): MonthlyReturn[] {
  if (curve.length < 2) return [];
  const out: MonthlyReturn[] = [];
  let base = curve[0]!.equity;
  let month = monthOfReturn(curve, 1);
  let last = base;
  for (let i = 1; i < curve.length; i++) {
    const key = monthOfReturn(curve, i);
    if (key !== month) {
      out.push({ month, ret: base > 0 ? last / base - 1 : 0 });
      base = last;
      month = key;
    }
    last = curve[i]!.equity;
  }
  out.push({ month, ret: base > 0 ? last / base - 1 : 0 });
  return out;
}

/** Drawdown from the running peak at every mark: (peak − equity) / peak. */
export function drawdownSeries(curve: readonly EquityPoint[]): DrawdownPoint[] {
  let peak = -Infinity;
  return curve.map((p) => {
    peak = Math.max(peak, p.equity);
    return { t: p.t, drawdown: peak > 0 ? (peak - p.equity) / peak : 0 };
  });
}

/** Simple per-bar returns r_i = E_i / E_{i−1} − 1. */
export function computeBarReturns(curve: readonly EquityPoint[]): number[] {
  const out: number[] = [];
  for (let i = 1; i < curve.length; i++) {
    const prev = curve[i - 1]!.equity;
    out.push(prev > 0 ? curve[i]!.equity / prev - 1 : 0);
  }
  return out;
}

/** Largest drawdown (positive fraction) and the longest run of consecutive marks below a prior peak. */
export function measureDrawdown(curve: readonly EquityPoint[]): { maxDrawdown: number; maxDurationBars: number } {
  let maxDrawdown = 0;
  let maxDurationBars = 0;
  let run = 0;
  for (const { drawdown } of drawdownSeries(curve)) {
    maxDrawdown = Math.max(maxDrawdown, drawdown);
    run = drawdown > 0 ? run + 1 : 0;
    maxDurationBars = Math.max(maxDurationBars, run);
  }
  return { maxDrawdown, maxDurationBars };
}
