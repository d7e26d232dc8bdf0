/** Index of the first element with key(x) > bound in a sorted array (upper bound). */
function upperBound<T>(xs: readonly T[], bound: number, key: (x: T) => number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (key(xs[mid] as T) <= bound) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Sorted candles whose close (t + barMs) is <= untilMs: the last `limit` of them. */
export function sliceClosed<T extends { t: number }>(
  xs: readonly T[],
  barMs: number,
  untilMs: number,
  limit: number,
): T[] {
  const end = upperBound(xs, untilMs - barMs, (x) => x.t);
  return xs.slice(Math.max(0, end - Math.max(0, Math.floor(limit))), end);
}

/** Sorted points with t in (sinceMs, untilMs]. */
export function sliceRange<T extends { t: number }>(xs: readonly T[], sinceMs: number, untilMs: number): T[] {
  return xs.slice(
    upperBound(xs, sinceMs, (x) => x.t),
    upperBound(xs, untilMs, (x) => x.t),
  );
}
