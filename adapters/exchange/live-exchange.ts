import { transitionOrder } from '../../domain/exchange/order-state';
import { closePositionAt } from '../../domain/exchange/paper-account';
import { initialMargin, liquidationPriceForPosition, signOf } from '../../domain/exchange/perp-math';
import { ClassifiedError, FailureType } from '../../domain/failures';
import type { Account, AccountEvent, ExitReason, Position } from '../../domain/schemas/account';
import { BAR_MS, ExchangeCostsSchema, type ExchangeCosts } from '../../domain/schemas/config';
import type { Candle, MarketSnapshot } from '../../domain/schemas/market';
import type { Order, OrderStatus } from '../../domain/schemas/trade';
import { stopLossId, takeProfitId, type CcxtGateway, type VenueOrder, type VenuePosition } from './ccxt-gateway';
import { findDrift } from './venue-state';

/**
 * The fund's Account kept as a mirror of a live venue. Structurally the LiveExchange of
 * activities/live-exchange.ts (adapters do not import activities; workers/ checks the fit).
 */
export interface LiveMirror {
  sync(account: Account, snapshot: MarketSnapshot): Promise<{ account: Account; events: AccountEvent[]; drift: string[] }>;
  execute(account: Account, order: Order, bar: Candle): Promise<{ account: Account; order: Order; events: AccountEvent[] }>;
  flatten(account: Account, reason: string): Promise<{ account: Account; events: AccountEvent[] }>;
}

export interface LiveExchangeOptions {
  /** Relative wallet difference reported as drift. @default 0.01 */
  walletDriftTolerance?: number;
  /** Clock for the kill switch's close time (flatten gets no bar). @default Date.now */
  now?: () => number;
}

type Step = { account: Account; events: AccountEvent[] };

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

/** What we know of the order a venue position came from; null = opened outside the desk. */
interface PositionSource { orderId: string; traderId: string; stopLoss: number; takeProfit: number; leverage: number; horizonBars: number | null; maker: boolean }

function sourceFromOrder(o: Order): PositionSource {
  return { orderId: o.orderId, traderId: o.traderId, stopLoss: o.stopLoss, takeProfit: o.takeProfit, leverage: o.leverage, horizonBars: o.horizonBars, maker: o.orderType === 'limit' };
}

/** A position the account did not know, recognised by its protective orders when the desk placed it. */
function sourceFromVenue(position: VenuePosition, openOrders: readonly VenueOrder[]): PositionSource {
  const legs = openOrders.filter((o) => o.conditional && entryIdOf(o.clientOrderId) !== null);
  const sl = legs.find((o) => o.clientOrderId?.endsWith('-sl'));
  const tp = legs.find((o) => o.clientOrderId?.endsWith('-tp'));
  const orderId = entryIdOf((sl ?? tp)?.clientOrderId ?? null) ?? 'external';
  // Unknown stops are booked at the entry (zero initial risk) rather than invented.
  return {
    orderId, traderId: orderId === 'external' ? 'external' : 'unknown', stopLoss: sl?.triggerPrice || position.entryPrice,
    takeProfit: tp?.triggerPrice || position.entryPrice, leverage: position.leverage ?? 1, horizonBars: null, maker: false,
  };
}

function buildPosition(src: PositionSource, size: number, entryPrice: number, atMs: number, fee: number, venue: VenuePosition | null): Position {
  const leverage = Math.max(1, venue?.leverage ?? src.leverage);
  const margin = initialMargin(size * entryPrice, leverage);
  return {
    orderId: src.orderId, traderId: src.traderId, side: venue?.side ?? 'long', size, entryPrice, leverage, margin,
    liquidationPrice: venue?.liquidationPrice ?? liquidationPriceForPosition(venue?.side ?? 'long', size, entryPrice, margin),
    takeProfit: src.takeProfit, stopLoss: src.stopLoss, openedAtMs: atMs,
    exitByMs: src.horizonBars === null ? null : atMs + src.horizonBars * BAR_MS, fees: fee, funding: 0,
  };
}

function openFill(account: Account, pos: Position, fee: number, atMs: number): Step {
  return {
    account: { ...account, position: pos, wallet: account.wallet - fee, fees: account.fees + fee },
    events: [{ type: 'fill', orderId: pos.orderId, price: pos.entryPrice, size: pos.size, fee, atMs }],
  };
}

export function createLiveExchange(gateway: CcxtGateway, costs: ExchangeCosts = ExchangeCostsSchema.parse({}), options: LiveExchangeOptions = {}): LiveMirror {
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
  async function bookVenueClose(account: Account, p: Position, mark: number, openIds: ReadonlySet<string | null>, atMs: number): Promise<Step> {
    const slGone = !openIds.has(stopLossId(p.orderId));
    const tpGone = !openIds.has(takeProfitId(p.orderId));
    const exit = (slGone && !tpGone ? await fillPriceOf(stopLossId(p.orderId), true) : null)
      ?? (tpGone && !slGone ? await fillPriceOf(takeProfitId(p.orderId), true) : null)
      ?? mark;
    return closePositionAt(account, exit, atMs, exitReasonOf(p, exit, openIds), costs.takerFee);
  }

  async function sync(account: Account, snapshot: MarketSnapshot) {
    const last = snapshot.candles.at(-1);
    const mark = last?.close ?? account.markPrice;
    const atMs = snapshot.barCloseMs;
    const venue = await gateway.reconcile(account);
    const openIds = new Set(venue.openOrders.map((o) => o.clientOrderId));
    const entryIds = new Set(venue.openOrders.filter((o) => !o.conditional).map((o) => o.clientOrderId));
    const events: AccountEvent[] = [];
    const gone = account.openOrders.filter((o) => !entryIds.has(o.orderId));
    let acc: Account = { ...account, openOrders: account.openOrders.filter((o) => entryIds.has(o.orderId)) };

    if (acc.position && acc.position.side !== venue.position?.side) {
      const closed = await bookVenueClose(acc, acc.position, mark, openIds, atMs);
      acc = closed.account;
      events.push(...closed.events);
    }
    let filledFrom: string | null = null;
    if (venue.position && !acc.position) {
      // A resting entry of ours that filled (fully: gone; partly: still resting), else a stranger.
      const order = [...gone, ...acc.openOrders].find((o) => o.direction === venue.position!.side);
      const src = order ? sourceFromOrder(order) : sourceFromVenue(venue.position, venue.openOrders);
      const fee = venue.position.size * venue.position.entryPrice * (src.maker ? costs.makerFee : costs.takerFee);
      const opened = openFill(acc, buildPosition(src, venue.position.size, venue.position.entryPrice, atMs, fee, venue.position), fee, atMs);
      acc = opened.account;
      events.push(...opened.events);
      filledFrom = src.orderId;
    }
    for (const o of gone) {
      if (o.orderId !== filledFrom && o.orderId !== acc.position?.orderId) events.push({ type: 'cancel', orderId: o.orderId, atMs, reason: 'no longer open at the venue' });
    }

    // Protective legs whose entry is neither resting nor held would reduce the next position: cancel them.
    const guarded = new Set([...entryIds, acc.position?.orderId ?? null]);
    const orphans = venue.openOrders.filter((o) => o.conditional && !guarded.has(entryIdOf(o.clientOrderId)));
    let venueOrders = venue.openOrders;
    if (orphans.length > 0 && !venue.position && entryIds.size === 0) {
      await gateway.flatten('cancel protective orders left without a position');
      events.push(...orphans.map((o): AccountEvent => ({ type: 'cancel', orderId: o.clientOrderId ?? o.id, atMs, reason: 'protective order left without a position' })));
      venueOrders = [];
    } else if (!venue.position) {
      // A resting entry's own legs are expected; only strangers are drift.
      venueOrders = venue.openOrders.filter((o) => !o.conditional || orphans.includes(o));
    }
    // Drift compares our record (with the venue's closes and fills booked) before it is overwritten.
    const drift = findDrift(acc, venue.position, venueOrders, venue.balance.total, tolerance);
    if (venue.position && acc.position) {
      const v = venue.position;
      acc = { ...acc, position: { ...acc.position, size: v.size, entryPrice: v.entryPrice, leverage: v.leverage ?? acc.position.leverage, liquidationPrice: v.liquidationPrice ?? acc.position.liquidationPrice } };
    }
    acc = { ...acc, wallet: venue.balance.total, markPrice: mark, lastBarOpenMs: Math.max(acc.lastBarOpenMs, last?.t ?? 0) };
    return { account: acc, events, drift };
  }

  /** Like the paper exchange, a new order replaces resting ones and closes an opposite position ('signal'). */
  async function clearTheWay(account: Account, order: Order, placedBefore: boolean, mark: number, atMs: number): Promise<Step> {
    const p = account.position;
    if (!p && account.openOrders.length === 0) return { account, events: [] };
    const reason = `replaced by ${order.orderId}`;
    // On a retry after the order went out, the first attempt already cleared the venue: only book it.
    if (!placedBefore) await gateway.flatten(reason, p ? closeIdOf(p.orderId) : undefined);
    const events: AccountEvent[] = account.openOrders.map((o) => ({ type: 'cancel', orderId: o.orderId, atMs, reason }));
    let acc: Account = { ...account, openOrders: [] };
    if (p) {
      const closed = closePositionAt(acc, (await fillPriceOf(closeIdOf(p.orderId))) ?? mark, atMs, 'signal', costs.takerFee);
      acc = closed.account;
      events.push(...closed.events);
    }
    return { account: acc, events };
  }

  async function execute(account: Account, order: Order, bar: Candle) {
    const atMs = bar.t + BAR_MS;
    const submitted: Order = order.status === 'created' ? transitionOrder(order, 'submitted') : { ...order, status: 'submitted' };
    const finish = (status: OrderStatus, step: Step) => ({ account: { ...step.account, markPrice: bar.close }, order: transitionOrder(submitted, status), events: step.events });
    const reject = (step: Step, reason: string) => finish('rejected', { ...step, events: [...step.events, { type: 'reject', orderId: order.orderId, atMs, reason }] });

    const placedBefore = (await gateway.findByClientOrderId(order.orderId)) !== null;
    if (!placedBefore && account.position?.side === order.direction) return reject({ account, events: [] }, `a ${order.direction} position is already open`);
    const cleared = await clearTheWay(account, order, placedBefore, bar.close, atMs);
    let result;
    try {
      await gateway.prepare(order.leverage);
      result = await gateway.submit(order);
    } catch (e) {
      // Refusals no retry can change end the order, as in paper trading; everything else is for Temporal to retry.
      const refused = e instanceof ClassifiedError && (e.type === FailureType.ExchangeInsufficientFunds || e.type === FailureType.ExchangeInvalidOrder);
      if (!refused) throw e;
      return reject(cleared, e.message);
    }
    let step = cleared;
    if (result.filledSize > 0) {
      const price = result.avgPrice ?? order.limitPrice ?? bar.close;
      const fee = result.filledSize * price * costs.takerFee;
      const venueSide: VenuePosition = { side: order.direction, size: result.filledSize, entryPrice: price, liquidationPrice: null, leverage: order.leverage };
      const opened = openFill(step.account, buildPosition(sourceFromOrder(order), result.filledSize, price, atMs, fee, venueSide), fee, atMs);
      step = { account: opened.account, events: [...step.events, ...opened.events] };
    }
    const rests = result.status === 'open' || (result.status === 'partially_filled' && order.orderType === 'limit');
    if (rests) step = { ...step, account: { ...step.account, openOrders: [...step.account.openOrders, { ...submitted, status: result.status }] } };
    const dead = result.status === 'rejected' || result.status === 'cancelled' || result.status === 'expired';
    if (dead && result.filledSize === 0) return reject(step, `venue answered ${result.status}`);
    return finish(result.status, step);
  }

  async function flatten(account: Account, reason: string) {
    const p = account.position;
    const atMs = now();
    const closeId = p ? closeIdOf(p.orderId) : undefined;
    await gateway.flatten(reason, closeId);
    const events: AccountEvent[] = account.openOrders.map((o) => ({ type: 'cancel', orderId: o.orderId, atMs, reason }));
    let acc: Account = { ...account, openOrders: [] };
    if (p) {
      const fallback = account.markPrice > 0 ? account.markPrice : p.entryPrice;
      const closed = closePositionAt(acc, (await fillPriceOf(closeId)) ?? fallback, atMs, 'emergency_stop', costs.takerFee);
      acc = closed.account;
      events.push(...closed.events);
    }
    const venue = await gateway.reconcile(acc);
    // A kill switch that leaves a position must fail loudly and be retried, never report success.
    if (venue.position) throw new ClassifiedError(FailureType.ExchangeNetwork, `venue still holds a ${venue.position.side} ${venue.position.size} position after flatten`, true);
    return { account: { ...acc, wallet: venue.balance.total }, events };
  }

  return { sync, execute, flatten };
}
