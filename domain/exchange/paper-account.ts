import type { Account, AccountEvent, ClosedTrade, ExitReason, Position } from '../schemas/account';
import type { Order, Side } from '../schemas/trade';
import { fillOrder } from './order-state';
import { bankruptcyPrice, initialMargin, liquidationPriceForPosition, unrealizedPnl } from './perp-math';
import { explainLeverageAboveCap } from './tiers';

/**
 * Account bookkeeping shared by the paper exchange's entry points: open a position, close it,
 * and the totals that keep `wallet − initial = Σ realizedPnl − Σ fees + Σ funding` true.
 */

export type Step = { account: Account; events: AccountEvent[] };

/** A fresh, flat account. `lastBarOpenMs` sits just before `startMs` so the bar opening at `startMs` is applied. */
export function createAccount(initialEquity: number, startMs: number): Account {
  return {
    wallet: initialEquity,
    position: null,
    openOrders: [],
    realizedPnl: 0,
    fees: 0,
    funding: 0,
    liquidations: 0,
    lastFundingMs: startMs,
    lastBarOpenMs: Math.max(0, startMs - 1),
    markPrice: 0,
    tradeCount: 0,
  };
}

/** Equity = wallet balance + unrealised PnL of the open position at `markPrice`. */
export function equityOf(account: Account, markPrice: number): number {
  const p = account.position;
  return account.wallet + (p ? unrealizedPnl(p.side, p.size, p.entryPrice, markPrice) : 0);
}

/** Price after adverse slippage: buys pay more, sells receive less. */
export function slipPrice(price: number, action: 'buy' | 'sell', slippageBps: number): number {
  const f = slippageBps / 10_000;
  return action === 'buy' ? price * (1 + f) : price * (1 - f);
}

/** The action that opens a position on `side` (its opposite closes it). */
export function openingAction(side: Side): 'buy' | 'sell' {
  return side === 'long' ? 'buy' : 'sell';
}

export function closingAction(side: Side): 'buy' | 'sell' {
  return side === 'long' ? 'sell' : 'buy';
}

/**
 * Open the order's position at `price`, paying `feeRate` of the notional. Rejected (no state change)
 * when the leverage is above its notional bracket's maximum, or the free balance cannot post the
 * isolated margin plus the fee.
 */
export function openPositionAt(
  account: Account,
  order: Order,
  price: number,
  atMs: number,
  feeRate: number,
  barMs: number,
): Step & { filled: boolean; order: Order } {
  const notional = order.size * price;
  const margin = initialMargin(notional, order.leverage);
  const fee = notional * feeRate;
  const aboveCap = explainLeverageAboveCap(notional, order.leverage);
  if (aboveCap)
    return {
      account,
      order,
      events: [{ type: 'reject', orderId: order.orderId, atMs, reason: aboveCap }],
      filled: false,
    };
  const used = account.position?.margin ?? 0;
  if (account.wallet - used < margin + fee) {
    const reason = `insufficient margin: free ${(account.wallet - used).toFixed(2)} < margin ${margin.toFixed(2)} + fee ${fee.toFixed(2)}`;
    return { account, order, events: [{ type: 'reject', orderId: order.orderId, atMs, reason }], filled: false };
  }
  return { ...bookFill(account, order, { price, size: order.size, fee, atMs }, barMs), filled: true };
}

/** One execution of an order: what the simulator decides or the venue reports. */
export interface Execution {
  price: number;
  size: number;
  /** Fee paid on this execution, positive = paid. */
  fee: number;
  atMs: number;
}

/**
 * Book one execution of `order`, the single home of fill bookkeeping for the paper exchange and the
 * live mirror: the fee leaves the wallet, the order's position opens (a later fill of the same order
 * grows it at the size-weighted price), a fill event is emitted, and the order moves to
 * partially_filled or filled by how much of its size is done (fillOrder). Throws when the account
 * holds another order's position: one-way mode has one position, and neither exchange fills into it.
 */
export function bookFill(account: Account, order: Order, fill: Execution, barMs: number): Step & { order: Order } {
  const held = account.position;
  if (held && held.orderId !== order.orderId) {
    throw new Error(`order ${order.orderId}: cannot fill while the account holds order ${held.orderId}'s position`);
  }
  const size = (held?.size ?? 0) + fill.size;
  const entryPrice = held ? (held.size * held.entryPrice + fill.size * fill.price) / size : fill.price;
  const leverage = held?.leverage ?? order.leverage;
  const margin = initialMargin(size * entryPrice, leverage);
  const position: Position = {
    orderId: order.orderId,
    traderId: order.traderId,
    side: order.direction,
    size,
    entryPrice,
    leverage,
    margin,
    liquidationPrice: liquidationPriceForPosition(order.direction, size, entryPrice, margin),
    takeProfit: order.takeProfit,
    stopLoss: order.stopLoss,
    openedAtMs: held?.openedAtMs ?? fill.atMs,
    exitByMs: held ? held.exitByMs : fill.atMs + order.horizonBars * barMs,
    fees: (held?.fees ?? 0) + fill.fee,
    funding: held?.funding ?? 0,
  };
  return {
    account: { ...account, position, wallet: account.wallet - fill.fee, fees: account.fees + fill.fee },
    order: fillOrder(order, size),
    events: [
      { type: 'fill', orderId: order.orderId, price: fill.price, size: fill.size, fee: fill.fee, atMs: fill.atMs },
    ],
  };
}

/**
 * Close the open position at `price` (already slipped by the caller), paying `feeRate`. A
 * liquidation never loses more than the isolated margin: beyond the bankruptcy price the
 * insurance fund takes the rest (Binance), so the exit is booked at the bankruptcy price, and the
 * exit fee is capped at the margin left.
 */
export function closePositionAt(
  account: Account,
  price: number,
  atMs: number,
  reason: ExitReason,
  feeRate: number,
): Step {
  const p = account.position;
  if (!p) return { account, events: [] };
  let exitPrice = price;
  if (reason === 'liquidation' && unrealizedPnl(p.side, p.size, p.entryPrice, price) < -p.margin) {
    exitPrice = bankruptcyPrice(p.side, p.size, p.entryPrice, p.margin);
  }
  // A zero exit price only arises from a 1x long liquidated at 0; the schema wants positive prices.
  exitPrice = Math.max(exitPrice, Number.MIN_VALUE);
  const realizedPnl = unrealizedPnl(p.side, p.size, p.entryPrice, exitPrice);
  // The liquidation clearance fee comes out of what is left of the isolated margin, never from the
  // rest of the wallet, so a liquidated position loses at most its margin.
  const fullFee = p.size * exitPrice * feeRate;
  const exitFee = reason === 'liquidation' ? Math.min(fullFee, Math.max(0, p.margin + realizedPnl)) : fullFee;
  const trade: ClosedTrade = {
    tradeId: `${p.orderId}:${atMs}`,
    clientOrderId: p.orderId,
    traderId: p.traderId,
    side: p.side,
    entryTimeMs: p.openedAtMs,
    entryPrice: p.entryPrice,
    exitTimeMs: atMs,
    exitPrice,
    size: p.size,
    leverage: p.leverage,
    liquidationPrice: p.liquidationPrice,
    exitReason: reason,
    realizedPnl,
    fees: p.fees + exitFee,
    funding: p.funding,
    riskAmount: Math.abs(p.entryPrice - p.stopLoss) * p.size,
  };
  return {
    account: {
      ...account,
      position: null,
      wallet: account.wallet + realizedPnl - exitFee,
      realizedPnl: account.realizedPnl + realizedPnl,
      fees: account.fees + exitFee,
      liquidations: account.liquidations + (reason === 'liquidation' ? 1 : 0),
      tradeCount: account.tradeCount + 1,
    },
    events: [{ type: 'close', trade }],
  };
}
