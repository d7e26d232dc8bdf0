import { transitionOrder } from '../../domain/exchange/order-state';
import { bookFill, closePositionAt, type Step } from '../../domain/exchange/paper-account';
import { cancelAllOrders, cancelOrder, expireOrder, restOrder } from '../../domain/exchange/paper-exchange';
import { signOf } from '../../domain/exchange/perp-math';
import { ClassifiedError, FailureType } from '../../domain/failures';
import type { Account, AccountEvent, ExitReason, Position } from '../../domain/schemas/account';
import { BAR_MS, ExchangeCostsSchema, type ExchangeCosts } from '../../domain/schemas/config';
import type { Candle, MarketSnapshot } from '../../domain/schemas/market';
import type { Order } from '../../domain/schemas/trade';
import {
  stopLossId,
  takeProfitId,
  type CcxtGateway,
  type ReconcileResult,
  type VenueOrder,
  type VenueOrderReport,
  type VenuePosition,
} from './ccxt-gateway';
import { findDrift } from './venue-state';

/**
 * What the exchange activities need from a live venue: the fund's Account kept as a mirror of it,
 * booked through the paper exchange's own fill, cancel and order-state path (domain/exchange).
 */
export interface LiveExchange {
  sync(
    account: Account,
    snapshot: MarketSnapshot,
  ): Promise<{ account: Account; events: AccountEvent[]; drift: string[] }>;
  execute(
    account: Account,
    order: Order,
    bar: Candle,
  ): Promise<{ account: Account; order: Order; events: AccountEvent[] }>;
  flatten(account: Account, reason: string): Promise<{ account: Account; events: AccountEvent[] }>;
}

export interface LiveExchangeOptions {
  /** Relative wallet difference reported as drift. @default 0.01 */
  walletDriftTolerance?: number;
  /** Clock for the kill switch's close time (flatten gets no bar). @default Date.now */
  now?: () => number;
}

/** Client id of the reduce-only order that closes a position (Binance allows 36 characters). */
function closeIdOf(orderId: string): string | undefined {
  return orderId.length <= 34 ? `${orderId}-x` : undefined;
}

/** The entry a protective order guards: 'abc-sl' → 'abc'. */
function entryIdOf(clientOrderId: string | null): string | null {
  const m = clientOrderId?.match(/^(.*)-(sl|tp)$/);
  return m ? m[1]! : null;
}

/**
 * Why the venue closed a position. A protective leg that is gone while its sibling rests says which
 * one fired; otherwise the price says it (beyond liquidation, or the side of entry). Both legs
 * still resting means nobody's stop fired: someone closed it by hand.
 */
function exitReasonOf(p: Position, exitPrice: number, openIds: ReadonlySet<string | null>): ExitReason {
  const slOpen = openIds.has(stopLossId(p.orderId));
  const tpOpen = openIds.has(takeProfitId(p.orderId));
  if (!slOpen && tpOpen) return 'stop_loss';
  if (slOpen && !tpOpen) return 'take_profit';
  const s = signOf(p.side);
  if (p.liquidationPrice > 0 && s * (exitPrice - p.liquidationPrice) <= 0) return 'liquidation';
  if (slOpen && tpOpen) return 'manual';
  const move = s * (exitPrice - p.entryPrice);
  return move < 0 ? 'stop_loss' : move > 0 ? 'take_profit' : 'manual';
}

/**
 * The order a venue position implies when the account has none for it: recognised by its protective
 * orders when the desk placed it (trader 'unknown'), else 'external'. Unknown stops are booked at the
 * entry (zero initial risk) rather than invented. Booked through bookFill like any other fill.
 */
function impliedOrder(position: VenuePosition, openOrders: readonly VenueOrder[], symbol: string, atMs: number): Order {
  const legs = openOrders.filter((o) => o.conditional && entryIdOf(o.clientOrderId) !== null);
  const sl = legs.find((o) => o.clientOrderId?.endsWith('-sl'));
  const tp = legs.find((o) => o.clientOrderId?.endsWith('-tp'));
  const orderId = entryIdOf((sl ?? tp)?.clientOrderId ?? null) ?? 'external';
  return {
    orderId,
    traderId: orderId === 'external' ? 'external' : 'unknown',
    symbol,
    createdAtMs: atMs,
    currentPrice: position.entryPrice,
    orderType: 'market',
    limitPrice: null,
    size: position.size,
    direction: position.side,
    takeProfit: tp?.triggerPrice || position.entryPrice,
    stopLoss: sl?.triggerPrice || position.entryPrice,
    closedPrice: null,
    leverage: Math.max(1, position.leverage ?? 1),
    liquidationPrice: position.liquidationPrice ?? 0,
    expiresAfterBars: 1,
    horizonBars: 1,
    status: 'submitted',
    confidence: 0,
  };
}

/** Size of `order` already booked: the position it opened, if the account holds it. */
function bookedSizeOf(account: Account, order: Order): number {
  return account.position?.orderId === order.orderId ? account.position.size : 0;
}

/**
 * Move our order to what the venue reports of it, through the same transitions as the paper
 * exchange: fills the venue made beyond those already booked go through bookFill (partially_filled,
 * then filled), then the order keeps resting, completes, or ends cancelled or expired with the event
 * the paper exchange emits for it. `rests` says whether it stays in the book.
 */
function applyVenueReport(
  account: Account,
  order: Order,
  report: VenueOrderReport,
  fill: { feeRate: number; fallbackPrice: number; atMs: number; reason: string },
): Step & { order: Order; rests: boolean } {
  let acc = account;
  let current = order;
  const events: AccountEvent[] = [];
  const booked = bookedSizeOf(account, order);
  const more = report.filledSize - booked;
  if (more > 1e-12) {
    const avg = report.avgPrice ?? fill.fallbackPrice;
    // The venue averages over all the order's fills: this execution's price is what it adds to the average.
    const price = booked > 0 ? (avg * report.filledSize - account.position!.entryPrice * booked) / more : avg;
    const filled = bookFill(
      acc,
      current,
      { price, size: more, fee: more * price * fill.feeRate, atMs: fill.atMs },
      BAR_MS,
    );
    acc = filled.account;
    current = filled.order;
    events.push(...filled.events);
  }
  switch (report.status) {
    case 'open':
    case 'partially_filled':
      return {
        account: acc,
        order: current.status === 'submitted' ? transitionOrder(current, 'open') : current,
        events,
        rests: true,
      };
    case 'filled':
      return {
        account: acc,
        order: current.status === 'filled' ? current : transitionOrder(current, 'filled'),
        events,
        rests: false,
      };
    case 'expired':
    case 'cancelled':
    case 'rejected': {
      // The rest of the order is gone at the venue: the paper exchange's expire or cancel, for what did not fill.
      const ended =
        report.status === 'expired' ? expireOrder(current, fill.atMs) : cancelOrder(current, fill.atMs, fill.reason);
      return { account: acc, order: ended.order, events: [...events, ended.event], rests: false };
    }
    default:
      throw new Error(`order ${order.orderId}: the venue reports status ${report.status}, which no venue order has`);
  }
}

export function createLiveExchange(
  gateway: CcxtGateway,
  costs: ExchangeCosts = ExchangeCostsSchema.parse({}),
  options: LiveExchangeOptions = {},
): LiveExchange {
  const tolerance = options.walletDriftTolerance ?? 0.01;
  const now = options.now ?? (() => Date.now());

  /** The venue's average fill of an order we placed under `clientOrderId`, when it reports one. */
  async function fillPriceOf(clientOrderId: string | undefined, conditional = false): Promise<number | null> {
    if (!clientOrderId) return null;
    const found = await gateway.findByClientOrderId(clientOrderId, conditional);
    const avg = Number(found?.average ?? 0);
    return avg > 0 ? avg : null;
  }

  /** Book the close of our position the venue no longer holds (stop, take-profit, liquidation, a hand on the UI). */
  async function bookVenueClose(
    account: Account,
    p: Position,
    mark: number,
    openIds: ReadonlySet<string | null>,
    atMs: number,
  ): Promise<Step> {
    const slGone = !openIds.has(stopLossId(p.orderId));
    const tpGone = !openIds.has(takeProfitId(p.orderId));
    const exit =
      (slGone && !tpGone ? await fillPriceOf(stopLossId(p.orderId), true) : null) ??
      (tpGone && !slGone ? await fillPriceOf(takeProfitId(p.orderId), true) : null) ??
      mark;
    return closePositionAt(account, exit, atMs, exitReasonOf(p, exit, openIds), costs.takerFee);
  }

  /** Our resting entry as the venue sees it now: still working (with what filled so far), or gone and looked up by its client order id. */
  async function reportOfResting(order: Order, account: Account, venue: ReconcileResult): Promise<VenueOrderReport> {
    const working = venue.openOrders.find((o) => !o.conditional && o.clientOrderId === order.orderId);
    if (working)
      return {
        status: working.filled > 0 ? 'partially_filled' : 'open',
        filledSize: working.filled,
        avgPrice: working.average,
        exchangeOrderId: working.id,
      };
    const report = await gateway.reportOf(order.orderId);
    if (report) return report;
    // The venue no longer knows the order: a position on its side the account does not hold is its fill, else it was cancelled.
    const p = venue.position;
    if (p && p.side === order.direction && !account.position)
      return { status: 'filled', filledSize: p.size, avgPrice: p.entryPrice, exchangeOrderId: '' };
    return { status: 'cancelled', filledSize: bookedSizeOf(account, order), avgPrice: null, exchangeOrderId: '' };
  }

  async function sync(account: Account, snapshot: MarketSnapshot) {
    const last = snapshot.candles.at(-1);
    const mark = last?.close ?? account.markPrice;
    const atMs = snapshot.barCloseMs;
    const venue = await gateway.reconcile(account);
    const openIds = new Set(venue.openOrders.map((o) => o.clientOrderId));
    const entryIds = new Set(venue.openOrders.filter((o) => !o.conditional).map((o) => o.clientOrderId));
    const events: AccountEvent[] = [];
    let acc: Account = { ...account, openOrders: [] };

    // Our resting entries: what the venue filled is booked as fills, what it dropped as cancels or expiries.
    for (const order of account.openOrders) {
      if (acc.position && acc.position.orderId !== order.orderId) {
        // Fills of this order could not be told from the position held: leave it as it is, for drift to report.
        acc = restOrder(acc, order);
        continue;
      }
      const report = await reportOfResting(order, acc, venue);
      const feeRate = order.orderType === 'limit' ? costs.makerFee : costs.takerFee;
      const applied = applyVenueReport(acc, order, report, {
        feeRate,
        fallbackPrice: mark,
        atMs,
        reason: 'no longer open at the venue',
      });
      acc = applied.rests ? restOrder(applied.account, applied.order) : applied.account;
      events.push(...applied.events);
    }
    if (acc.position && acc.position.side !== venue.position?.side) {
      const closed = await bookVenueClose(acc, acc.position, mark, openIds, atMs);
      acc = closed.account;
      events.push(...closed.events);
    }
    if (venue.position && !acc.position) {
      // A position no order of ours explains: booked through the same fill path as the order it implies, with no time exit.
      const implied = impliedOrder(venue.position, venue.openOrders, gateway.symbol, atMs);
      const { size, entryPrice } = venue.position;
      const adopted = bookFill(
        acc,
        implied,
        { price: entryPrice, size, fee: size * entryPrice * costs.takerFee, atMs },
        BAR_MS,
      );
      acc = { ...adopted.account, position: { ...adopted.account.position!, exitByMs: null } };
      events.push(...adopted.events);
    }

    // Protective legs whose entry is neither resting nor held would reduce the next position: cancel them.
    const guarded = new Set([...entryIds, acc.position?.orderId ?? null]);
    const orphans = venue.openOrders.filter((o) => o.conditional && !guarded.has(entryIdOf(o.clientOrderId)));
    let venueOrders = venue.openOrders;
    if (orphans.length > 0 && !venue.position && entryIds.size === 0) {
      await gateway.flatten('cancel protective orders left without a position');
      events.push(
        ...orphans.map((o): AccountEvent => ({
          type: 'cancel',
          orderId: o.clientOrderId ?? o.id,
          atMs,
          reason: 'protective order left without a position',
        })),
      );
      venueOrders = [];
    } else if (!venue.position) {
      // A resting entry's own legs are expected; only strangers are drift.
      venueOrders = venue.openOrders.filter((o) => !o.conditional || orphans.includes(o));
    }
    // Drift compares our record (with the venue's closes and fills booked) before it is overwritten.
    const drift = findDrift(acc, venue.position, venueOrders, venue.balance.total, tolerance);
    if (venue.position && acc.position) {
      const v = venue.position;
      acc = {
        ...acc,
        position: {
          ...acc.position,
          size: v.size,
          entryPrice: v.entryPrice,
          leverage: v.leverage ?? acc.position.leverage,
          liquidationPrice: v.liquidationPrice ?? acc.position.liquidationPrice,
        },
      };
    }
    acc = {
      ...acc,
      wallet: venue.balance.total,
      markPrice: mark,
      lastBarOpenMs: Math.max(acc.lastBarOpenMs, last?.t ?? 0),
    };
    return { account: acc, events, drift };
  }

  /** Cancel resting orders and close the position at the venue's fill of `closeId` (else `fallback`), as the paper exchange books them. */
  async function bookClearance(
    account: Account,
    atMs: number,
    reason: string,
    exitReason: ExitReason,
    closeId: string | undefined,
    fallback: number,
  ): Promise<Step> {
    const cancelled = cancelAllOrders(account, atMs, reason);
    if (!account.position) return cancelled;
    const closed = closePositionAt(
      cancelled.account,
      (await fillPriceOf(closeId)) ?? fallback,
      atMs,
      exitReason,
      costs.takerFee,
    );
    return { account: closed.account, events: [...cancelled.events, ...closed.events] };
  }

  /** Like the paper exchange, a new order replaces resting ones and closes an opposite position ('signal'). */
  async function clearTheWay(
    account: Account,
    order: Order,
    placedBefore: boolean,
    mark: number,
    atMs: number,
  ): Promise<Step> {
    const p = account.position;
    if (!p && account.openOrders.length === 0) return { account, events: [] };
    const reason = `replaced by ${order.orderId}`;
    const closeId = p ? closeIdOf(p.orderId) : undefined;
    // On a retry after the order went out, the first attempt already cleared the venue: only book it.
    if (!placedBefore) await gateway.flatten(reason, closeId);
    return bookClearance(account, atMs, reason, 'signal', closeId, mark);
  }

  async function execute(account: Account, order: Order, bar: Candle) {
    const atMs = bar.t + BAR_MS;
    const submitted = transitionOrder(order, 'submitted');
    const finish = (step: Step, current: Order) => ({
      account: { ...step.account, markPrice: bar.close },
      order: current,
      events: step.events,
    });
    const reject = (step: Step, reason: string) =>
      finish(
        { ...step, events: [...step.events, { type: 'reject', orderId: order.orderId, atMs, reason }] },
        transitionOrder(submitted, 'rejected'),
      );

    const placedBefore = (await gateway.findByClientOrderId(order.orderId)) !== null;
    if (!placedBefore && account.position?.side === order.direction)
      return reject({ account, events: [] }, `a ${order.direction} position is already open`);
    const cleared = await clearTheWay(account, order, placedBefore, bar.close, atMs);
    let result;
    try {
      await gateway.prepare(order.leverage);
      result = await gateway.submit(order);
    } catch (e) {
      // Refusals no retry can change end the order, as in paper trading; everything else is for Temporal to retry.
      const refused =
        e instanceof ClassifiedError &&
        (e.type === FailureType.ExchangeInsufficientFunds || e.type === FailureType.ExchangeInvalidOrder);
      if (!refused) throw e;
      return reject(cleared, e.message);
    }
    // Ended at once with nothing filled: no order happened, a reject as in paper trading.
    const ended = result.status === 'rejected' || result.status === 'cancelled' || result.status === 'expired';
    if (ended && result.filledSize === 0) return reject(cleared, `venue answered ${result.status}`);
    // Immediate fills take liquidity (taker), as the paper exchange's fills at submission.
    const applied = applyVenueReport(cleared.account, submitted, result, {
      feeRate: costs.takerFee,
      fallbackPrice: order.limitPrice ?? bar.close,
      atMs,
      reason: `venue answered ${result.status}`,
    });
    const acc = applied.rests ? restOrder(applied.account, applied.order) : applied.account;
    return finish({ account: acc, events: [...cleared.events, ...applied.events] }, applied.order);
  }

  async function flatten(account: Account, reason: string) {
    const p = account.position;
    const atMs = now();
    const closeId = p ? closeIdOf(p.orderId) : undefined;
    await gateway.flatten(reason, closeId);
    const fallback = account.markPrice > 0 ? account.markPrice : (p?.entryPrice ?? 0);
    const { account: acc, events } = await bookClearance(account, atMs, reason, 'emergency_stop', closeId, fallback);
    const venue = await gateway.reconcile(acc);
    // A kill switch that leaves a position must fail loudly and be retried, never report success.
    if (venue.position)
      throw new ClassifiedError(
        FailureType.ExchangeNetwork,
        `venue still holds a ${venue.position.side} ${venue.position.size} position after flatten`,
        true,
      );
    return { account: { ...acc, wallet: venue.balance.total }, events };
  }

  return { sync, execute, flatten };
}
