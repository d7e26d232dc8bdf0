import type { Side } from '../schemas/trade';
import { BTCUSDT_TIERS, findTier, type LeverageTier } from './tiers';

/** +1 for a long, −1 for a short: the `s` of Binance's formulas. */
export function signOf(side: Side): 1 | -1 {
  return side === 'long' ? 1 : -1;
}

/** Initial margin of an isolated position: notional / leverage (Binance USDⓈ-M). */
export function initialMargin(notional: number, leverage: number): number {
  if (leverage < 1) throw new RangeError(`leverage ${leverage} below 1`);
  return Math.abs(notional) / leverage;
}

/** Unrealised PnL of a linear USDT-margined contract: s × Q × (mark − entry). */
export function unrealizedPnl(side: Side, size: number, entry: number, mark: number): number {
  return signOf(side) * size * (mark - entry);
}

/** Maintenance margin of a position: notional × MMR − cum (Binance leverage brackets). */
export function maintenanceMargin(notional: number, tiers: readonly LeverageTier[] = BTCUSDT_TIERS): number {
  const tier = findTier(Math.abs(notional), tiers);
  return Math.abs(notional) * tier.mmr - tier.cum;
}

export interface LiquidationInput {
  side: Side;
  /** Q, position size in the base asset. */
  size: number;
  /** EP, entry price. */
  entryPrice: number;
  /** WB: for an isolated position, the isolated margin posted. */
  walletBalance: number;
  /** Maintenance margin rate of the position's bracket. */
  mmr: number;
  /** Maintenance amount of the position's bracket. */
  cum: number;
}

/**
 * Liquidation price of one isolated position in one-way mode.
 *
 * Binance USDⓈ-M: LP = (WB + cum − s·Q·EP) / (Q·MMR − s·Q), the other positions' terms being zero
 * (Binance support article "How to Calculate Liquidation Price of USDⓈ-M Futures Contracts";
 * freqtrade `tests/exchange/test_binance.py` uses the same worked examples). Clamped at 0: a long
 * with margin at or above its notional can never be liquidated.
 */
export function liquidationPrice(input: LiquidationInput): number {
  const s = signOf(input.side);
  const q = input.size;
  const lp = (input.walletBalance + input.cum - s * q * input.entryPrice) / (q * input.mmr - s * q);
  return Math.max(0, lp);
}

/** Liquidation price of an isolated position, with MMR and cum taken from the BTCUSDT bracket of its notional. */
export function liquidationPriceForPosition(
  side: Side,
  size: number,
  entry: number,
  margin: number,
  tiers: readonly LeverageTier[] = BTCUSDT_TIERS,
): number {
  const tier = findTier(size * entry, tiers);
  return liquidationPrice({ side, size, entryPrice: entry, walletBalance: margin, mmr: tier.mmr, cum: tier.cum });
}

/**
 * Funding cash flow of a position at one settlement, positive = received (the sign of
 * Position.funding). Binance: funding = position notional at the mark price × funding rate, and a
 * positive rate means longs pay shorts (freqtrade `test_calculate_funding_fees`).
 */
export function fundingPayment(side: Side, size: number, markPrice: number, rate: number): number {
  return -signOf(side) * size * markPrice * rate;
}

/** Price at which the position's loss equals its isolated margin (the loss cap when liquidated through a gap). */
export function bankruptcyPrice(side: Side, size: number, entry: number, margin: number): number {
  return Math.max(0, entry - (signOf(side) * margin) / size);
}
