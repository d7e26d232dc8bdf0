import { mean, stdev } from '../research/math';

/** Mean, sample sd (n − 1) and count of one figure across runs. */
export interface SampleSummary {
  n: number;
  mean: number;
  sd: number;
}

/**
 * A mean with its two-sided confidence interval from the t distribution (df = n − 1):
 * mean ± t(1 − (1 − level)/2, n − 1) · sd / √n. `low`/`high` are null below two values (no sd to
 * speak of); `t` is mean / (sd / √n), 0 when sd is 0.
 */
export interface MeanInterval extends SampleSummary {
  level: number;
  low: number | null;
  high: number | null;
  t: number;
}

export function summarizeSample(xs: readonly number[]): SampleSummary {
  return { n: xs.length, mean: mean(xs), sd: stdev(xs) };
}

/** ln Γ(x) for x > 0, Lanczos approximation (g = 7, n = 9; Numerical Recipes 3rd ed. §6.1), |rel. error| < 1e-14. */
function logGamma(x: number): number {
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let a = c[0]!;
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += c[i]! / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Continued fraction of the incomplete beta function, modified Lentz (Numerical Recipes 3rd ed. §6.4, betacf). */
function betaContinuedFraction(a: number, b: number, x: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 300; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const step = d * c;
    h *= step;
    if (Math.abs(step - 1) < 1e-15) break;
  }
  return h;
}

/** Regularised incomplete beta I_x(a, b) (Numerical Recipes 3rd ed. §6.4). */
export function regularizedIncompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  // The continued fraction converges fast for x < (a + 1)/(a + b + 2); use the symmetry otherwise.
  return x < (a + 1) / (a + b + 2)
    ? (front * betaContinuedFraction(a, b, x)) / a
    : 1 - (front * betaContinuedFraction(b, a, 1 - x)) / b;
}

/** P(T ≤ t) for Student's t with `df` degrees of freedom: 1 − ½·I_{df/(df+t²)}(df/2, ½) for t ≥ 0 (Abramowitz & Stegun 26.7.1). */
export function studentTCdf(t: number, df: number): number {
  if (!(df > 0)) throw new RangeError(`degrees of freedom must be positive, got ${df}`);
  const tail = 0.5 * regularizedIncompleteBeta(df / (df + t * t), df / 2, 0.5);
  return t >= 0 ? 1 - tail : tail;
}

/** The p-quantile of Student's t with `df` degrees of freedom (bisection on the CDF to 1e-12). */
export function studentTQuantile(p: number, df: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`quantile probability must lie in (0, 1), got ${p}`);
  if (!(df > 0)) throw new RangeError(`degrees of freedom must be positive, got ${df}`);
  if (p === 0.5) return 0;
  if (p < 0.5) return -studentTQuantile(1 - p, df);
  let lo = 0;
  let hi = 1;
  while (studentTCdf(hi, df) < p) hi *= 2;
  for (let i = 0; i < 200 && hi - lo > 1e-12 * Math.max(1, hi); i++) {
    const mid = (lo + hi) / 2;
    if (studentTCdf(mid, df) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** Mean of `xs` with its t-based confidence interval (df = n − 1). @param level @default 0.95 */
export function computeMeanInterval(xs: readonly number[], level = 0.95): MeanInterval {
  if (!(level > 0 && level < 1)) throw new RangeError(`confidence level must lie in (0, 1), got ${level}`);
  const s = summarizeSample(xs);
  if (s.n < 2) return { ...s, level, low: null, high: null, t: 0 };
  const se = s.sd / Math.sqrt(s.n);
  const half = studentTQuantile(1 - (1 - level) / 2, s.n - 1) * se;
  return { ...s, level, low: s.mean - half, high: s.mean + half, t: se > 0 ? s.mean / se : 0 };
}

/**
 * Paired differences treatment − control, matched by key (e.g. window and seed), with the mean's t interval.
 * Thrown (RangeError) when a key is missing on either side: an unmatched run would bias the mean silently.
 */
export function computePairedDifference(
  treatment: ReadonlyMap<string, number>,
  control: ReadonlyMap<string, number>,
  level = 0.95,
): MeanInterval {
  const missing = [...treatment.keys()]
    .filter((k) => !control.has(k))
    .concat([...control.keys()].filter((k) => !treatment.has(k)));
  if (missing.length > 0) throw new RangeError(`paired difference: no partner for ${missing.join(', ')}`);
  const diffs = [...treatment.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => v - control.get(k)!);
  return computeMeanInterval(diffs, level);
}
