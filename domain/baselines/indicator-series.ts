/**
 * Whole-series EMA and RSI in one pass each, so a baseline over ~12,500 bars reads its signal in
 * O(1) per bar instead of recomputing the last value (O(n) each, O(n²) in total).
 *
 * The values equal domain/analyst/indicators.ts at every index (SMA-seeded EMA; Wilder's RSI seeded
 * by SMAs of the first `period` gains and losses), which follows technicalindicators' conventions.
 * Index i holds the value known at the close of bar i; warm-up entries are NaN.
 */

/** EMA with k = 2/(p+1), seeded by the SMA of the first p values; NaN before index p−1. */
export function computeEmaSeries(x: ArrayLike<number>, period: number): Float64Array {
  const out = new Float64Array(x.length).fill(NaN);
  if (period < 1 || x.length < period) return out;
  const k = 2 / (period + 1);
  let e = 0;
  for (let i = 0; i < period; i++) e += x[i] as number;
  e /= period;
  out[period - 1] = e;
  for (let i = period; i < x.length; i++) {
    e += ((x[i] as number) - e) * k;
    out[i] = e;
  }
  return out;
}

function toRsi(gain: number, loss: number): number {
  if (loss === 0) return 100;
  if (gain === 0) return 0;
  return 100 - 100 / (1 + gain / loss);
}

/**
 * Wilder's RSI (New Concepts in Technical Trading Systems, 1978): avg = (avg·(p−1) + x)/p after
 * SMA seeds; RSI = 100 − 100/(1 + avgGain/avgLoss). NaN before index p.
 */
export function computeRsiSeries(close: ArrayLike<number>, period: number): Float64Array {
  const out = new Float64Array(close.length).fill(NaN);
  if (period < 1 || close.length < period + 1) return out;
  let gain = 0;
  let loss = 0;
  for (let i = 1; i <= period; i++) {
    const d = (close[i] as number) - (close[i - 1] as number);
    if (d > 0) gain += d;
    else loss -= d;
  }
  gain /= period;
  loss /= period;
  out[period] = toRsi(gain, loss);
  for (let i = period + 1; i < close.length; i++) {
    const d = (close[i] as number) - (close[i - 1] as number);
    gain = (gain * (period - 1) + (d > 0 ? d : 0)) / period;
    loss = (loss * (period - 1) + (d < 0 ? -d : 0)) / period;
    out[i] = toRsi(gain, loss);
  }
  return out;
}
