import type { Candle } from '../schemas/market';
import type { Order, Side } from '../schemas/trade';

/** Binance USDⓈ-M BTCUSDT first-tier maintenance margin rate (0.4%), used only to size the style check. */
export const DEFAULT_MAINTENANCE_MARGIN_RATE = 0.004;

/** Fewer one-bar returns than this and the historical CVaR falls back to the research's own estimate. */
export const MIN_CVAR_OBSERVATIONS = 20;

/** The price the order expects to fill at: its limit price, else the current price. */
export function getEntryPrice(order: Order): number {
  return order.orderType === 'limit' && order.limitPrice !== null ? order.limitPrice : order.currentPrice;
}

export function getNotional(order: Order): number {
  return order.size * getEntryPrice(order);
}

/** a / b as a fraction of equity; a non-positive equity makes every exposure infinite (it must fail). */
export function divideByEquity(amount: number, equity: number): number {
  return equity > 0 ? amount / equity : Number.POSITIVE_INFINITY;
}

/** One-bar simple returns of the last `lookback` closes, oldest first. */
export function getBarReturns(candles: readonly Candle[], lookback: number): number[] {
  const closes = candles.slice(-(lookback + 1)).map((c) => c.close);
  const returns: number[] = [];
  for (let i = 1; i < closes.length; i++) {
    const prev = closes[i - 1];
    const cur = closes[i];
    if (prev !== undefined && cur !== undefined && prev > 0) returns.push(cur / prev - 1);
  }
  return returns;
}

/**
 * Historical one-bar CVaR95 (expected shortfall) of a position, in quote currency, positive = loss.
 * Mean of the worst ceil(5% × n) losses of the position over the sample (Acerbi & Tasche 2002,
 * "On the coherence of expected shortfall", historical estimator). Returns null without a sample.
 */
export function getHistoricalCvar95(returns: readonly number[], side: Side, notional: number): number | null {
  if (returns.length === 0) return null;
  const sign = side === 'long' ? 1 : -1;
  const losses = returns.map((r) => -sign * r * notional).sort((a, b) => b - a);
  const tail = losses.slice(0, Math.max(1, Math.ceil(0.05 * losses.length)));
  const mean = tail.reduce((sum, x) => sum + x, 0) / tail.length;
  return Math.max(0, mean);
}

/**
 * Distance from entry to the isolated-margin liquidation price at leverage L with no other margin:
 * Binance's formula LP = (WB + cum − s·Q·EP) / (Q·MMR − s·Q) with WB = Q·EP / L and cum = 0 gives
 * long EP·(1/L − MMR)/(1 − MMR) and short EP·(1/L − MMR)/(1 + MMR) (docs/perp-math.md).
 */
export function getLiquidationDistance(entry: number, leverage: number, side: Side, mmr: number): number {
  const numerator = entry * (1 / leverage - mmr);
  return Math.max(0, side === 'long' ? numerator / (1 - mmr) : numerator / (1 + mmr));
}

/** Short, readable numbers for reasons the trader reads: 2 decimals from 1 up, 3 significant digits below. */
export function formatNumber(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  return String(Math.abs(x) >= 1 ? Number(x.toFixed(2)) : Number(x.toPrecision(3)));
}

export function formatPercent(fraction: number): string {
  return `${formatNumber(fraction * 100)}%`;
}
