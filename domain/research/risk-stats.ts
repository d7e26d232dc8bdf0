import { type Candle } from '../schemas/market';
import { mean, normInv, normPdf } from './math';

/** Close-to-close log returns, oldest first. */
export function computeLogReturns(candles: readonly Candle[]): number[] {
  const out: number[] = [];
  for (let i = 1; i < candles.length; i++) {
    const prev = candles[i - 1];
    const cur = candles[i];
    if (prev !== undefined && cur !== undefined) out.push(Math.log(cur.close / prev.close));
  }
  return out;
}

/**
 * RiskMetrics EWMA volatility (J.P. Morgan/Reuters, RiskMetrics Technical Document, 1996):
 * sigma²_t = lambda·sigma²_{t−1} + (1 − lambda)·r²_{t−1}, zero mean, lambda = 0.94.
 * Seeded with the mean square of the first `seed` returns so the start does not dominate.
 */
export function computeEwmaVol(returns: readonly number[], lambda = 0.94, seed = 20): number {
  if (returns.length === 0) return 0;
  const head = returns.slice(0, Math.min(seed, returns.length));
  let variance = mean(head.map((r) => r * r));
  for (const r of returns.slice(head.length)) variance = lambda * variance + (1 - lambda) * r * r;
  return Math.sqrt(variance);
}

/**
 * Historical-simulation VaR and CVaR (expected shortfall) at level alpha, as positive fractions of
 * price. Losses are 1 − exp(r) (a log return r moves price by exp(r) − 1). With k = ceil(alpha·n)
 * tail observations, VaR is the k-th worst loss and CVaR the mean of the k worst (Acerbi & Tasche 2002,
 * discrete form); both are floored at 0 when even the tail gained.
 */
export function computeHistoricalVar(returns: readonly number[], alpha = 0.05): { var: number; cvar: number } {
  if (returns.length === 0) return { var: 0, cvar: 0 };
  const losses = returns.map((r) => 1 - Math.exp(r)).sort((a, b) => b - a);
  const k = Math.max(1, Math.ceil(alpha * losses.length));
  const tail = losses.slice(0, k);
  const worstK = tail[k - 1] ?? 0;
  return { var: Math.max(0, worstK), cvar: Math.max(0, mean(tail)) };
}

/**
 * Parametric (Gaussian, zero-mean) VaR and CVaR for a per-bar sd sigma: VaR = 1 − exp(−z·sigma),
 * CVaR = 1 − exp(−sigma·phi(z)/alpha) (expected shortfall of a normal, e.g. McNeil, Frey & Embrechts 2005, ex. 2.14).
 */
export function computeGaussianVar(sigma: number, alpha = 0.05): { var: number; cvar: number } {
  const z = -normInv(alpha);
  return { var: 1 - Math.exp(-z * sigma), cvar: 1 - Math.exp((-sigma * normPdf(z)) / alpha) };
}

/**
 * Average True Range with Wilder's smoothing (Wilder 1978): TR = max(H − L, |H − C_prev|, |L − C_prev|),
 * ATR seeded by the mean of the first `period` TRs, then ATR = (ATR·(n − 1) + TR) / n. Null when too short.
 */
export function computeAtr(candles: readonly Candle[], period = 14): number | null {
  const tr: number[] = [];
  for (let i = 1; i < candles.length; i++) {
    const prev = candles[i - 1];
    const cur = candles[i];
    if (prev === undefined || cur === undefined) continue;
    tr.push(Math.max(cur.high - cur.low, Math.abs(cur.high - prev.close), Math.abs(cur.low - prev.close)));
  }
  if (tr.length < period) return null;
  let atr = mean(tr.slice(0, period));
  for (const x of tr.slice(period)) atr = (atr * (period - 1) + x) / period;
  return atr;
}
