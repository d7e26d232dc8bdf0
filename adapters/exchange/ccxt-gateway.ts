import type * as ccxt from 'ccxt';
import { ccxtLib } from './ccxt-lib';
import { ClassifiedError, FailureType } from '../../domain/failures';
import type { Account } from '../../domain/schemas/account';
import type { Order, OrderStatus } from '../../domain/schemas/trade';
import { classifyCcxtError, isAmbiguousFailure, readRetryAfterMs } from './ccxt-errors';
import { findDrift, toVenueOrder, toVenuePosition, type VenueOrder, type VenuePosition } from './venue-state';

export type { VenueOrder, VenuePosition } from './venue-state';

export interface CcxtGatewayOptions {
  /** A ccxt exchange built by the caller with its API keys; the gateway never logs them. */
  exchange: ccxt.Exchange;
  /** ccxt unified symbol, e.g. 'BTC/USDT:USDT'. */
  symbol: string;
  /** Trade real money on the production venue. When false the exchange is switched to demo trading or its sandbox. @default false */
  allowMainnet?: boolean;
  /** Relative wallet difference between our record and the venue that reconcile reports as drift. @default 0.01 */
  walletDriftTolerance?: number;
}

/**
 * What the venue says of one of our orders: its status (open, partially_filled while it still
 * works, filled, cancelled, expired, rejected) and the size filled so far at its average price.
 */
export interface VenueOrderReport {
  status: OrderStatus;
  filledSize: number;
  avgPrice: number | null;
  exchangeOrderId: string;
}

/** The venue's answer to a placement. */
export type SubmitResult = VenueOrderReport;

export interface ReconcileResult {
  position: VenuePosition | null;
  openOrders: VenueOrder[];
  balance: { total: number; free: number };
  drift: string[];
}

/** Thrown when a gateway would trade real money without `allowMainnet` (no demo or sandbox to switch to). */
export class MainnetNotAllowed extends ClassifiedError {
  constructor(exchangeId: string) {
    super(
      FailureType.ConfigInvalid,
      `${exchangeId} has no demo or sandbox environment and allowMainnet is false`,
      false,
    );
    this.name = 'MainnetNotAllowed';
  }
}

/** Client ids of the protective orders derived from the entry's id (Binance allows 36 chars; ours are 18 + 3). */
export const stopLossId = (orderId: string): string => `${orderId}-sl`;
export const takeProfitId = (orderId: string): string => `${orderId}-tp`;

function switchToTestEnvironment(exchange: ccxt.Exchange): void {
  if (exchange.isSandboxModeEnabled || exchange.options['enableDemoTrading'] === true) return;
  // Binance retired the futures testnet in ccxt in favour of demo trading; prefer it where offered.
  const demo = (exchange as unknown as { enableDemoTrading?: (enable: boolean) => void }).enableDemoTrading;
  if (typeof demo === 'function' && exchange.urls['demo'] !== undefined) return demo.call(exchange, true);
  if (exchange.urls['test'] !== undefined) return exchange.setSandboxMode(true);
  throw new MainnetNotAllowed(exchange.id);
}

/** ccxt's order status in the order state machine's terms; a cancelled order may have filled in part (filledSize says how much). */
function mapStatus(order: ccxt.Order): OrderStatus {
  switch (order.status) {
    case 'closed':
      return 'filled';
    case 'canceled':
      return 'cancelled';
    case 'expired':
      return 'expired';
    case 'rejected':
      return 'rejected';
    default:
      return (order.filled ?? 0) > 0 ? 'partially_filled' : 'open';
  }
}

function toReport(order: ccxt.Order): VenueOrderReport {
  const avg = Number(order.average ?? 0);
  return {
    status: mapStatus(order),
    filledSize: order.filled ?? 0,
    avgPrice: avg > 0 ? avg : null,
    exchangeOrderId: String(order.id),
  };
}

/**
 * Live execution through ccxt: isolated margin, one-way mode, idempotent placement by client
 * order id, reduce-only protective orders, reconciliation and flattening. Every ccxt error leaves
 * as a ClassifiedError.
 */
export class CcxtGateway {
  private readonly exchange: ccxt.Exchange;
  /** The ccxt unified symbol traded. */
  readonly symbol: string;
  private readonly walletDriftTolerance: number;

  constructor(options: CcxtGatewayOptions) {
    this.exchange = options.exchange;
    this.symbol = options.symbol;
    this.walletDriftTolerance = options.walletDriftTolerance ?? 0.01;
    if (options.allowMainnet !== true) switchToTestEnvironment(this.exchange);
  }

  /** Isolated margin and the leverage for the next order. */
  async prepare(leverage: number): Promise<void> {
    await this.call(() => this.exchange.loadMarkets());
    try {
      await this.exchange.setMarginMode('isolated', this.symbol);
    } catch (e) {
      // Binance answers -4046 "No need to change margin type." when the symbol is already isolated.
      if (!(e instanceof ccxtLib().MarginModeAlreadySet)) throw classifyCcxtError(e, readRetryAfterMs(this.exchange));
    }
    await this.call(() => this.exchange.setLeverage(Math.round(leverage), this.symbol));
  }

  /**
   * Place the order once: an order already at the venue under this client id is returned as is,
   * and a timeout after sending is resolved by looking the id up, never by sending again. Then the
   * reduce-only stop-loss and take-profit are placed the same way.
   */
  async submit(order: Order, options: { reduceOnly?: boolean } = {}): Promise<SubmitResult> {
    await this.call(() => this.exchange.loadMarkets());
    const { amount, price } = this.checkOrder(order);
    let placed = await this.findByClientOrderId(order.orderId);
    if (!placed) {
      const side = order.direction === 'long' ? 'buy' : 'sell';
      const params: Record<string, unknown> = {
        clientOrderId: order.orderId,
        ...(options.reduceOnly ? { reduceOnly: true } : {}),
      };
      placed = await this.placeOnce(order.orderId, false, () =>
        this.exchange.createOrder(this.symbol, order.orderType, side, amount, price, params),
      );
    }
    if (!options.reduceOnly) await this.protect(order, amount);
    return toReport(placed);
  }

  /** What the venue says of the order we placed under `clientOrderId`, or null when it has none. */
  async reportOf(clientOrderId: string): Promise<VenueOrderReport | null> {
    const found = await this.findByClientOrderId(clientOrderId);
    return found ? toReport(found) : null;
  }

  /** The order (or, with `conditional`, the algo order) with this client id, or null when the venue has none. */
  async findByClientOrderId(clientOrderId: string, conditional = false): Promise<ccxt.Order | null> {
    try {
      const params = { origClientOrderId: clientOrderId, ...(conditional ? { trigger: true } : {}) };
      return await this.exchange.fetchOrder(undefined as unknown as string, this.symbol, params);
    } catch (e) {
      if (e instanceof ccxtLib().OrderNotFound) return null;
      throw classifyCcxtError(e, readRetryAfterMs(this.exchange));
    }
  }

  /** Position, open orders (entry and protective) and balance at the venue, with what differs from `expected`. */
  async reconcile(expected: Account): Promise<ReconcileResult> {
    await this.call(() => this.exchange.loadMarkets());
    const position = await this.fetchPosition();
    const entries = await this.call(() => this.exchange.fetchOpenOrders(this.symbol));
    const protective = await this.call(() =>
      this.exchange.fetchOpenOrders(this.symbol, undefined, undefined, { trigger: true }),
    );
    const openOrders = [...entries.map((o) => toVenueOrder(o, false)), ...protective.map((o) => toVenueOrder(o, true))];
    const raw = await this.call(() => this.exchange.fetchBalance());
    const usdt = (raw as unknown as Record<string, { total?: number; free?: number } | undefined>)['USDT'];
    const balance = { total: Number(usdt?.total ?? 0), free: Number(usdt?.free ?? 0) };
    const drift = findDrift(expected, position, openOrders, balance.total, this.walletDriftTolerance);
    return { position, openOrders, balance, drift };
  }

  /** Cancel every open order (entry and protective) and close any position with a reduce-only market order. */
  async flatten(reason: string, clientOrderId?: string): Promise<{ reason: string; closed: VenuePosition | null }> {
    await this.call(() => this.exchange.loadMarkets());
    await this.call(() => this.exchange.cancelAllOrders(this.symbol));
    await this.call(() => this.exchange.cancelAllOrders(this.symbol, { trigger: true }));
    const position = await this.fetchPosition();
    if (!position) return { reason, closed: null };
    const side = position.side === 'long' ? 'sell' : 'buy';
    const params = { reduceOnly: true, ...(clientOrderId ? { clientOrderId } : {}) };
    try {
      await this.exchange.createOrder(this.symbol, 'market', side, position.size, undefined, params);
    } catch (e) {
      // After an ambiguous failure the position itself says whether the close went through.
      if (!isAmbiguousFailure(e) || (await this.fetchPosition()) !== null)
        throw classifyCcxtError(e, readRetryAfterMs(this.exchange));
    }
    return { reason, closed: position };
  }

  private async fetchPosition(): Promise<VenuePosition | null> {
    const positions = await this.call(() => this.exchange.fetchPositions([this.symbol]));
    return positions.map((p) => toVenuePosition(p, this.symbol)).find((p) => p !== null) ?? null;
  }

  /** Round to the market's precision and refuse what the venue would refuse (min amount, min notional). */
  private checkOrder(order: Order): { amount: number; price: number | undefined } {
    const market = this.exchange.market(this.symbol);
    const amount = Number(this.exchange.amountToPrecision(this.symbol, order.size));
    const price =
      order.orderType === 'limit' && order.limitPrice !== null
        ? Number(this.exchange.priceToPrecision(this.symbol, order.limitPrice))
        : undefined;
    const minAmount = market.limits.amount?.min ?? 0;
    const minCost = market.limits.cost?.min ?? 0;
    const cost = amount * (price ?? order.currentPrice);
    if (!(amount > 0) || amount < minAmount) {
      throw new ClassifiedError(
        FailureType.ExchangeInvalidOrder,
        `amount ${amount} below the market minimum ${minAmount}`,
        false,
      );
    }
    if (cost < minCost)
      throw new ClassifiedError(
        FailureType.ExchangeInvalidOrder,
        `notional ${cost.toFixed(2)} below the market minimum ${minCost}`,
        false,
      );
    return { amount, price };
  }

  private async protect(order: Order, amount: number): Promise<void> {
    const side = order.direction === 'long' ? 'sell' : 'buy';
    const legs = [
      {
        id: stopLossId(order.orderId),
        params: { stopLossPrice: Number(this.exchange.priceToPrecision(this.symbol, order.stopLoss)) },
      },
      {
        id: takeProfitId(order.orderId),
        params: { takeProfitPrice: Number(this.exchange.priceToPrecision(this.symbol, order.takeProfit)) },
      },
    ];
    for (const leg of legs) {
      if (await this.findByClientOrderId(leg.id, true)) continue;
      const params = { ...leg.params, reduceOnly: true, clientOrderId: leg.id };
      await this.placeOnce(leg.id, true, () =>
        this.exchange.createOrder(this.symbol, 'market', side, amount, undefined, params),
      );
    }
  }

  /** Send once; after an ambiguous failure (timeout, dropped connection) look the id up instead of resending. */
  private async placeOnce(
    clientOrderId: string,
    conditional: boolean,
    send: () => Promise<ccxt.Order>,
  ): Promise<ccxt.Order> {
    try {
      return await send();
    } catch (e) {
      const classified = classifyCcxtError(e, readRetryAfterMs(this.exchange));
      if (!isAmbiguousFailure(e)) throw classified;
      const found = await this.findByClientOrderId(clientOrderId, conditional);
      if (found) return found;
      throw classified;
    }
  }

  private async call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      throw classifyCcxtError(e, readRetryAfterMs(this.exchange));
    }
  }
}
