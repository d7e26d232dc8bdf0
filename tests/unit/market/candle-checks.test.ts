import { checkCandles, resampleCandles } from '../../../domain/market/candle-checks';
import type { Candle } from '../../../domain/schemas/market';

const H = 60 * 60 * 1000;
const bar = (t: number, close = 100): Candle => ({ t, open: close, high: close + 1, low: close - 1, close, volume: 1 });

describe('checkCandles', () => {
  it('reports a gap with the number of missing bars and keeps both sides', () => {
    const r = checkCandles([bar(0), bar(4 * H), bar(16 * H)], 4 * H);
    expect(r.clean.map((c) => c.t)).toEqual([0, 4 * H, 16 * H]);
    expect(r.issues).toEqual([
      expect.objectContaining({ kind: 'gap', at: 8 * H, detail: expect.stringContaining('2 missing') }),
    ]);
  });

  it('drops NaN, non-positive and high<low bars and names each problem', () => {
    const nan = { ...bar(4 * H), close: Number.NaN };
    const neg = { ...bar(8 * H), low: -1 };
    const inverted = { ...bar(12 * H), high: 90, low: 110 };
    const r = checkCandles([bar(0), nan, neg, inverted, bar(16 * H)], 4 * H);
    expect(r.clean.map((c) => c.t)).toEqual([0, 16 * H]);
    expect(r.issues.map((i) => i.kind)).toEqual(['nan', 'non_positive', 'high_below_low', 'gap']);
  });

  it('sorts out-of-order bars and keeps the first of duplicates', () => {
    const r = checkCandles([bar(0), bar(8 * H), bar(4 * H), bar(8 * H, 999)], 4 * H);
    expect(r.clean.map((c) => [c.t, c.close])).toEqual([
      [0, 100],
      [4 * H, 100],
      [8 * H, 100],
    ]);
    expect(r.issues.map((i) => i.kind).sort()).toEqual(['duplicate', 'out_of_order']);
  });
});

describe('resampleCandles', () => {
  it('builds 4h bars from complete groups of four 1h bars only (open first, close last, max/min, summed volume)', () => {
    const hours = [0, 1, 2, 3, 4, 5, 6].map((i) => ({
      t: i * H,
      open: 10 + i,
      high: 20 + i,
      low: 5 - i * 0.1,
      close: 11 + i,
      volume: 1 + i,
    }));
    const out = resampleCandles(hours, H, 4 * H);
    expect(out).toEqual([{ t: 0, open: 10, high: 23, low: 4.7, close: 14, volume: 10 }]);
  });

  it('drops a group with a missing sub-bar', () => {
    const hours = [0, 1, 3, 4, 5, 6, 7].map((i) => bar(i * H));
    expect(resampleCandles(hours, H, 4 * H).map((c) => c.t)).toEqual([4 * H]);
  });
});
