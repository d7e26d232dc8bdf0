import { clamp, logit, sigmoid } from './math';

/** A matured forecast as the calibrators see it. */
export interface CalibrationPoint {
  pRaw: number;
  outcome: 0 | 1;
}

/**
 * Platt scaling (Platt 1999): P(y = 1) = sigmoid(a + b·logit(pRaw)), fitted by Newton–Raphson (IRLS)
 * on the log loss plus a ridge (ridge/2)·(a² + (b − 1)²). The ridge pulls toward the identity map
 * (a = 0, b = 1), so a short history barely moves the probability and a long one overrides the prior.
 */
export function fitPlatt(points: readonly CalibrationPoint[], ridge = 2, maxIter = 50): { a: number; b: number } {
  let a = 0;
  let b = 1;
  for (let iter = 0; iter < maxIter; iter++) {
    let ga = ridge * a;
    let gb = ridge * (b - 1);
    let haa = ridge;
    let hab = 0;
    let hbb = ridge;
    for (const pt of points) {
      const x = logit(pt.pRaw);
      const p = sigmoid(a + b * x);
      const w = p * (1 - p);
      ga += p - pt.outcome;
      gb += (p - pt.outcome) * x;
      haa += w;
      hab += w * x;
      hbb += w * x * x;
    }
    const det = haa * hbb - hab * hab;
    if (!(det > 1e-12)) break;
    const da = (hbb * ga - hab * gb) / det;
    const db = (haa * gb - hab * ga) / det;
    a -= da;
    b -= db;
    if (Math.abs(da) + Math.abs(db) < 1e-10) break;
  }
  return { a, b };
}

export function applyPlatt(fit: { a: number; b: number }, pRaw: number): number {
  return sigmoid(fit.a + fit.b * logit(pRaw));
}

/** A pooled block of the isotonic fit: mean raw probability, mean outcome, weight. */
export interface IsotonicBlock {
  x: number;
  y: number;
  w: number;
}

/**
 * Isotonic regression by pool-adjacent-violators (Ayer et al. 1955; Zadrozny & Elkan 2002 for
 * calibration): sort by pRaw, merge neighbouring blocks while their outcome means decrease.
 */
export function fitIsotonic(points: readonly CalibrationPoint[]): IsotonicBlock[] {
  const sorted = points.map((p, i) => ({ ...p, i })).sort((u, v) => u.pRaw - v.pRaw || u.i - v.i);
  const blocks: IsotonicBlock[] = [];
  for (const pt of sorted) {
    blocks.push({ x: pt.pRaw, y: pt.outcome, w: 1 });
    while (blocks.length >= 2) {
      const last = blocks[blocks.length - 1] as IsotonicBlock;
      const prev = blocks[blocks.length - 2] as IsotonicBlock;
      if (prev.y <= last.y && prev.x < last.x) break;
      // Violator (or a tie in x, which must map to one value): pool the two blocks.
      const w = prev.w + last.w;
      blocks.splice(-2, 2, {
        x: (prev.x * prev.w + last.x * last.w) / w,
        y: (prev.y * prev.w + last.y * last.w) / w,
        w,
      });
    }
  }
  return blocks;
}

/** Step function between block centres, interpolated linearly (still monotone), flat beyond the ends. */
export function applyIsotonic(blocks: readonly IsotonicBlock[], pRaw: number): number {
  const first = blocks[0];
  const last = blocks[blocks.length - 1];
  if (first === undefined || last === undefined) return pRaw;
  if (pRaw <= first.x) return first.y;
  if (pRaw >= last.x) return last.y;
  for (let i = 1; i < blocks.length; i++) {
    const hi = blocks[i] as IsotonicBlock;
    const lo = blocks[i - 1] as IsotonicBlock;
    if (pRaw <= hi.x) return lo.y + ((hi.y - lo.y) * (pRaw - lo.x)) / (hi.x - lo.x);
  }
  return last.y;
}

/**
 * Shrinkage toward 0.5: pCal = 0.5 + (pRaw − 0.5)·w, with w = n/(n+k)·skill + k/(n+k)·priorTrust.
 * `skill` is the least-squares slope of (outcome − 0.5) on (pRaw − 0.5) through the origin, in [0, 1]:
 * 1 when the raw forecasts were right as stated, 0 when they carried no information.
 */
export function computeShrinkWeight(points: readonly CalibrationPoint[], k: number, priorTrust: number): number {
  const n = points.length;
  let sxy = 0;
  let sxx = 0;
  for (const pt of points) {
    const x = pt.pRaw - 0.5;
    sxy += x * (pt.outcome - 0.5);
    sxx += x * x;
  }
  const skill = sxx > 1e-12 ? clamp(sxy / sxx, 0, 1) : priorTrust;
  const wData = n / (n + Math.max(k, 1e-9));
  return wData * skill + (1 - wData) * clamp(priorTrust, 0, 1);
}
