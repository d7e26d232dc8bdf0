/**
 * The one EMA and RSI core, for the analyst (last value at a bar) and the baselines (whole series in
 * one pass, so a baseline over ~12,500 bars reads its signal in O(1) per bar instead of O(n²) in all).
 *
 * Both read the same walk, so the series equals the last value at every index to the bit. It follows
 * technicalindicators' conventions (SMA-seeded EMA; Wilder's RSI seeded by SMAs of the first `period`
 * gains and losses); tests/unit/analyst pins it to that library, which is ~2 ms per analyst-bar and so
 * too slow to call here. Index i holds the value known at the close of bar i.
 */
import type { Num } from './indicators';

type Visit = (i: number, value: number) => void;

/** EMA with k = 2/(p+1), seeded by the SMA of the first p values: visits indices p−1..end−1 and returns the last. */
function walkEma(x: Num, period: number, end: number, visit?: Visit): number | null {
  if (period < 1 || end < period) return null;
  const k = 2 / (period + 1);
  let e = 0;
  for (let i = 0; i < period; i++) e += x[i] as number;
  e /= period;
  visit?.(period - 1, e);
  for (let i = period; i < end; i++) {
    e += ((x[i] as number) - e) * k;
    visit?.(i, e);
  }
  return e;
}

function toRsi(gain: number, loss: number): number {
  if (loss === 0) return 100;
  if (gain === 0) return 0;
  return 100 - 100 / (1 + gain / loss);
}

/**
 * Wilder's RSI (New Concepts in Technical Trading Systems, 1978): first averages are SMAs of the
 * first p gains/losses, then avg = (avg·(p−1) + x)/p; RSI = 100 − 100/(1 + avgGain/avgLoss).
 * Visits indices p..end−1 and returns the last.
 */
function walkRsi(close: Num, period: number, end: number, visit?: Visit): number | null {
  if (period < 1 || end < period + 1) return null;
  let gain = 0;
  let loss = 0;
  for (let i = 1; i <= period; i++) {
    const d = (close[i] as number) - (close[i - 1] as number);
    if (d > 0) gain += d;
    else loss -= d;
  }
  gain /= period;
  loss /= period;
  visit?.(period, toRsi(gain, loss));
  for (let i = period + 1; i < end; i++) {
    const d = (close[i] as number) - (close[i - 1] as number);
    gain = (gain * (period - 1) + (d > 0 ? d : 0)) / period;
    loss = (loss * (period - 1) + (d < 0 ? -d : 0)) / period;
    visit?.(i, toRsi(gain, loss));
  }
  return toRsi(gain, loss);
}

/** EMA of x[0..end-1] at index end-1, or null in warm-up. */
export function computeEma(x: Num, period: number, end = x.length): number | null {
  return walkEma(x, period, end);
}

/** Wilder's RSI of close[0..end-1] at index end-1, or null in warm-up. */
export function computeRsi(close: Num, period: number, end = close.length): number | null {
  return walkRsi(close, period, end);
}

/** The EMA at every index; NaN before index p−1. */
export function computeEmaSeries(x: Num, period: number): Float64Array {
  const out = new Float64Array(x.length).fill(NaN);
  walkEma(x, period, x.length, (i, v) => (out[i] = v));
  return out;
}

/** Wilder's RSI at every index; NaN before index p. */
export function computeRsiSeries(close: Num, period: number): Float64Array {
  const out = new Float64Array(close.length).fill(NaN);
  walkRsi(close, period, close.length, (i, v) => (out[i] = v));
  return out;
}
