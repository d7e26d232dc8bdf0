import { NoClosedBarError, alignSnapshot, summarizeSnapshot } from '../../../domain/market/align';
import type { Candle, NewsItem } from '../../../domain/schemas/market';
import { MarketSnapshotSchema, SnapshotSummarySchema } from '../../../domain/schemas/market';

const H = 3600_000;
const BAR = 4 * H;
const DAY = 24 * H;
const t0 = Date.UTC(2024, 0, 1);
const bars = (n: number): Candle[] =>
  Array.from({ length: n }, (_, i) => ({
    t: t0 + i * BAR,
    open: 100 + i,
    high: 102 + i,
    low: 99 + i,
    close: 101 + i,
    volume: 5,
  }));
const news = (t: number, headline: string): NewsItem => ({ t, headline, source: 's', url: 'u', stream: 'micro' });
const base = { barMs: BAR, funding: [], openInterest: [], news: [], orderBook: null, lookback: 300 };

describe('alignSnapshot', () => {
  it('keeps only bars closed by the bar close, the last `lookback` of them', () => {
    const close = t0 + 10 * BAR;
    const s = alignSnapshot({ ...base, barCloseMs: close, candles: bars(20), lookback: 4 });
    expect(s.candles.map((c) => c.t)).toEqual([6, 7, 8, 9].map((i) => t0 + i * BAR));
    expect(s.issues).toEqual([]);
    expect(MarketSnapshotSchema.parse(s)).toEqual(s);
  });

  it('never includes the forming bar (t + barMs > close) even one ms before it closes', () => {
    const close = t0 + 10 * BAR - 1;
    const s = alignSnapshot({ ...base, barCloseMs: close, candles: bars(20) });
    expect(s.candles[s.candles.length - 1]?.t).toBe(t0 + 8 * BAR);
    expect(s.issues.map((i) => i.kind)).toEqual(['stale']);
  });

  it('filters funding, open interest and news to t <= close; news to the last 48h, newest 40', () => {
    const close = t0 + 30 * BAR;
    const items = [
      news(close - 49 * H, 'too old'),
      ...Array.from({ length: 45 }, (_, i) => news(close - 47 * H + i * H, `n${i}`)),
      news(close + 1, 'future'),
    ];
    const s = alignSnapshot({
      ...base,
      barCloseMs: close,
      candles: bars(40),
      funding: [
        { t: close - 8 * H, rate: 0.0001 },
        { t: close, rate: 0.0002 },
        { t: close + 8 * H, rate: 0.01 },
      ],
      openInterest: [
        { t: close, oi: 5 },
        { t: close + H, oi: 6 },
      ],
      news: items,
    });
    expect(s.funding.map((f) => f.rate)).toEqual([0.0001, 0.0002]);
    expect(s.openInterest.map((o) => o.oi)).toEqual([5]);
    expect(s.news).toHaveLength(40);
    expect(s.news.map((n) => n.headline)).not.toContain('future');
    expect(s.news.map((n) => n.headline)).not.toContain('too old');
    expect(s.news[39]?.headline).toBe('n44');
  });

  it('reports gaps, duplicates, out-of-order, NaN, non-positive and high<low bars as issues', () => {
    const c = bars(12);
    const dirty = [
      c[0],
      c[2],
      c[1],
      c[1],
      { ...c[3], close: Number.NaN },
      { ...c[4], open: 0 },
      { ...c[5], high: 1, low: 2 },
      c[6],
      c[9],
    ] as Candle[];
    const s = alignSnapshot({ ...base, barCloseMs: t0 + 10 * BAR, candles: dirty });
    expect(new Set(s.issues.map((i) => i.kind))).toEqual(
      new Set(['gap', 'duplicate', 'out_of_order', 'nan', 'non_positive', 'high_below_low']),
    );
    expect(s.candles.map((x) => (x.t - t0) / BAR)).toEqual([0, 1, 2, 6, 9]);
  });

  it('resamples complete UTC days only into candles1d', () => {
    // 20 bars from midnight = 3 full days + 2 bars of the 4th day.
    const s = alignSnapshot({ ...base, barCloseMs: t0 + 20 * BAR, candles: bars(20) });
    expect(s.candles1d.map((d) => d.t)).toEqual([t0, t0 + DAY, t0 + 2 * DAY]);
    expect(s.candles1d[0]).toEqual({ t: t0, open: 100, high: 107, low: 99, close: 106, volume: 30 });
  });

  it('throws NoClosedBarError when no bar has closed', () => {
    expect(() => alignSnapshot({ ...base, barCloseMs: t0 + BAR - 1, candles: bars(3) })).toThrow(NoClosedBarError);
  });
});

describe('summarizeSnapshot', () => {
  it('carries the last bar, counts, latest funding/OI and at most 8 newest headlines', () => {
    const close = t0 + 30 * BAR;
    const s = alignSnapshot({
      ...base,
      barCloseMs: close,
      candles: bars(40),
      funding: [{ t: close - 8 * H, rate: 0.0003 }],
      openInterest: [{ t: close - H, oi: 7 }],
      news: Array.from({ length: 10 }, (_, i) => news(close - (10 - i) * H, `h${i}`)),
    });
    const sum = summarizeSnapshot(s, 'blob:abc');
    expect(SnapshotSummarySchema.parse(sum)).toEqual(sum);
    expect(sum).toMatchObject({
      ref: 'blob:abc',
      barCloseMs: close,
      lastBarOpenMs: close - BAR,
      bars: 30,
      fundingRate: 0.0003,
      openInterest: 7,
      newsCount: 10,
    });
    expect(sum.headlines).toEqual(['h9', 'h8', 'h7', 'h6', 'h5', 'h4', 'h3', 'h2']);
  });
});
