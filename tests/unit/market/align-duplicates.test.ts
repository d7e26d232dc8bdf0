import { BAR_MS } from '../../../domain/schemas/config';
import { alignSnapshot } from '../../../domain/market/align';
import type { Candle } from '../../../domain/schemas/market';

const BAR = BAR_MS;
const t0 = Date.UTC(2024, 0, 1);
const bars: Candle[] = Array.from({ length: 10 }, (_, i) => ({
  t: t0 + i * BAR,
  open: 100,
  high: 101,
  low: 99,
  close: 100,
  volume: 5,
}));

describe('alignSnapshot: duplicate funding timestamps', () => {
  it('keeps the last rate published for a timestamp (a republished rate corrects the first) and reports the duplicate', () => {
    const s = alignSnapshot({
      barMs: BAR,
      barCloseMs: t0 + 10 * BAR,
      candles: bars,
      openInterest: [],
      news: [],
      orderBook: null,
      lookback: 300,
      funding: [
        { t: t0 + 2 * BAR, rate: 0.0001 },
        { t: t0 + 4 * BAR, rate: 0.0002 },
        { t: t0 + 4 * BAR, rate: 0.0005 },
      ],
    });
    expect(s.funding).toEqual([
      { t: t0 + 2 * BAR, rate: 0.0001 },
      { t: t0 + 4 * BAR, rate: 0.0005 },
    ]);
    expect(s.issues.map((i) => i.kind)).toContain('duplicate');
  });
});
