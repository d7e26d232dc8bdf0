import { computeEma, computeEmaSeries, computeRsi, computeRsiSeries } from '../../../domain/analyst/ema-rsi';
import { createRng, sampleNormal } from '../../../domain/random/prng';

describe('whole-series EMA and RSI', () => {
  const rng = createRng(11);
  const closes: number[] = [];
  let price = 20_000;
  for (let i = 0; i < 300; i++) closes.push((price *= 1 + 0.01 * sampleNormal(rng)));

  it('equal the analyst last-value EMA at every index, NaN during warm-up', () => {
    const series = computeEmaSeries(closes, 21);
    for (let i = 0; i < closes.length; i++) {
      const expected = computeEma(closes, 21, i + 1);
      if (expected === null) expect(series[i]).toBeNaN();
      else expect(series[i]).toBe(expected);
    }
  });

  it('equal the analyst Wilder RSI at every index, NaN during warm-up', () => {
    const series = computeRsiSeries(closes, 14);
    for (let i = 0; i < closes.length; i++) {
      const expected = computeRsi(closes, 14, i + 1);
      if (expected === null) expect(series[i]).toBeNaN();
      else expect(series[i]).toBe(expected);
    }
  });
});
