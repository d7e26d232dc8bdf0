import {
  computeMeanInterval,
  computePairedDifference,
  studentTCdf,
  studentTQuantile,
  summarizeSample,
} from '../../../domain/metrics/paired-stats';

describe('Student t distribution', () => {
  it.each([
    // Published two-sided 95% critical values (R: qt(0.975, df)).
    [0.975, 1, 12.706204736174707],
    [0.975, 2, 4.302652729749464],
    [0.975, 4, 2.7764451051977987],
    [0.975, 7, 2.3646242515927849],
    [0.975, 30, 2.0422724563012373],
    [0.975, 1000, 1.9623390808264078],
    [0.95, 5, 2.0150483733330242],
    [0.025, 7, -2.3646242515927849],
  ])('quantile %p with df %p is %p', (p, df, expected) => {
    expect(studentTQuantile(p, df)).toBeCloseTo(expected, 9);
  });

  it('cdf matches closed forms: the median is 0 and df = 1 is the Cauchy distribution', () => {
    expect(studentTCdf(0, 7)).toBeCloseTo(0.5, 12);
    expect(studentTCdf(1, 1)).toBeCloseTo(0.75, 12);
    expect(studentTCdf(-1, 1)).toBeCloseTo(0.25, 12);
    // df = 2 has P(T ≤ t) = ½ + t / (2·√(t² + 2)).
    expect(studentTCdf(3, 2)).toBeCloseTo(0.5 + 3 / (2 * Math.sqrt(11)), 12);
  });

  it('refuses probabilities and degrees of freedom it cannot use', () => {
    expect(() => studentTQuantile(1, 5)).toThrow(/\(0, 1\)/);
    expect(() => studentTQuantile(0.975, 0)).toThrow(/degrees of freedom/);
  });
});

describe('mean with a t confidence interval', () => {
  it('gives mean ± t(0.975, n−1)·sd/√n', () => {
    const r = computeMeanInterval([1, 2, 3, 4, 5]);
    expect(r.n).toBe(5);
    expect(r.mean).toBeCloseTo(3, 12);
    expect(r.sd).toBeCloseTo(Math.sqrt(2.5), 12);
    const half = (2.7764451051977987 * Math.sqrt(2.5)) / Math.sqrt(5);
    expect(r.low).toBeCloseTo(3 - half, 9);
    expect(r.high).toBeCloseTo(3 + half, 9);
    expect(r.t).toBeCloseTo(3 / Math.sqrt(0.5), 9);
  });

  it('has no interval below two values', () => {
    expect(computeMeanInterval([4])).toMatchObject({ n: 1, mean: 4, sd: 0, low: null, high: null });
    expect(computeMeanInterval([])).toMatchObject({ n: 0, low: null, high: null });
  });

  it('a 90% interval is narrower than a 95% one', () => {
    const xs = [0.3, -0.1, 0.8, 0.2, 0.5];
    const a = computeMeanInterval(xs, 0.9);
    const b = computeMeanInterval(xs, 0.95);
    expect(a.high! - a.low!).toBeLessThan(b.high! - b.low!);
  });

  it('summarizes n, mean and the n − 1 sd', () => {
    expect(summarizeSample([2, 4, 4, 4, 5, 5, 7, 9])).toEqual({ n: 8, mean: 5, sd: Math.sqrt(32 / 7) });
  });
});

describe('paired differences', () => {
  it('pairs by key, not by order', () => {
    const treatment = new Map([
      ['2020/s1', 5],
      ['2020/s2', 7],
      ['2021/s1', 9],
    ]);
    const control = new Map([
      ['2021/s1', 6],
      ['2020/s1', 4],
      ['2020/s2', 5],
    ]);
    const r = computePairedDifference(treatment, control);
    // Differences 1, 2, 3: mean 2, sd 1, df 2.
    expect(r.mean).toBeCloseTo(2, 12);
    expect(r.sd).toBeCloseTo(1, 12);
    expect(r.low).toBeCloseTo(2 - 4.302652729749464 / Math.sqrt(3), 9);
    expect(r.high).toBeCloseTo(2 + 4.302652729749464 / Math.sqrt(3), 9);
  });

  it('refuses a run without its partner', () => {
    expect(() =>
      computePairedDifference(
        new Map([
          ['a', 1],
          ['b', 2],
        ]),
        new Map([['a', 1]]),
      ),
    ).toThrow(/no partner for b/);
  });
});
