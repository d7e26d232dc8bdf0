import type { Direction, Regime } from '../schemas/analysis';
import type { MarketSnapshot } from '../schemas/market';
import type { MethodChoice } from '../schemas/steps';
import { findMethod, type MethodDefinition } from '../methods/method-definition';
import {
  type TrendResult,
  detectAdxDi,
  detectDonchianBreakout,
  detectEmaAlignment,
  detectRegressionTstat,
  detectVolatilityRegime,
} from './trend-rules';

/** A-C catalogue; tags are the regimes each method is specialised for. */
export const TREND_METHODS: readonly MethodDefinition[] = [
  {
    id: 'ema_alignment',
    description: 'Up when close > EMA fast > mid > slow, down when reversed; strength = fast-slow spread in ATRs.',
    params: { fast: 9, mid: 21, slow: 50, fullSpreadAtr: 3 },
    tags: ['trend_up', 'trend_down'],
  },
  {
    id: 'adx_di',
    description: "Wilder's ADX above a threshold marks a trend, its side from +DI vs -DI.",
    params: { period: 14, threshold: 25 },
    tags: ['trend_up', 'trend_down'],
  },
  {
    id: 'regression_tstat',
    description: 'OLS slope t-statistic of log price over a window; |t| above a threshold is a trend.',
    params: { window: 30, threshold: 3 },
    tags: ['trend_up', 'trend_down', 'range'],
  },
  {
    id: 'donchian_breakout',
    description: 'A close beyond the previous N-bar high/low is a breakout; inside, the channel position.',
    params: { window: 20, edge: 0.2 },
    tags: ['breakout_up', 'breakout_down', 'range'],
  },
  {
    id: 'volatility_regime',
    description:
      'Short/long realised-vol ratio flags high_vol; otherwise the long move in sigmas decides trend vs range.',
    params: { shortBars: 12, longBars: 90, trendBars: 30, highRatio: 1.5 },
    tags: ['high_vol', 'range'],
  },
];

type TrendFn = (s: MarketSnapshot, c: MethodChoice, spec: MethodDefinition) => TrendResult;

const RULES: Record<string, TrendFn> = {
  ema_alignment: detectEmaAlignment,
  adx_di: detectAdxDi,
  regression_tstat: detectRegressionTstat,
  donchian_breakout: detectDonchianBreakout,
  volatility_regime: detectVolatilityRegime,
};

/**
 * A-C: one trend call from the snapshot with the chosen method. The features argument is the
 * analyst's A-B table; its `close` is echoed as evidence, but every rule recomputes what it
 * needs from the snapshot (memoised), so the call does not depend on which family was chosen.
 * @throws UnknownMethodError when `choice.id` is not in {@link TREND_METHODS}.
 */
export function detectTrend(
  snapshot: MarketSnapshot,
  features: Record<string, number | null>,
  choice: MethodChoice,
): { direction: Direction; strength: number; regime: Regime; evidence: Record<string, number | null> } {
  const spec = findMethod(TREND_METHODS, 'A-C', choice.id);
  const result = (RULES[spec.id] as TrendFn)(snapshot, choice, spec);
  const evidence: Record<string, number | null> = {};
  for (const [k, v] of Object.entries(result.evidence)) evidence[k] = v !== null && Number.isFinite(v) ? v : null;
  if (!('close' in evidence)) evidence.close = features.close ?? null;
  const strength = Number.isFinite(result.strength) ? result.strength : 0;
  return { direction: result.direction, strength, regime: result.regime, evidence };
}
