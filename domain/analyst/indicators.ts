/**
 * Last-value technical indicators over plain arrays, written as single tight loops.
 *
 * Why not call technicalindicators here: its generator-based classes cost ~2 ms for one bar's
 * set of indicators over 300 bars, 20x the A-B+A-C budget of the fast backtest. These loops
 * follow technicalindicators' exact conventions (SMA-seeded EMA/Wilder averages, TR from the
 * second bar) and tests/unit/analyst pin them to it and to published worked examples.
 *
 * Every function reads x[0..end-1] and returns the value at index end-1, or null in warm-up.
 * EMA and RSI live in ./ema-rsi.ts, the core they share with the baselines' whole-series signals.
 */
import { computeEma, computeEmaSeries } from './ema-rsi';

export type Num = ArrayLike<number>;

/** Simple moving average of the `period` values ending at end-1. */
export function computeSma(x: Num, period: number, end = x.length): number | null {
  if (period < 1 || end < period) return null;
  let s = 0;
  for (let i = end - period; i < end; i++) s += x[i] as number;
  return s / period;
}

/** Population standard deviation (as Bollinger's bands and technicalindicators' SD use). */
export function computeStdevPop(x: Num, period: number, end = x.length): number | null {
  const mean = computeSma(x, period, end);
  if (mean === null) return null;
  let s = 0;
  for (let i = end - period; i < end; i++) s += ((x[i] as number) - mean) ** 2;
  return Math.sqrt(s / period);
}

export interface Macd {
  macd: number;
  signal: number | null;
  histogram: number | null;
}

/** MACD (Appel): EMA(fast) - EMA(slow) from index slow-1 on; signal = EMA(signal) of that line (the EMA core of ./ema-rsi.ts). */
export function computeMacd(close: Num, fast: number, slow: number, signal: number, end = close.length): Macd | null {
  if (end < slow || fast < 1 || signal < 1) return null;
  const x = Array.prototype.slice.call(close, 0, end) as number[];
  const ef = computeEmaSeries(x, fast);
  const es = computeEmaSeries(x, slow);
  const line = Array.from(
    { length: end - slow + 1 },
    (_, i) => (ef[slow - 1 + i] as number) - (es[slow - 1 + i] as number),
  );
  const macd = line[line.length - 1] as number;
  const s = signal === 1 ? macd : computeEma(line, signal);
  return { macd, signal: s, histogram: s === null ? null : macd - s };
}

function trueRange(high: Num, low: Num, close: Num, i: number): number {
  const h = high[i] as number;
  const l = low[i] as number;
  const pc = close[i - 1] as number;
  return Math.max(h - l, Math.abs(h - pc), Math.abs(l - pc));
}

/** Wilder's ATR: TR from the second bar on, averaged by an SMA seed then (a·(p-1)+TR)/p. */
export function computeAtr(high: Num, low: Num, close: Num, period: number, end = close.length): number | null {
  if (period < 1 || end < period + 1) return null;
  let atr = 0;
  for (let i = 1; i <= period; i++) atr += trueRange(high, low, close, i);
  atr /= period;
  for (let i = period + 1; i < end; i++) atr += (trueRange(high, low, close, i) - atr) / period;
  return atr;
}

export interface Adx {
  adx: number;
  pdi: number;
  mdi: number;
}

/**
 * Wilder's ADX/DMI: +DM/-DM and TR summed by Wilder smoothing (S = S - S/p + x, seeded by a sum),
 * DI = 100·S(DM)/S(TR), DX = 100·|DI+ - DI-|/(DI+ + DI-), ADX = Wilder average of DX.
 * Needs 2p bars.
 */
export function computeAdx(high: Num, low: Num, close: Num, period: number, end = close.length): Adx | null {
  if (period < 1 || end < 2 * period) return null;
  let sTr = 0;
  let sP = 0;
  let sM = 0;
  let adx = 0;
  let pdi = 0;
  let mdi = 0;
  let dxCount = 0;
  for (let i = 1; i < end; i++) {
    const up = (high[i] as number) - (high[i - 1] as number);
    const down = (low[i - 1] as number) - (low[i] as number);
    const pdm = up > down && up > 0 ? up : 0;
    const mdm = down > up && down > 0 ? down : 0;
    const tr = trueRange(high, low, close, i);
    if (i <= period) {
      sTr += tr;
      sP += pdm;
      sM += mdm;
      if (i < period) continue;
    } else {
      sTr = sTr - sTr / period + tr;
      sP = sP - sP / period + pdm;
      sM = sM - sM / period + mdm;
    }
    pdi = sTr > 0 ? (100 * sP) / sTr : 0;
    mdi = sTr > 0 ? (100 * sM) / sTr : 0;
    const dx = pdi + mdi > 0 ? (100 * Math.abs(pdi - mdi)) / (pdi + mdi) : 0;
    dxCount++;
    if (dxCount < period) adx += dx;
    else if (dxCount === period) adx = (adx + dx) / period;
    else adx += (dx - adx) / period;
  }
  return dxCount >= period ? { adx, pdi, mdi } : null;
}

/** Sample standard deviation of the last n log returns ending at end-1. */
export function computeLogReturnStdev(close: Num, n: number, end = close.length): number | null {
  if (n < 2 || end < n + 1) return null;
  let s = 0;
  let s2 = 0;
  for (let i = end - n; i < end; i++) {
    const r = Math.log((close[i] as number) / (close[i - 1] as number));
    s += r;
    s2 += r * r;
  }
  const mean = s / n;
  return Math.sqrt(Math.max(0, (s2 - n * mean * mean) / (n - 1)));
}

/** Simple return over `horizon` bars ending at end-1. */
export function computeReturn(close: Num, horizon: number, end = close.length): number | null {
  if (horizon < 1 || end < horizon + 1) return null;
  return (close[end - 1] as number) / (close[end - 1 - horizon] as number) - 1;
}

/**
 * OLS fit y = a + b·i over the last n values: slope b and its t-statistic (b / se(b)).
 * With `log` the fit is on ln(y) (log price: slope = growth per bar).
 */
export function computeRegression(
  y: Num,
  n: number,
  end = y.length,
  log = false,
): { slope: number; tstat: number; r2: number } | null {
  if (n < 3 || end < n) return null;
  const at = (i: number): number => (log ? Math.log(y[end - n + i] as number) : (y[end - n + i] as number));
  const xm = (n - 1) / 2;
  let ym = 0;
  for (let i = 0; i < n; i++) ym += at(i);
  ym /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = i - xm;
    const dy = at(i) - ym;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  const slope = sxy / sxx;
  const sse = Math.max(0, syy - slope * sxy);
  const se = Math.sqrt(sse / (n - 2) / sxx);
  const tstat = se > 0 ? slope / se : slope === 0 ? 0 : Math.sign(slope) * 1e6;
  return { slope, tstat, r2: syy > 0 ? (slope * sxy) / syy : 0 };
}

/** Highest and lowest values of the window of n bars ending at end-1. */
export function computeExtremes(
  high: Num,
  low: Num,
  n: number,
  end = high.length,
): { high: number; low: number } | null {
  if (n < 1 || end < n) return null;
  let hi = -Infinity;
  let lo = Infinity;
  for (let i = end - n; i < end; i++) {
    if ((high[i] as number) > hi) hi = high[i] as number;
    if ((low[i] as number) < lo) lo = low[i] as number;
  }
  return { high: hi, low: lo };
}

/** On-balance volume series (Granville): +volume on an up close, -volume on a down close, 0 at the first bar. */
export function computeObvSeries(close: Num, volume: Num): Float64Array {
  const out = new Float64Array(close.length);
  for (let i = 1; i < close.length; i++) {
    const d = (close[i] as number) - (close[i - 1] as number);
    out[i] = (out[i - 1] as number) + (d > 0 ? (volume[i] as number) : d < 0 ? -(volume[i] as number) : 0);
  }
  return out;
}
