import type { MarketSnapshot } from '../schemas/market';
import type { MethodChoice } from '../schemas/steps';
import { getAdx, getAtr, getClose, getEma, getRsi, getVol, relativeTo } from './cached-indicators';
import { computeEma, computeRsi } from './ema-rsi';
import {
  computeMacd,
  computeObvSeries,
  computeRegression,
  computeReturn,
  computeSma,
  computeStdevPop,
} from './indicators';
import type { MethodDefinition } from '../methods/method-definition';
import { readIntParam, readParam } from './method-params';
import { getBars, getDailyBars, memoize } from './series';
import { DAY_MS, HOUR_MS } from '../market/time-grid';

export type Features = Record<string, number | null>;

const BARS_PER_YEAR = 6 * 365;

/** The core set every method returns: the Researcher relies on these names. */
export function computeCoreFeatures(s: MarketSnapshot): Features {
  return memoize(s, 'core', () => {
    const close = getBars(s).close;
    const f = s.funding[s.funding.length - 1];
    return {
      close: getClose(s),
      ret_1: computeReturn(close, 1),
      ret_6: computeReturn(close, 6),
      ret_30: computeReturn(close, 30),
      // Two- and four-week returns for time-series momentum (research/forecast-inventory.ts 'tsmom').
      ret_84: computeReturn(close, 84),
      ret_180: computeReturn(close, 180),
      rsi_14: getRsi(s, 14),
      ema_21: getEma(s, 21),
      ema_50: getEma(s, 50),
      atr_14: getAtr(s, 14),
      vol_30: getVol(s, 30),
      funding_rate: f ? f.rate : null,
    };
  });
}

export function computeMomentum(s: MarketSnapshot, c: MethodChoice, spec: MethodDefinition): Features {
  const close = getBars(s).close;
  const slow = readIntParam(c, spec, 'macdSlow', 2);
  const fast = Math.min(readIntParam(c, spec, 'macdFast'), slow - 1);
  const macd = computeMacd(close, fast, slow, readIntParam(c, spec, 'macdSignal'));
  const px = getClose(s);
  return {
    ret_short: computeReturn(close, readIntParam(c, spec, 'shortBars')),
    ret_long: computeReturn(close, readIntParam(c, spec, 'longBars')),
    rsi: getRsi(s, readIntParam(c, spec, 'rsiPeriod', 2)),
    macd: macd ? macd.macd : null,
    macd_signal: macd ? macd.signal : null,
    macd_hist: macd ? macd.histogram : null,
    macd_hist_pct: macd && macd.histogram !== null ? macd.histogram / px : null,
  };
}

export function computeTrendFeatures(s: MarketSnapshot, c: MethodChoice, spec: MethodDefinition): Features {
  const px = getClose(s);
  const slopeBars = readIntParam(c, spec, 'slopeBars');
  const ema21 = getEma(s, 21);
  const ema50 = getEma(s, 50);
  const ema200 = getEma(s, 200);
  const adx = getAdx(s, readIntParam(c, spec, 'adxPeriod', 2));
  return {
    ema_9: getEma(s, 9),
    ema_21: ema21,
    ema_50: ema50,
    ema_200: ema200,
    ema_spread_21_50: ema21 !== null && ema50 !== null ? (ema21 - ema50) / px : null,
    close_vs_ema_200: relativeTo(px, ema200),
    ema_21_slope: relativeTo(ema21, getEma(s, 21, slopeBars)),
    adx: adx ? adx.adx : null,
    plus_di: adx ? adx.pdi : null,
    minus_di: adx ? adx.mdi : null,
  };
}

export function computeVolatility(s: MarketSnapshot, c: MethodChoice, spec: MethodDefinition): Features {
  const b = getBars(s);
  const px = getClose(s);
  const atr = getAtr(s, readIntParam(c, spec, 'atrPeriod'));
  const bbPeriod = readIntParam(c, spec, 'bbPeriod', 2);
  const mid = computeSma(b.close, bbPeriod);
  const sd = computeStdevPop(b.close, bbPeriod);
  const k = readParam(c, spec, 'bbStdDev');
  const short = getVol(s, readIntParam(c, spec, 'shortBars', 2));
  const long = getVol(s, readIntParam(c, spec, 'longBars', 2));
  return {
    atr,
    atr_pct: atr === null ? null : atr / px,
    bb_width: mid !== null && sd !== null && mid > 0 ? (2 * k * sd) / mid : null,
    bb_pctb: mid !== null && sd !== null && sd > 0 ? (px - (mid - k * sd)) / (2 * k * sd) : null,
    vol_short: short,
    vol_long: long,
    vol_ratio: short !== null && long !== null && long > 0 ? short / long : null,
    vol_annual: long === null ? null : long * Math.sqrt(BARS_PER_YEAR),
  };
}

export function computeVolume(s: MarketSnapshot, c: MethodChoice, spec: MethodDefinition): Features {
  const b = getBars(s);
  const win = readIntParam(c, spec, 'obvWindow', 3);
  const zWin = readIntParam(c, spec, 'zWindow', 3);
  const obv = memoize(s, 'obv', () => computeObvSeries(b.close, b.volume));
  const reg = computeRegression(obv, win);
  const meanVol = computeSma(b.volume, win);
  const zMean = computeSma(b.volume, zWin);
  const zSd = computeStdevPop(b.volume, zWin);
  const last = b.volume[b.n - 1] as number;
  return {
    // OBV slope per bar in units of average volume: +1 means every bar added one average bar's volume.
    obv_slope: reg && meanVol ? reg.slope / meanVol : null,
    volume_z: zMean !== null && zSd !== null && zSd > 0 ? (last - zMean) / zSd : null,
    volume_ratio: zMean ? last / zMean : null,
  };
}

export function computeDerivatives(s: MarketSnapshot, c: MethodChoice, spec: MethodDefinition): Features {
  const rates = s.funding.map((f) => f.rate);
  const latest = rates.length > 0 ? (rates[rates.length - 1] as number) : null;
  const day = s.funding.filter((f) => f.t > s.barCloseMs - DAY_MS).map((f) => f.rate);
  const zRates = rates.slice(-readIntParam(c, spec, 'zWindow', 3));
  const zMean = computeSma(zRates, zRates.length);
  let z: number | null = null;
  if (latest !== null && zMean !== null && zRates.length >= 10) {
    const sd = Math.sqrt(zRates.reduce((a, r) => a + (r - zMean) ** 2, 0) / (zRates.length - 1));
    z = sd > 0 ? (latest - zMean) / sd : 0;
  }
  const oi = s.openInterest[s.openInterest.length - 1];
  const lagMs = readIntParam(c, spec, 'oiLagHours') * HOUR_MS;
  const before = oi ? [...s.openInterest].reverse().find((p) => p.t <= oi.t - lagMs) : undefined;
  return {
    funding_rate: latest,
    funding_avg_24h: day.length > 0 ? day.reduce((a, r) => a + r, 0) / day.length : null,
    funding_z: z,
    funding_annual: latest === null ? null : latest * 3 * 365,
    open_interest: oi ? oi.oi : null,
    oi_change: oi && before && before.oi > 0 ? oi.oi / before.oi - 1 : null,
  };
}

export function computeMultiTimeframe(s: MarketSnapshot, c: MethodChoice, spec: MethodDefinition): Features {
  const d = getDailyBars(s);
  const emaPeriod = readIntParam(c, spec, 'emaPeriod');
  const slopeDays = readIntParam(c, spec, 'slopeDays');
  const ema = computeEma(d.close, emaPeriod);
  const emaBefore = computeEma(d.close, emaPeriod, d.n - slopeDays);
  const reg = computeRegression(d.close, Math.min(d.n, readIntParam(c, spec, 'regressionDays', 3)), d.n, true);
  return {
    rsi_1d: computeRsi(d.close, readIntParam(c, spec, 'rsiPeriod', 2)),
    ema_1d: ema,
    close_vs_ema_1d: relativeTo(getClose(s), ema),
    ema_1d_slope: relativeTo(ema, emaBefore),
    ret_7d: computeReturn(d.close, 7),
    trend_tstat_1d: reg && d.n >= 3 ? reg.tstat : null,
  };
}
