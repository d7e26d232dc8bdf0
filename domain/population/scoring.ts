/** The Evaluator's fixed metrics: proper scores for probabilities and trade statistics in R multiples. */

export interface ProbabilityOutcome {
  p: number;
  outcome: 0 | 1;
}

/** Clip for log loss so a confident miss costs a large but finite amount. */
const LOG_LOSS_EPS = 1e-6;

/** Brier score, mean of (p − o)² (Brier 1950). Lower is better; 0.25 = always saying 0.5. NaN when empty. */
export function computeBrier(h: readonly ProbabilityOutcome[]): number {
  if (h.length === 0) return NaN;
  return h.reduce((s, x) => s + (x.p - x.outcome) ** 2, 0) / h.length;
}

/** Log loss, mean of −[o·ln p + (1 − o)·ln(1 − p)], p clipped to [1e-6, 1 − 1e-6]. ln 2 ≈ 0.693 = always 0.5. NaN when empty. */
export function computeLogLoss(h: readonly ProbabilityOutcome[]): number {
  if (h.length === 0) return NaN;
  const total = h.reduce((s, x) => {
    const p = Math.min(1 - LOG_LOSS_EPS, Math.max(LOG_LOSS_EPS, x.p));
    return s - (x.outcome === 1 ? Math.log(p) : Math.log(1 - p));
  }, 0);
  return total / h.length;
}

/** Brier skill score against the constant 0.5 forecast: 1 − Brier/0.25 (Murphy 1973). Higher is better, 0 = no skill. */
export function computeBrierSkill(h: readonly ProbabilityOutcome[]): number {
  return 1 - computeBrier(h) / 0.25;
}

/**
 * Reliability diagram data: forecasts binned by p into `bins` equal-width bins over [0, 1] (p = 1 falls in the
 * last bin). Only non-empty bins are returned; `bin` is the bin index, `freq` the observed frequency of ups.
 */
export function reliabilityTable(
  history: readonly ProbabilityOutcome[],
  bins = 10,
): { bin: number; meanP: number; freq: number; n: number }[] {
  const acc = Array.from({ length: bins }, () => ({ sumP: 0, ups: 0, n: 0 }));
  for (const x of history) {
    const b = acc[Math.min(bins - 1, Math.max(0, Math.floor(x.p * bins)))];
    if (!b) continue;
    b.sumP += x.p;
    b.ups += x.outcome;
    b.n += 1;
  }
  return acc.flatMap((b, bin) => (b.n === 0 ? [] : [{ bin, meanP: b.sumP / b.n, freq: b.ups / b.n, n: b.n }]));
}

export interface TraderStats {
  n: number;
  /** Share of trades with R > 0. */
  winRate: number;
  /** Σ winning R / |Σ losing R|; Infinity with wins and no losses, 0 without wins. */
  profitFactor: number;
  avgR: number;
  /** Per-trade Sharpe: mean R / sample standard deviation of R; 0 with fewer than two trades or no dispersion. */
  sharpe: number;
  /** Largest peak-to-trough fall of cumulative R (the curve starts at 0), as a positive number. */
  maxDrawdownR: number;
}

export function traderStats(rs: readonly number[]): TraderStats {
  const n = rs.length;
  if (n === 0) return { n: 0, winRate: 0, profitFactor: 0, avgR: 0, sharpe: 0, maxDrawdownR: 0 };
  const wins = rs.filter((r) => r > 0);
  const grossWin = wins.reduce((s, r) => s + r, 0);
  const grossLoss = -rs.filter((r) => r < 0).reduce((s, r) => s + r, 0);
  const avgR = rs.reduce((s, r) => s + r, 0) / n;
  const variance = n > 1 ? rs.reduce((s, r) => s + (r - avgR) ** 2, 0) / (n - 1) : 0;
  const sd = Math.sqrt(variance);
  let equity = 0;
  let peak = 0;
  let maxDrawdownR = 0;
  for (const r of rs) {
    equity += r;
    peak = Math.max(peak, equity);
    maxDrawdownR = Math.max(maxDrawdownR, peak - equity);
  }
  return {
    n,
    winRate: wins.length / n,
    profitFactor: grossLoss > 0 ? grossWin / grossLoss : grossWin > 0 ? Infinity : 0,
    avgR,
    sharpe: sd > 1e-12 ? avgR / sd : 0,
    maxDrawdownR,
  };
}
