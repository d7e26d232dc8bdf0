import { BAR_MS } from '../../../domain/schemas/config';
import { FEATURE_METHODS, computeFeatures } from '../../../domain/analyst/feature-methods';
import { UnknownMethodError } from '../../../domain/methods/method-definition';
import { alignSnapshot } from '../../../domain/market/align';
import { generateSyntheticSeries } from '../../../domain/market/synthetic';
import { FeatureTableSchema } from '../../../domain/schemas/analysis';
import type { MarketSnapshot } from '../../../domain/schemas/market';

const BAR = BAR_MS;
const start = Date.UTC(2021, 0, 1);
const series = generateSyntheticSeries({ seed: 21, startMs: start, bars: 400 });
const CORE = ['close', 'ret_1', 'ret_6', 'ret_30', 'rsi_14', 'ema_21', 'ema_50', 'atr_14', 'vol_30', 'funding_rate'];

function snapshotAt(bars: number, extra: Partial<Parameters<typeof alignSnapshot>[0]> = {}): MarketSnapshot {
  const t = start + bars * BAR;
  return alignSnapshot({
    barCloseMs: t,
    barMs: BAR,
    candles: series.candles,
    funding: series.funding,
    openInterest: series.openInterest,
    news: [],
    orderBook: null,
    lookback: 300,
    ...extra,
  });
}

describe('computeFeatures', () => {
  const snap = snapshotAt(400);

  it.each(FEATURE_METHODS.map((m) => m.id))(
    '%s returns the core set plus its family, all finite once warmed up',
    (id) => {
      const values = computeFeatures(snap, { id, params: {} });
      for (const k of CORE) expect(values).toHaveProperty(k);
      expect(Object.keys(values).length).toBeGreaterThan(CORE.length);
      const nonNull = Object.entries(values).filter(([, v]) => v !== null);
      nonNull.forEach(([k, v]) => expect([k, Number.isFinite(v)]).toEqual([k, true]));
      expect(
        FeatureTableSchema.parse({ agentId: 'a1', barCloseMs: snap.barCloseMs, method: id, values }).values,
      ).toEqual(values);
      // With 300 bars of synthetic history (OI and funding present) nothing is in warm-up.
      expect(nonNull.map(([k]) => k).sort()).toEqual(Object.keys(values).sort());
    },
  );

  it('returns null (never NaN) for values still in warm-up on a short history', () => {
    const short = snapshotAt(20);
    for (const m of FEATURE_METHODS) {
      const v = computeFeatures(short, { id: m.id, params: {} });
      expect(v.close).toBe(short.candles[short.candles.length - 1]?.close);
      expect(v.ret_30).toBeNull();
      expect(v.ema_50).toBeNull();
      Object.values(v).forEach((x) => expect(x === null || Number.isFinite(x)).toBe(true));
    }
  });

  it('derivatives gives funding level, 24h mean and z-score, and null OI change when there is no OI', () => {
    const v = computeFeatures(snapshotAt(400, { openInterest: [] }), { id: 'derivatives', params: {} });
    const last3 = series.funding.filter((f) => f.t <= start + 400 * BAR).slice(-3);
    expect(v.funding_rate).toBe(last3[2]?.rate);
    expect(v.funding_avg_24h).toBeCloseTo(last3.reduce((a, f) => a + f.rate, 0) / 3, 12);
    expect(v.funding_z).not.toBeNull();
    expect(v.oi_change).toBeNull();
    expect(v.open_interest).toBeNull();
  });

  it('honours parameter overrides and rounds blended periods', () => {
    const a = computeFeatures(snap, { id: 'momentum', params: { rsiPeriod: 7 } });
    const b = computeFeatures(snap, { id: 'momentum', params: { rsiPeriod: 7.4 } });
    const c = computeFeatures(snap, { id: 'momentum', params: {} });
    expect(a.rsi).toBe(b.rsi);
    expect(a.rsi).not.toBe(c.rsi);
    expect(c.rsi).toBe(c.rsi_14);
  });

  it('depends only on the snapshot: an equal snapshot object gives identical values', () => {
    const copy = JSON.parse(JSON.stringify(snap)) as MarketSnapshot;
    for (const m of FEATURE_METHODS)
      expect(computeFeatures(copy, { id: m.id, params: {} })).toEqual(computeFeatures(snap, { id: m.id, params: {} }));
  });

  it('throws UnknownMethodError for a method outside the catalogue', () => {
    expect(() => computeFeatures(snap, { id: 'astrology', params: {} })).toThrow(UnknownMethodError);
  });
});
