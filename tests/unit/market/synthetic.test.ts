import { BAR_MS } from '../../../domain/schemas/config';
import { generateSyntheticSeries } from '../../../domain/market/synthetic';

const start = Date.UTC(2020, 0, 1);

describe('generateSyntheticSeries', () => {
  it('gives an identical series for the same seed and a different one for another seed', () => {
    const a = generateSyntheticSeries({ seed: 11, startMs: start, bars: 600 });
    const b = generateSyntheticSeries({ seed: 11, startMs: start, bars: 600 });
    const c = generateSyntheticSeries({ seed: 12, startMs: start, bars: 600 });
    expect(b).toEqual(a);
    expect(c.candles.map((x) => x.close)).not.toEqual(a.candles.map((x) => x.close));
  });

  it('produces valid, contiguous 4h OHLCV starting near 30,000 USD', () => {
    const { candles } = generateSyntheticSeries({ seed: 3, startMs: start, bars: 3000 });
    expect(candles).toHaveLength(3000);
    expect(candles[0]?.open).toBe(30000);
    candles.forEach((c, i) => {
      expect(c.t).toBe(start + i * BAR_MS);
      expect(c.high).toBeGreaterThanOrEqual(Math.max(c.open, c.close));
      expect(c.low).toBeLessThanOrEqual(Math.min(c.open, c.close));
      expect(c.low).toBeGreaterThan(0);
      expect(c.volume).toBeGreaterThan(0);
    });
  });

  it('has BTC-like 4h volatility with clustering (|returns| autocorrelated)', () => {
    const { candles } = generateSyntheticSeries({ seed: 5, startMs: start, bars: 6000 });
    const r = candles.slice(1).map((c, i) => Math.log(c.close / (candles[i]?.close as number)));
    const sd = Math.sqrt(r.reduce((a, x) => a + x * x, 0) / r.length);
    expect(sd).toBeGreaterThan(0.006);
    expect(sd).toBeLessThan(0.02);
    const abs = r.map(Math.abs);
    const m = abs.reduce((a, x) => a + x, 0) / abs.length;
    let num = 0;
    let den = 0;
    for (let i = 1; i < abs.length; i++) num += ((abs[i] as number) - m) * ((abs[i - 1] as number) - m);
    for (const x of abs) den += (x - m) ** 2;
    expect(num / den).toBeGreaterThan(0.1);
  });

  it('settles funding every 8h on the UTC grid, clipped to ±0.3%, following the trend', () => {
    const { funding, candles } = generateSyntheticSeries({ seed: 9, startMs: start, bars: 3000 });
    expect(funding.length).toBe(1500);
    funding.forEach((f, i) => {
      expect(f.t % (8 * 3600_000)).toBe(0);
      if (i > 0) expect(f.t - (funding[i - 1]?.t as number)).toBe(8 * 3600_000);
      expect(Math.abs(f.rate)).toBeLessThanOrEqual(0.003);
    });
    // Premium follows trend: funding after a rising week exceeds funding after a falling week on average.
    const closeAt = new Map(candles.map((c) => [c.t + BAR_MS, c.close]));
    const up: number[] = [];
    const down: number[] = [];
    for (const f of funding) {
      const now = closeAt.get(f.t);
      const before = closeAt.get(f.t - 7 * 24 * 3600_000);
      if (now === undefined || before === undefined) continue;
      (now > before ? up : down).push(f.rate);
    }
    const mean = (xs: number[]): number => xs.reduce((a, x) => a + x, 0) / xs.length;
    expect(mean(up)).toBeGreaterThan(mean(down));
  });
});
