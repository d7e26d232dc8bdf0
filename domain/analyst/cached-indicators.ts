import type { MarketSnapshot } from '../schemas/market';
import { computeEma, computeRsi } from './ema-rsi';
import { type Adx, computeAdx, computeAtr, computeLogReturnStdev } from './indicators';
import { getBars, memoize } from './series';

// Indicators several methods share, computed once per snapshot (see series.ts). `back` reads the
// value that many bars before the last one (for slopes).

export function getEma(s: MarketSnapshot, period: number, back = 0): number | null {
  return memoize(s, `ema:${period}:${back}`, () => {
    const b = getBars(s);
    return computeEma(b.close, period, b.n - back);
  });
}

export function getRsi(s: MarketSnapshot, period: number): number | null {
  return memoize(s, `rsi:${period}`, () => computeRsi(getBars(s).close, period));
}

export function getAtr(s: MarketSnapshot, period: number): number | null {
  return memoize(s, `atr:${period}`, () => {
    const b = getBars(s);
    return computeAtr(b.high, b.low, b.close, period);
  });
}

export function getAdx(s: MarketSnapshot, period: number): Adx | null {
  return memoize(s, `adx:${period}`, () => {
    const b = getBars(s);
    return computeAdx(b.high, b.low, b.close, period);
  });
}

/** Sample stdev of the last n 4h log returns (not annualised). */
export function getVol(s: MarketSnapshot, n: number, back = 0): number | null {
  return memoize(s, `vol:${n}:${back}`, () => {
    const b = getBars(s);
    return computeLogReturnStdev(b.close, n, b.n - back);
  });
}

/** Latest close of the snapshot (it always has at least one closed bar). */
export function getClose(s: MarketSnapshot): number {
  const b = getBars(s);
  return b.close[b.n - 1] as number;
}

/** Ratio a/b - 1, or null when either side is missing. */
export function relativeTo(a: number | null, b: number | null): number | null {
  return a === null || b === null || b === 0 ? null : a / b - 1;
}
