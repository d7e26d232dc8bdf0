import type { Account, AccountEvent, ExitReason } from '../schemas/account';
import type { ExchangeCosts } from '../schemas/config';
import type { Candle, FundingRate } from '../schemas/market';
import type { Order } from '../schemas/trade';
import { transitionOrder } from './order-state';
import { closePositionAt, closingAction, openPositionAt, openingAction, slipPrice, type Step } from './paper-account';
import { resolveBarExit } from './paper-exits';
import { settleFunding } from './funding-settlement';

export { createAccount, equityOf } from './paper-account';

/**
 * The paper exchange: a pure, deterministic simulator of one isolated-margin BTCUSDT perp account in
 * one-way mode (one position). Every entry point takes an account and returns a new one plus the
 * events that happened; nothing is mutated, so replays and restarts give the same result.
 */

/** Close the open position at market: taker fee and adverse slippage. No position → no change. */
export function closePosition(
  account: Account,
  price: number,
  atMs: number,
  reason: ExitReason,
  costs: ExchangeCosts,
): Step {
  const p = account.position;
  if (!p) return { account, events: [] };
  return closePositionAt(
    account,
    slipPrice(price, closingAction(p.side), costs.slippageBps),
    atMs,
    reason,
    costs.takerFee,
  );
}

/** One order cancelled: moved to cancelled by the order state machine, with its cancel event. */
export function cancelOrder(order: Order, atMs: number, reason: string): { order: Order; event: AccountEvent } {
  return {
    order: transitionOrder(order, 'cancelled'),
    event: { type: 'cancel', orderId: order.orderId, atMs, reason },
  };
}

/** One order whose life ended unfilled (or with the rest unfilled): moved to expired, with its expire event. */
export function expireOrder(order: Order, atMs: number): { order: Order; event: AccountEvent } {
  return { order: transitionOrder(order, 'expired'), event: { type: 'expire', orderId: order.orderId, atMs } };
}

/** Cancel every resting order, each through cancelOrder: the one cancel path of the paper exchange and the live mirror. */
export function cancelAllOrders(account: Account, atMs: number, reason: string): Step {
  const events = account.openOrders.map((o) => cancelOrder(o, atMs, reason).event);
  return { account: { ...account, openOrders: [] }, events };
}

/** The book with `order` resting in it (open, or partially filled with the rest still working). */
export function restOrder(account: Account, order: Order): Account {
  return { ...account, openOrders: [...account.openOrders, order] };
}

/**
 * Submit an order at the close of `bar` (the bar that just closed). Market orders and limits that
 * cross the close fill now as taker at the close ± slippage (a crossing limit never worse than its
 * price); other limits rest until a later bar trades through them. A new order replaces any resting
 * one (one trader order per bar in one-way mode). An opposite position is closed first ('signal');
 * a same-side position makes the order a reject.
 */
export function submitOrder(
  account: Account,
  order: Order,
  bar: Candle,
  barMs: number,
  costs: ExchangeCosts,
): { account: Account; order: Order; events: AccountEvent[] } {
  const atMs = bar.t + barMs;
  let current: Order = { ...transitionOrder(order, 'submitted'), closedPrice: null };
  const events: AccountEvent[] = [];
  let acc = account;
  const reject = (reason: string): { account: Account; order: Order; events: AccountEvent[] } => {
    events.push({ type: 'reject', orderId: order.orderId, atMs, reason });
    return { account: acc, order: transitionOrder(current, 'rejected'), events };
  };

  if (acc.openOrders.length > 0) {
    const cancelled = cancelAllOrders(acc, atMs, `replaced by ${order.orderId}`);
    acc = cancelled.account;
    events.push(...cancelled.events);
  }
  if (acc.position?.side === order.direction) return reject(`a ${order.direction} position is already open`);
  if (order.orderType === 'limit' && order.limitPrice === null) return reject('limit order without a limit price');

  if (acc.position) {
    const closed = closePosition(acc, bar.close, atMs, 'signal', costs);
    acc = closed.account;
    events.push(...closed.events);
  }

  const long = order.direction === 'long';
  const marketPrice = slipPrice(bar.close, openingAction(order.direction), costs.slippageBps);
  const limit = order.limitPrice;
  const crosses = limit === null || (long ? limit >= bar.close : limit <= bar.close);
  if (!crosses) {
    // Check the margin now too, so a resting order the account could never fill is refused up front.
    const probe = openPositionAt(acc, current, limit, atMs, costs.makerFee, barMs);
    if (!probe.filled) {
      events.push(...probe.events);
      return { account: acc, order: transitionOrder(current, 'rejected'), events };
    }
    current = transitionOrder(current, 'open');
    return { account: restOrder(acc, current), order: current, events };
  }

  const price = limit === null ? marketPrice : long ? Math.min(limit, marketPrice) : Math.max(limit, marketPrice);
  const opened = openPositionAt(acc, current, price, atMs, costs.takerFee, barMs);
  events.push(...opened.events);
  return {
    account: opened.account,
    order: opened.filled ? opened.order : transitionOrder(current, 'rejected'),
    events,
  };
}

/** Fill resting limits the bar traded through (maker; at the open when it gapped past the limit); expire stale ones. */
function fillRestingOrders(
  account: Account,
  bar: Candle,
  barMs: number,
  costs: ExchangeCosts,
): Step & { filledNow: boolean } {
  const closeMs = bar.t + barMs;
  let acc: Account = { ...account, openOrders: [] };
  const events: AccountEvent[] = [];
  let filledNow = false;
  for (const order of account.openOrders) {
    // An order whose life ended before this bar opened (bars missing from the data) expires unfilled:
    // filling it here would trade on a decision made before the gap.
    if (bar.t >= order.createdAtMs + order.expiresAfterBars * barMs) {
      events.push(expireOrder(order, closeMs).event);
      continue;
    }
    const limit = order.limitPrice ?? bar.open;
    const long = order.direction === 'long';
    const touched = long ? bar.low <= limit : bar.high >= limit;
    if (touched && !acc.position) {
      const price = long ? Math.min(limit, bar.open) : Math.max(limit, bar.open);
      const opened = openPositionAt(acc, order, price, closeMs, costs.makerFee, barMs);
      acc = opened.account;
      events.push(...opened.events);
      filledNow = filledNow || opened.filled;
    } else if (closeMs >= order.createdAtMs + order.expiresAfterBars * barMs) {
      events.push(expireOrder(order, closeMs).event);
    } else {
      acc = restOrder(acc, order);
    }
  }
  return { account: acc, events, filledNow };
}

/**
 * Advance the account over one closed bar. Idempotent: bars at or before `lastBarOpenMs` are
 * ignored. Within the bar: resting limits, then liquidation / stop / take-profit (pessimistic, see
 * resolveBarExit), then the time exit at the close, then funding settlements (funding-settlement.ts).
 */
export function applyBar(
  account: Account,
  bar: Candle,
  barMs: number,
  funding: FundingRate[],
  costs: ExchangeCosts,
): Step {
  if (bar.t <= account.lastBarOpenMs) return { account, events: [] };
  const closeMs = bar.t + barMs;
  const events: AccountEvent[] = [];
  const heldAtOpen = account.position !== null;

  const resting = fillRestingOrders(account, bar, barMs, costs);
  let acc = resting.account;
  events.push(...resting.events);

  if (acc.position) {
    const exit = resolveBarExit(acc.position, bar, heldAtOpen && !resting.filledNow);
    if (exit) {
      const price =
        exit.reason === 'liquidation'
          ? exit.price
          : slipPrice(exit.price, closingAction(acc.position.side), costs.slippageBps);
      const closed = closePositionAt(acc, price, closeMs, exit.reason, costs.takerFee);
      acc = closed.account;
      events.push(...closed.events);
    }
  }
  const p = acc.position;
  if (p && p.exitByMs !== null && closeMs >= p.exitByMs) {
    const closed = closePosition(acc, bar.close, closeMs, 'time', costs);
    acc = closed.account;
    events.push(...closed.events);
  }
  const funded = settleFunding(acc, bar, closeMs, funding, costs);
  events.push(...funded.events);
  return { account: { ...funded.account, markPrice: bar.close, lastBarOpenMs: bar.t }, events };
}
