import { BAR_MS } from '../../../domain/schemas/config';
import { FEATURE_METHODS, computeFeatures } from '../../../domain/analyst/feature-methods';
import { TREND_METHODS, detectTrend } from '../../../domain/analyst/trend-methods';
import { alignSnapshot } from '../../../domain/market/align';
import { TrendCallSchema } from '../../../domain/schemas/analysis';
import type { Candle, MarketSnapshot } from '../../../domain/schemas/market';

const BAR = BAR_MS;
const t0 = Date.UTC(2022, 0, 1);

/** Candles from a list of closes with a fixed ±0.3% intrabar range. */
function fromCloses(closes: number[]): Candle[] {
  return closes.map((c, i) => {
    const o = i === 0 ? c : (closes[i - 1] as number);
    return {
      t: t0 + i * BAR,
      open: o,
      high: Math.max(o, c) * 1.003,
      low: Math.min(o, c) * 0.997,
      close: c,
      volume: 100,
    };
  });
}

function snap(closes: number[]): MarketSnapshot {
  return alignSnapshot({
    barCloseMs: t0 + closes.length * BAR,
    barMs: BAR,
    candles: fromCloses(closes),
    funding: [],
    openInterest: [],
    news: [],
    orderBook: null,
    lookback: 300,
  });
}

// A deterministic wiggle so ranges are not degenerate.
const wiggle = (i: number): number => 1 + 0.004 * Math.sin(i * 1.7) + 0.003 * Math.cos(i * 0.9);
const upTrend = Array.from({ length: 300 }, (_, i) => 20000 * 1.004 ** i * wiggle(i));
const downTrend = Array.from({ length: 300 }, (_, i) => 40000 * 0.996 ** i * wiggle(i));
const flat = Array.from({ length: 300 }, (_, i) => 30000 * wiggle(i));

function call(s: MarketSnapshot, id: string): ReturnType<typeof detectTrend> {
  return detectTrend(s, computeFeatures(s, { id: 'trend', params: {} }), { id, params: {} });
}

describe('detectTrend', () => {
  it.each(['ema_alignment', 'adx_di', 'regression_tstat'])('%s calls a steady rise up and a steady fall down', (id) => {
    expect(call(snap(upTrend), id)).toMatchObject({ direction: 'up', regime: 'trend_up' });
    expect(call(snap(downTrend), id)).toMatchObject({ direction: 'down', regime: 'trend_down' });
  });

  it.each(['regression_tstat', 'volatility_regime', 'adx_di'])('%s calls a trendless wiggle flat / range', (id) => {
    expect(call(snap(flat), id)).toMatchObject({ direction: 'flat', regime: 'range' });
  });

  it('ema_alignment gives a trendless wiggle little strength (EMAs within a fraction of an ATR)', () => {
    expect(call(snap(flat), 'ema_alignment').strength).toBeLessThan(0.15);
    expect(call(snap(upTrend), 'ema_alignment').strength).toBeGreaterThan(0.5);
  });

  it('donchian_breakout flags a close above the previous 20-bar high as breakout_up, below the low as breakout_down', () => {
    expect(call(snap([...flat, 33000]), 'donchian_breakout')).toMatchObject({ direction: 'up', regime: 'breakout_up' });
    expect(call(snap([...flat, 27000]), 'donchian_breakout')).toMatchObject({
      direction: 'down',
      regime: 'breakout_down',
    });
  });

  it('volatility_regime flags high_vol when recent swings dwarf the long-run volatility', () => {
    const wild = [...flat, ...Array.from({ length: 12 }, (_, i) => 30000 * (i % 2 === 0 ? 1.06 : 0.95))];
    expect(call(snap(wild), 'volatility_regime').regime).toBe('high_vol');
  });

  it('every method returns a valid TrendCall (strength in [0,1], finite evidence) even in warm-up', () => {
    for (const closes of [upTrend, flat.slice(0, 5)]) {
      const s = snap(closes);
      for (const tm of TREND_METHODS) {
        for (const fm of FEATURE_METHODS) {
          const r = detectTrend(s, computeFeatures(s, { id: fm.id, params: {} }), { id: tm.id, params: {} });
          expect(TrendCallSchema.parse({ agentId: 'a', barCloseMs: s.barCloseMs, method: tm.id, ...r })).toMatchObject(
            r,
          );
        }
      }
    }
    expect(call(snap(flat.slice(0, 5)), 'adx_di')).toMatchObject({ direction: 'flat', strength: 0 });
  });

  it('throws for an unknown method id', () => {
    expect(() => call(snap(flat), 'tea_leaves')).toThrow(/unknown method 'tea_leaves'/);
  });
});
