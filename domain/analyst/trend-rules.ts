import type { Direction, Regime } from '../schemas/analysis';
import type { MarketSnapshot } from '../schemas/market';
import type { MethodChoice } from '../schemas/steps';
import { getAdx, getAtr, getClose, getEma, getVol } from './cached-indicators';
import { computeExtremes, computeRegression, computeReturn } from './indicators';
import type { MethodDefinition } from '../methods/method-definition';
import { readIntParam, readParam } from './method-params';
import { getBars } from './series';

export interface TrendResult {
  direction: Direction;
  strength: number;
  regime: Regime;
  evidence: Record<string, number | null>;
}

const clamp01 = (x: number): number => (x > 1 ? 1 : x < 0 ? 0 : x);

function warmUp(evidence: Record<string, number | null>): TrendResult {
  return { direction: 'flat', strength: 0, regime: 'range', evidence };
}

/** Trend when close > EMA fast > mid > slow (or the reverse); strength from the fast-slow spread in ATRs. */
export function detectEmaAlignment(s: MarketSnapshot, c: MethodChoice, spec: MethodDefinition): TrendResult {
  const px = getClose(s);
  const f = getEma(s, readIntParam(c, spec, 'fast'));
  const m = getEma(s, readIntParam(c, spec, 'mid'));
  const sl = getEma(s, readIntParam(c, spec, 'slow'));
  const atr = getAtr(s, 14);
  const evidence = {
    close: px,
    ema_fast: f,
    ema_mid: m,
    ema_slow: sl,
    spread_atr: f !== null && sl !== null && atr ? (f - sl) / atr : null,
  };
  if (f === null || m === null || sl === null || !atr) return warmUp(evidence);
  const score = Math.sign(px - f) + Math.sign(f - m) + Math.sign(m - sl);
  const full = readParam(c, spec, 'fullSpreadAtr');
  const strength = clamp01(Math.abs(f - sl) / atr / full);
  if (score === 3) return { direction: 'up', strength, regime: 'trend_up', evidence };
  if (score === -3) return { direction: 'down', strength, regime: 'trend_down', evidence };
  return { direction: 'flat', strength: clamp01((Math.abs(score) / 3) * 0.3), regime: 'range', evidence };
}

/** Wilder: ADX above the threshold means a trend, its side given by +DI vs -DI. */
export function detectAdxDi(s: MarketSnapshot, c: MethodChoice, spec: MethodDefinition): TrendResult {
  const adx = getAdx(s, readIntParam(c, spec, 'period', 2));
  const threshold = readParam(c, spec, 'threshold');
  const evidence = { adx: adx?.adx ?? null, plus_di: adx?.pdi ?? null, minus_di: adx?.mdi ?? null, threshold };
  if (!adx) return warmUp(evidence);
  const strength = clamp01(adx.adx / (2 * threshold));
  if (adx.adx < threshold) return { direction: 'flat', strength, regime: 'range', evidence };
  return adx.pdi >= adx.mdi
    ? { direction: 'up', strength, regime: 'trend_up', evidence }
    : { direction: 'down', strength, regime: 'trend_down', evidence };
}

/**
 * OLS slope of log price over a window and its t-statistic. Residuals of a price regression are
 * autocorrelated, so t is inflated relative to iid theory: the default threshold is high (3).
 */
export function detectRegressionTstat(s: MarketSnapshot, c: MethodChoice, spec: MethodDefinition): TrendResult {
  const window = readIntParam(c, spec, 'window', 3);
  const threshold = readParam(c, spec, 'threshold');
  const reg = computeRegression(getBars(s).close, window, getBars(s).n, true);
  const evidence = { slope: reg?.slope ?? null, tstat: reg?.tstat ?? null, r2: reg?.r2 ?? null, window };
  if (!reg) return warmUp(evidence);
  const strength = clamp01(Math.abs(reg.tstat) / (3 * threshold));
  if (reg.tstat >= threshold) return { direction: 'up', strength, regime: 'trend_up', evidence };
  if (reg.tstat <= -threshold) return { direction: 'down', strength, regime: 'trend_down', evidence };
  return { direction: 'flat', strength, regime: 'range', evidence };
}

/** Donchian channel of the previous `window` bars: a close outside it is a breakout. */
export function detectDonchianBreakout(s: MarketSnapshot, c: MethodChoice, spec: MethodDefinition): TrendResult {
  const b = getBars(s);
  const window = readIntParam(c, spec, 'window');
  const ch = computeExtremes(b.high, b.low, window, b.n - 1);
  const px = getClose(s);
  const atr = getAtr(s, 14);
  const pos = ch && ch.high > ch.low ? (px - ch.low) / (ch.high - ch.low) : null;
  const evidence = { close: px, channel_high: ch?.high ?? null, channel_low: ch?.low ?? null, channel_pos: pos };
  if (!ch || pos === null || !atr) return warmUp(evidence);
  if (px > ch.high)
    return { direction: 'up', strength: clamp01(0.5 + (px - ch.high) / atr), regime: 'breakout_up', evidence };
  if (px < ch.low)
    return { direction: 'down', strength: clamp01(0.5 + (ch.low - px) / atr), regime: 'breakout_down', evidence };
  const edge = readParam(c, spec, 'edge');
  const strength = clamp01(Math.abs(pos - 0.5));
  if (pos >= 1 - edge) return { direction: 'up', strength, regime: 'range', evidence };
  if (pos <= edge) return { direction: 'down', strength, regime: 'range', evidence };
  return { direction: 'flat', strength, regime: 'range', evidence };
}

/**
 * Short/long realised-vol ratio: expansion above `highRatio` is high_vol (direction from the
 * short move if it exceeds one short-window sigma); otherwise the long move in sigmas decides
 * trend vs range.
 */
export function detectVolatilityRegime(s: MarketSnapshot, c: MethodChoice, spec: MethodDefinition): TrendResult {
  const close = getBars(s).close;
  const shortBars = readIntParam(c, spec, 'shortBars', 2);
  const longBars = readIntParam(c, spec, 'longBars', 2);
  const trendBars = readIntParam(c, spec, 'trendBars');
  const vs = getVol(s, shortBars);
  const vl = getVol(s, longBars);
  const ratio = vs !== null && vl !== null && vl > 0 ? vs / vl : null;
  const retShort = computeReturn(close, shortBars);
  const retTrend = computeReturn(close, trendBars);
  const zTrend = retTrend !== null && vl ? Math.log(1 + retTrend) / (vl * Math.sqrt(trendBars)) : null;
  const evidence = { vol_short: vs, vol_long: vl, vol_ratio: ratio, ret_short: retShort, trend_z: zTrend };
  if (ratio === null || vs === null || retShort === null || zTrend === null) return warmUp(evidence);
  const highRatio = readParam(c, spec, 'highRatio');
  if (ratio >= highRatio) {
    const zShort = Math.log(1 + retShort) / (vs * Math.sqrt(shortBars));
    const direction: Direction = zShort > 1 ? 'up' : zShort < -1 ? 'down' : 'flat';
    return { direction, strength: clamp01((ratio - 1) / highRatio), regime: 'high_vol', evidence };
  }
  const strength = clamp01(Math.abs(zTrend) / 3);
  if (zTrend > 1) return { direction: 'up', strength, regime: 'trend_up', evidence };
  if (zTrend < -1) return { direction: 'down', strength, regime: 'trend_down', evidence };
  return { direction: 'flat', strength, regime: 'range', evidence };
}
