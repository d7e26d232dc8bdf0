/** Mean and percentiles of one metric across random runs. */
export interface Distribution {
  mean: number;
  p05: number;
  p50: number;
  p95: number;
}

/** Percentile of sorted values by linear interpolation between order statistics (Hyndman & Fan 1996 type 7, numpy's default). */
export function computePercentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const a = sorted[lo] as number;
  const b = sorted[Math.min(lo + 1, sorted.length - 1)] as number;
  return a + (h - lo) * (b - a);
}

/** Mean, 5th, 50th and 95th percentile; all 0 for no values. */
export function summariseDistribution(xs: readonly number[]): Distribution {
  const sorted = [...xs].sort((a, b) => a - b);
  const mean = xs.length === 0 ? 0 : xs.reduce((s, x) => s + x, 0) / xs.length;
  return {
    mean,
    p05: computePercentile(sorted, 0.05),
    p50: computePercentile(sorted, 0.5),
    p95: computePercentile(sorted, 0.95),
  };
}
