import { type TrendCall } from '../schemas/analysis';
import { type FeatureValues, readAtr, readFeature, readVolPerBar } from './feature-reader';
import { clamp } from './math';
import { readParam } from './method-params';

/** A method's raw score (positive = up) and the inputs it could not use. */
export interface Score {
  score: number;
  missing: string[];
  drivers: string[];
}

/** Standardised features shared by the methods; null where an input is missing. */
export interface StandardFeatures {
  /** 6-bar and 30-bar returns in units of sigma·sqrt(n) (a t-like statistic). */
  z6: number | null;
  z30: number | null;
  /** 84-bar (two-week) and 180-bar (thirty-day) returns in the same t-like units: the time-series momentum lookbacks. */
  z84: number | null;
  z180: number | null;
  /** EMA21 − EMA50 in ATRs: the slope of the trend. */
  emaGap: number | null;
  /** Close − EMA21 in ATRs: how stretched price is. */
  stretch: number | null;
  /** (RSI14 − 50) / 20: +1 at 70, −1 at 30. */
  rsiDev: number | null;
  /** Funding rate in units of the 0.01%/8h baseline, capped at ±5. */
  fundingZ: number | null;
}

export function standardiseFeatures(values: FeatureValues): StandardFeatures {
  const vol = readVolPerBar(values);
  const atr = readAtr(values);
  const ret6 = readFeature(values, 'ret_6');
  const ret30 = readFeature(values, 'ret_30');
  const ret84 = readFeature(values, 'ret_84');
  const ret180 = readFeature(values, 'ret_180');
  const ema21 = readFeature(values, 'ema_21');
  const ema50 = readFeature(values, 'ema_50');
  const close = readFeature(values, 'close');
  const rsi = readFeature(values, 'rsi_14');
  const funding = readFeature(values, 'funding_rate');
  const inAtr = (a: number | null, b: number | null): number | null =>
    a === null || b === null || atr === null ? null : clamp((a - b) / atr, -4, 4);
  return {
    z6: ret6 === null ? null : clamp(ret6 / (vol * Math.sqrt(6)), -4, 4),
    z30: ret30 === null ? null : clamp(ret30 / (vol * Math.sqrt(30)), -4, 4),
    z84: ret84 === null ? null : clamp(ret84 / (vol * Math.sqrt(84)), -4, 4),
    z180: ret180 === null ? null : clamp(ret180 / (vol * Math.sqrt(180)), -4, 4),
    emaGap: inAtr(ema21, ema50),
    stretch: inAtr(close, ema21),
    rsiDev: rsi === null ? null : clamp((rsi - 50) / 20, -2.5, 2.5),
    fundingZ: funding === null ? null : clamp(funding / 0.0001, -5, 5),
  };
}

/** Σ weight · feature over the available terms; missing features contribute 0 and are reported. */
export function sumTerms(terms: ReadonlyArray<readonly [string, number | null, number]>): Score {
  let score = 0;
  const missing: string[] = [];
  const drivers: string[] = [];
  for (const [name, value, weight] of terms) {
    if (value === null) {
      missing.push(name);
      continue;
    }
    score += weight * value;
    if (Math.abs(weight * value) >= 0.2) drivers.push(`${name} ${value >= 0 ? '+' : ''}${value.toFixed(2)}`);
  }
  return { score, missing, drivers };
}

export function scoreMomentum(f: StandardFeatures, p: Record<string, number>): Score {
  return sumTerms([
    ['ret_6 z', f.z6, readParam(p, 'wShort', 0.4)],
    ['ret_30 z', f.z30, readParam(p, 'wLong', 0.3)],
    ['ema21-ema50 atr', f.emaGap, readParam(p, 'wEma', 0.3)],
  ]);
}

/**
 * Time-series momentum (Moskowitz, Ooi & Pedersen 2012): the sign and size of an asset's own past return,
 * scaled by its volatility, predicts its next return. Lookbacks of two and four weeks, where Liu & Tsyvinski
 * (2021) find time-series momentum in bitcoin. Uses only closes up to the bar close.
 */
export function scoreTsMomentum(f: StandardFeatures, p: Record<string, number>): Score {
  return sumTerms([
    ['ret_84 z', f.z84, readParam(p, 'w84', 0.5)],
    ['ret_180 z', f.z180, readParam(p, 'w180', 0.5)],
  ]);
}

/** Binance USDⓈ-M's neutral funding rate per 8h (the 0.01% interest component): above it longs pay a premium. */
export const NEUTRAL_FUNDING_RATE = 0.0001;

/**
 * Funding carry (Koijen, Moskowitz, Pedersen & Vrugt 2018, "Carry"; for perpetuals He, Manela, Ross &
 * von Wachter 2022): lean to the side that receives funding, against a crowded, premium-paying side.
 * Score = −(rate − 0.01%) / 0.01%, capped, from the last published rate at the bar close.
 */
export function scoreFundingCarry(f: StandardFeatures, p: Record<string, number>): Score {
  const excess = f.fundingZ === null ? null : clamp(f.fundingZ - 1, -5, 5);
  return sumTerms([['funding excess z', excess, -readParam(p, 'wFunding', 0.4)]]);
}

export function scoreMeanReversion(f: StandardFeatures, p: Record<string, number>): Score {
  // Negative weights: a stretched, overbought market is expected to fall back.
  return sumTerms([
    ['rsi_14 dev', f.rsiDev, -readParam(p, 'wRsi', 0.5)],
    ['close-ema21 atr', f.stretch, -readParam(p, 'wZ', 0.5)],
  ]);
}

const REGIME_SIGN: Readonly<Record<string, number>> = { breakout_up: 1, breakout_down: -1 };

/**
 * Volatility breakout in the spirit of Donchian / Keltner rules: only the part of the 6-bar move
 * beyond `threshold` sigmas counts; a close at or beyond a Donchian band (if the analyst built one) adds to it.
 */
export function scoreBreakout(
  values: FeatureValues,
  f: StandardFeatures,
  consensus: TrendCall,
  p: Record<string, number>,
): Score {
  const threshold = readParam(p, 'threshold', 1);
  const excess = f.z6 === null ? null : Math.sign(f.z6) * Math.max(0, Math.abs(f.z6) - threshold);
  const regime = (REGIME_SIGN[consensus.regime] ?? 0) * consensus.strength;
  const close = readFeature(values, 'close');
  const hi = readFeature(values, 'donchian_high_20');
  const lo = readFeature(values, 'donchian_low_20');
  const channel =
    close === null || hi === null || lo === null || hi <= lo ? null : clamp((2 * (close - lo)) / (hi - lo) - 1, -1, 1);
  // Only the edges of the channel signal a breakout; the middle is noise.
  const edge = channel === null ? null : Math.abs(channel) >= 0.9 ? Math.sign(channel) : 0;
  const s = sumTerms([
    ['vol breakout', excess, readParam(p, 'wVol', 0.6)],
    ['breakout regime', regime, readParam(p, 'wRegime', 0.6)],
    ['donchian edge', edge, readParam(p, 'wChannel', 0.5)],
  ]);
  // Donchian bands are optional features: their absence is not a data problem.
  return { ...s, missing: s.missing.filter((m) => m !== 'donchian edge') };
}

/** The logistic model's linear score w·x with the prior (or taught) weights in params. */
export function scoreLogisticPrior(f: StandardFeatures, p: Record<string, number>): Score {
  const s = sumTerms([
    ['ret_6 z', f.z6, readParam(p, 'wRet6', 0.25)],
    ['ret_30 z', f.z30, readParam(p, 'wRet30', 0.2)],
    ['ema21-ema50 atr', f.emaGap, readParam(p, 'wEma', 0.25)],
    ['rsi_14 dev', f.rsiDev, readParam(p, 'wRsi', -0.1)],
    ['funding z', f.fundingZ, readParam(p, 'wFunding', -0.1)],
  ]);
  return { ...s, score: s.score + readParam(p, 'bias', 0) };
}

const BULL_WORDS = [
  'surge',
  'rally',
  'record high',
  'all-time high',
  'inflow',
  'approve',
  'approval',
  'adopt',
  'buy',
  'bull',
  'gain',
  'rate cut',
  'soar',
  'jump',
];
const BEAR_WORDS = [
  'crash',
  'plunge',
  'hack',
  'ban',
  'lawsuit',
  'outflow',
  'sell-off',
  'selloff',
  'liquidation',
  'bear',
  'fall',
  'drop',
  'rate hike',
  'fraud',
  'collapse',
  'tumble',
];

/** Crude headline tone in [−1, 1]: (bullish − bearish keyword hits) / (hits + 1). Deterministic, offline. */
export function scoreHeadlineTone(headlines: readonly string[]): number {
  let bull = 0;
  let bear = 0;
  for (const h of headlines) {
    const text = h.toLowerCase();
    bull += BULL_WORDS.filter((w) => text.includes(w)).length;
    bear += BEAR_WORDS.filter((w) => text.includes(w)).length;
  }
  return (bull - bear) / (bull + bear + 1);
}
