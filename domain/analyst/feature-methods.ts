import type { MarketSnapshot } from '../schemas/market';
import type { MethodChoice } from '../schemas/steps';
import {
  type Features,
  computeCoreFeatures,
  computeDerivatives,
  computeMomentum,
  computeMultiTimeframe,
  computeTrendFeatures,
  computeVolatility,
  computeVolume,
} from './feature-families';
import { findMethod, type MethodDefinition } from '../methods/method-definition';

/** A-B catalogue: the feature families an analyst can choose. Tags name the regimes each suits. */
export const FEATURE_METHODS: readonly MethodDefinition[] = [
  {
    id: 'momentum',
    description: 'Returns over a short and a long horizon, RSI, MACD line/signal/histogram.',
    params: { shortBars: 6, longBars: 42, rsiPeriod: 14, macdFast: 12, macdSlow: 26, macdSignal: 9 },
    tags: ['trend_up', 'trend_down', 'breakout_up', 'breakout_down'],
  },
  {
    id: 'trend',
    description: 'EMA 9/21/50/200, EMA spread and slope, distance to EMA200, ADX with +DI/-DI.',
    params: { adxPeriod: 14, slopeBars: 6 },
    tags: ['trend_up', 'trend_down'],
  },
  {
    id: 'volatility',
    description: 'ATR and ATR%, Bollinger width and %B, short/long realised vol and their ratio.',
    params: { atrPeriod: 14, bbPeriod: 20, bbStdDev: 2, shortBars: 12, longBars: 90 },
    tags: ['high_vol', 'range', 'breakout_up', 'breakout_down'],
  },
  {
    id: 'volume',
    description: 'OBV slope (per bar, in average volumes), volume z-score and ratio to its mean.',
    params: { obvWindow: 20, zWindow: 30 },
    tags: ['breakout_up', 'breakout_down'],
  },
  {
    id: 'derivatives',
    description:
      'Funding level, 24h average, z-score vs the last 30 days, annualised; open-interest change when present.',
    params: { zWindow: 90, oiLagHours: 24 },
    tags: ['range', 'high_vol'],
  },
  {
    id: 'multi_timeframe',
    description: 'Daily RSI, EMA and its slope, 7-day return and daily trend t-stat from the 1d bars.',
    params: { rsiPeriod: 14, emaPeriod: 20, slopeDays: 3, regressionDays: 20 },
    tags: ['trend_up', 'trend_down'],
  },
];

type FamilyFn = (s: MarketSnapshot, c: MethodChoice, spec: MethodDefinition) => Features;

const FAMILIES: Record<string, FamilyFn> = {
  momentum: computeMomentum,
  trend: computeTrendFeatures,
  volatility: computeVolatility,
  volume: computeVolume,
  derivatives: computeDerivatives,
  multi_timeframe: computeMultiTimeframe,
};

/** Replaces non-finite numbers with null: the FeatureTable contract allows null, never NaN/Infinity. */
function sanitize(values: Features): Features {
  const out: Features = {};
  for (const [k, v] of Object.entries(values)) out[k] = v !== null && Number.isFinite(v) ? v : null;
  return out;
}

/**
 * A-B: the core features every downstream step relies on (close, ret_1/6/30, rsi_14, ema_21/50,
 * atr_14, vol_30, funding_rate) plus the chosen family's features. Pure: the values depend only
 * on the snapshot and the choice; warm-up values are null.
 * @throws UnknownMethodError when `choice.id` is not in {@link FEATURE_METHODS}.
 */
export function computeFeatures(snapshot: MarketSnapshot, choice: MethodChoice): Record<string, number | null> {
  const spec = findMethod(FEATURE_METHODS, 'A-B', choice.id);
  const family = FAMILIES[spec.id] as FamilyFn;
  return sanitize({ ...computeCoreFeatures(snapshot), ...family(snapshot, choice, spec) });
}
