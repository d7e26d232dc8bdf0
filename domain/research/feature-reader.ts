/** Reads the analyst feature table defensively: warm-up values are null and any key may be missing. */
export type FeatureValues = Readonly<Record<string, number | null>>;

/** The value if present and finite, else null. */
export function readFeature(values: FeatureValues, key: string): number | null {
  const v = values[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/** Typical per-bar log-return sd of BTC on 4h bars, used only when no vol feature is available. */
export const FALLBACK_VOL_PER_BAR = 0.01;

/**
 * Per-bar volatility: `vol_30` when present, else ATR14/close scaled by 1/1.25 (for Gaussian
 * returns the mean absolute deviation is sigma·sqrt(2/pi) ≈ 0.8 sigma, and ATR behaves like it).
 * A `vol_30` above 0.25 cannot be a 4h sd of BTC, so it is read as annualised (divided by sqrt(6·365)).
 */
export function readVolPerBar(values: FeatureValues): number {
  const vol = readFeature(values, 'vol_30');
  if (vol !== null && vol > 0) return vol > 0.25 ? vol / Math.sqrt(6 * 365) : vol;
  const atr = readFeature(values, 'atr_14');
  const close = readFeature(values, 'close');
  if (atr !== null && close !== null && atr > 0 && close > 0) return atr / close / 1.25;
  return FALLBACK_VOL_PER_BAR;
}

/** ATR14 in price units, else close · sigma · 1.25 (see {@link readVolPerBar}), else null. */
export function readAtr(values: FeatureValues): number | null {
  const atr = readFeature(values, 'atr_14');
  if (atr !== null && atr > 0) return atr;
  const close = readFeature(values, 'close');
  return close !== null && close > 0 ? close * readVolPerBar(values) * 1.25 : null;
}
