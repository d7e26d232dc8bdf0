/**
 * Confidence bounds on the Evaluator's statistics (docs/sizing.md): the one place where "demonstrated
 * skill" is defined. Leadership (rank.ts), teaching (knowledge-transfer.ts) and T-B's sizing
 * (skill.ts) all read these bounds, so a lucky streak of five outcomes neither crowns a leader nor
 * sizes up a position.
 */
import { FORECAST_METHODS } from '../research/forecast-inventory';

/** One-sided 95% normal quantile: the default z of every bound. */
export const Z_ONE_SIDED_95 = 1.645;

/**
 * Outcomes below which no bound is claimed (lower −∞, upper +∞). The normal approximations behind these
 * bounds need a few dozen observations, and without a floor 5 hits out of 5 would carry a Wilson lower
 * bound of 0.65, enough to lead a steady 0.62 over 200 calls: a lucky streak of five must not lead.
 */
export const MIN_BOUND_N = 20;

export interface Bound {
  /** Point estimate. */
  estimate: number;
  /** Lower confidence bound (−Infinity with no outcomes). */
  lower: number;
  /** Upper confidence bound (+Infinity with no outcomes). */
  upper: number;
  n: number;
}

const NO_EVIDENCE = (estimate: number): Bound => ({
  estimate,
  lower: Number.NEGATIVE_INFINITY,
  upper: Number.POSITIVE_INFINITY,
  n: 0,
});

/**
 * Wilson score interval for a binomial proportion (Wilson 1927; recommended over the Wald interval by
 * Brown, Cai & DasGupta 2001): centre (p̂ + z²/2n)/(1 + z²/n), half-width z·sqrt(p̂(1−p̂)/n + z²/4n²)/(1 + z²/n).
 * With 60 hits of 100 the lower bound at z = 1.645 is 0.52; below `minN` outcomes there is no bound.
 */
export function wilsonBound(hits: number, n: number, z = Z_ONE_SIDED_95, minN = MIN_BOUND_N): Bound {
  if (n <= 0) return NO_EVIDENCE(0.5);
  const p = hits / n;
  if (n < minN) return { estimate: p, lower: Number.NEGATIVE_INFINITY, upper: Number.POSITIVE_INFINITY, n };
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denom;
  return { estimate: p, lower: Math.max(0, centre - half), upper: Math.min(1, centre + half), n };
}

/**
 * Mean with its standard error, mean ± z·se, se = sd/√(n/overlap) (sample sd, n − 1). `overlap` = how
 * many consecutive observations share one outcome: an h-bar forecast issued every bar shares h − 1 bars
 * of its outcome with the next, so n overlapping forecasts hold about n/h independent outcomes (Hansen &
 * Hodrick 1980), and that count is what the bound may rest on. Below `minN` independent outcomes (and
 * always below two observations) the bounds are unbounded: five good trades demonstrate nothing, nor does
 * one week of 12-bar forecasts on one trend.
 */
export function meanBound(xs: readonly number[], z = Z_ONE_SIDED_95, minN = MIN_BOUND_N, overlap = 1): Bound {
  const n = xs.length;
  if (n === 0) return NO_EVIDENCE(0);
  const m = xs.reduce((s, x) => s + x, 0) / n;
  const independent = n / Math.max(1, overlap);
  if (n < 2 || independent < minN)
    return { estimate: m, lower: Number.NEGATIVE_INFINITY, upper: Number.POSITIVE_INFINITY, n };
  const sd = Math.sqrt(xs.reduce((s, x) => s + (x - m) ** 2, 0) / (n - 1));
  const se = sd / Math.sqrt(independent);
  return { estimate: m, lower: m - z * se, upper: m + z * se, n };
}

/**
 * How many of a researcher's consecutive matured forecasts share outcome bars: the longest forecast
 * horizon in R-A's inventory (12 bars). Forecasts are issued every bar, so T-B's sizing reads the Brier
 * skill bound over n forecasts as resting on n / FORECAST_OVERLAP independent outcomes (skill.ts).
 */
export const FORECAST_OVERLAP = Math.max(...FORECAST_METHODS.map((m) => Number(m.params.horizonBars ?? 1)));

/**
 * Brier skill score against the constant 0.5 forecast, with a bound: BSS = mean of 1 − (p − o)²/0.25
 * over the matured forecasts (the same number as scoring.ts computeBrierSkill), so its standard error is
 * that of a mean of per-forecast skills; `overlap` (meanBound) counts consecutive forecasts that share
 * outcome bars as one outcome.
 */
export function brierSkillBound(
  history: readonly { p: number; outcome: 0 | 1 }[],
  z = Z_ONE_SIDED_95,
  minN = MIN_BOUND_N,
  overlap = 1,
): Bound {
  return meanBound(
    history.map((h) => 1 - (h.p - h.outcome) ** 2 / 0.25),
    z,
    minN,
    overlap,
  );
}

/**
 * Where a bound sits against the role's neutral value, in [0, 1]: 0 when the lower bound does not clear
 * `neutral` (no demonstrated skill), rising linearly to 1 when the lower bound clears it by `full`.
 */
export function demonstratedSkill(bound: Bound, neutral: number, full: number): number {
  if (!(bound.lower > neutral)) return 0;
  return Math.min(1, (bound.lower - neutral) / full);
}
