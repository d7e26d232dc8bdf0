import { type TrendCall } from '../schemas/analysis';
import { type ResearchReport } from '../schemas/research';
import { type FeatureValues, readFeature } from './feature-reader';
import { standardiseFeatures } from './forecast-scores';

export type Signal = ResearchReport['Signals'][number];
type Vote = Signal['vote'];

function voteBySign(x: number | null, threshold: number): Vote {
  if (x === null || Math.abs(x) <= threshold) return 'neutral';
  return x > 0 ? 'long' : 'short';
}

/** Funding (per 8h) this far above the 0.01% baseline marks crowded longs; any negative funding, crowded shorts. */
const CROWDED_LONG_FUNDING = 0.0003;
const CROWDED_SHORT_FUNDING = -0.0001;

/**
 * R-D Signals: one vote per feature, read the way a discretionary desk would (trend features with
 * the trend, RSI extremes and crowded funding against the crowd), plus every analyst's trend call.
 * Required features appear even when missing (value null, neutral) so a gap is visible; optional ones only when present.
 */
export function buildSignals(values: FeatureValues, trends: readonly TrendCall[]): Signal[] {
  const f = standardiseFeatures(values);
  const rsi = readFeature(values, 'rsi_14');
  const funding = readFeature(values, 'funding_rate');
  const signals: Signal[] = [
    { name: 'ret_6', value: readFeature(values, 'ret_6'), vote: voteBySign(f.z6, 0.5) },
    { name: 'ret_30', value: readFeature(values, 'ret_30'), vote: voteBySign(f.z30, 0.5) },
    { name: 'ema21_vs_ema50', value: f.emaGap, vote: voteBySign(f.emaGap, 0.1) },
    {
      name: 'rsi_14',
      value: rsi,
      vote: rsi === null ? 'neutral' : rsi >= 70 ? 'short' : rsi <= 30 ? 'long' : 'neutral',
    },
    {
      name: 'funding_rate',
      value: funding,
      vote:
        funding === null
          ? 'neutral'
          : funding >= CROWDED_LONG_FUNDING
            ? 'short'
            : funding <= CROWDED_SHORT_FUNDING
              ? 'long'
              : 'neutral',
    },
  ];
  const close = readFeature(values, 'close');
  const ema200 = readFeature(values, 'ema_200');
  if (close !== null && ema200 !== null && ema200 > 0)
    signals.push({ name: 'close_vs_ema200', value: close / ema200 - 1, vote: voteBySign(close / ema200 - 1, 0.005) });
  const macd = readFeature(values, 'macd_hist');
  if (macd !== null) signals.push({ name: 'macd_hist', value: macd, vote: voteBySign(macd, 0) });
  for (const t of trends) {
    const vote: Vote = t.direction === 'up' ? 'long' : t.direction === 'down' ? 'short' : 'neutral';
    signals.push({ name: `trend:${t.agentId}:${t.method}`, value: t.strength, vote });
  }
  return signals;
}
