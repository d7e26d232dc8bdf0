import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BTCUSDT_TIERS } from '../../domain/exchange/tiers';
import { EXCHANGE_INFO } from './fake-market-exchange';

/**
 * A loopback stand-in for Binance USDⓈ-M futures, answered with Binance's JSON shapes and error codes
 * so that ccxt's own parsing and error mapping run for real. Tests route ccxt to it with
 * `exchange.fetchImplementation = fake.fetch` (real URLs, rewritten to loopback).
 */

/** What the next POST /fapi/v1/order does. */
export type OrderBehaviour = 'fill' | 'partial' | 'rest' | 'insufficient' | 'acceptThenTimeout' | 'rateLimit';

interface FakeOrder {
  orderId: number;
  clientOrderId: string;
  side: 'BUY' | 'SELL';
  type: string;
  origQty: number;
  executedQty: number;
  price: number;
  avgPrice: number;
  status: 'NEW' | 'PARTIALLY_FILLED' | 'FILLED' | 'CANCELED';
  reduceOnly: boolean;
  triggerPrice: number;
  algo: boolean;
}

const SYMBOL = 'BTCUSDT';

export class FakeExchangeServer {
  /** Every request as "METHOD /path", in order. */
  readonly requests: string[] = [];
  /** Hosts ccxt addressed (proves testnet/demo vs mainnet). */
  readonly hosts = new Set<string>();
  readonly orders: FakeOrder[] = [];
  markPrice = 30_000;
  walletBalance = 10_000;
  leverage = 20;
  marginType: 'cross' | 'isolated' = 'cross';
  /** Signed position size (one-way mode), entry price. */
  position = { amount: 0, entryPrice: 0 };
  private readonly behaviours: OrderBehaviour[] = [];
  private timeoutPending = false;
  private server: Server | null = null;
  private port = 0;

  /** Number of orders the venue accepted (entry and conditional): the duplicate detector. */
  get acceptedOrders(): number {
    return this.orders.length;
  }

  /** Script the next entry orders' behaviour, in order; unscripted orders fill. */
  scriptOrders(...behaviours: OrderBehaviour[]): void {
    this.behaviours.push(...behaviours);
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve, reject) => this.server?.close((e) => (e ? reject(e) : resolve())) ?? resolve());
  }

  /** A fetch for `exchange.fetchImplementation`: same path and query, loopback host. */
  readonly fetch = async (url: string, init: RequestInit): Promise<Response> => {
    const u = new URL(url);
    this.hosts.add(u.host);
    const response = await fetch(`http://127.0.0.1:${this.port}${u.pathname}${u.search}`, {
      method: init.method,
      headers: init.headers,
      body: init.body,
    });
    if (this.timeoutPending) {
      // The venue accepted the order but the answer never arrived: what ccxt sees as an aborted request.
      this.timeoutPending = false;
      await response.text();
      throw new DOMException('The operation was aborted.', 'AbortError');
    }
    return response;
  };

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const url = new URL(req.url ?? '/', 'http://fake');
    const params = new URLSearchParams(url.search);
    new URLSearchParams(Buffer.concat(chunks).toString()).forEach((v, k) => params.set(k, v));
    const route = `${req.method} ${url.pathname}`;
    this.requests.push(route);
    const send = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
      res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    const error = (code: number, msg: string, status = 400): void => send(status, { code, msg });
    const p = (k: string): string | null => params.get(k);

    switch (route) {
      case 'GET /fapi/v1/exchangeInfo':
        return send(200, EXCHANGE_INFO);
      case 'POST /fapi/v1/marginType':
        if (p('marginType')?.toLowerCase() === this.marginType) return error(-4046, 'No need to change margin type.');
        this.marginType = p('marginType')?.toLowerCase() === 'isolated' ? 'isolated' : 'cross';
        return send(200, { code: 200, msg: 'success' });
      case 'POST /fapi/v1/leverage':
        this.leverage = Number(p('leverage'));
        return send(200, { leverage: this.leverage, maxNotionalValue: '80000000', symbol: SYMBOL });
      case 'POST /fapi/v1/order':
        return this.createOrder(params, send, error);
      case 'POST /fapi/v1/algoOrder':
        return this.createAlgoOrder(params, send, error);
      case 'GET /fapi/v1/order': {
        const o = this.orders.find(
          (x) => !x.algo && (x.clientOrderId === p('origClientOrderId') || String(x.orderId) === p('orderId')),
        );
        return o ? send(200, this.toJson(o)) : error(-2013, 'Order does not exist.');
      }
      case 'GET /fapi/v1/algoOrder': {
        const o = this.orders.find(
          (x) => x.algo && (x.clientOrderId === p('clientAlgoId') || String(x.orderId) === p('algoId')),
        );
        return o ? send(200, this.toAlgoJson(o)) : error(-2013, 'Order does not exist.');
      }
      case 'GET /fapi/v1/openOrders':
        return send(
          200,
          this.orders.filter((o) => !o.algo && this.isOpen(o)).map((o) => this.toJson(o)),
        );
      case 'GET /fapi/v1/openAlgoOrders':
        return send(
          200,
          this.orders.filter((o) => o.algo && this.isOpen(o)).map((o) => this.toAlgoJson(o)),
        );
      case 'DELETE /fapi/v1/allOpenOrders':
      case 'DELETE /fapi/v1/algoOpenOrders': {
        const algo = route.includes('algo');
        for (const o of this.orders) if (o.algo === algo && this.isOpen(o)) o.status = 'CANCELED';
        return send(200, { code: 200, msg: 'The operation of cancel all open order is done.' });
      }
      case 'GET /fapi/v1/leverageBracket':
        return send(200, [
          {
            symbol: SYMBOL,
            brackets: BTCUSDT_TIERS.map((t) => ({
              bracket: t.tier,
              initialLeverage: t.maxLeverage,
              notionalCap: Number.isFinite(t.notionalCap) ? t.notionalCap : 9e18,
              notionalFloor: t.notionalFloor,
              maintMarginRatio: t.mmr,
              cum: t.cum,
            })),
          },
        ]);
      case 'GET /fapi/v3/positionRisk':
        return send(200, this.positionJson());
      case 'GET /fapi/v3/account':
        return send(200, this.accountJson());
      default:
        return error(-1000, `fake exchange: no route ${route}`, 404);
    }
  }

  private isOpen(o: FakeOrder): boolean {
    return o.status === 'NEW' || o.status === 'PARTIALLY_FILLED';
  }

  private createOrder(
    params: URLSearchParams,
    send: (s: number, b: unknown, h?: Record<string, string>) => void,
    error: (c: number, m: string, s?: number) => void,
  ): void {
    const behaviour = this.behaviours.shift() ?? 'fill';
    if (behaviour === 'rateLimit')
      return send(
        429,
        { code: -1003, msg: 'Too many requests; current limit is 2400 request weight per 1 MINUTE.' },
        { 'Retry-After': '7' },
      );
    if (behaviour === 'insufficient') return error(-2019, 'Margin is insufficient.');
    const clientOrderId = params.get('newClientOrderId') ?? `fake-${this.orders.length}`;
    if (this.orders.some((o) => o.clientOrderId === clientOrderId)) return error(-4116, 'ClientOrderId is duplicated.');
    const qty = Number(params.get('quantity'));
    const type = params.get('type') ?? 'MARKET';
    const price = Number(params.get('price') ?? 0);
    const fillPrice = type === 'LIMIT' ? price : this.markPrice;
    const executed = behaviour === 'rest' ? 0 : behaviour === 'partial' ? Math.floor((qty / 2) * 1000) / 1000 : qty;
    const order: FakeOrder = {
      orderId: 1_000 + this.orders.length,
      clientOrderId,
      side: params.get('side') === 'SELL' ? 'SELL' : 'BUY',
      type,
      origQty: qty,
      executedQty: executed,
      price,
      avgPrice: executed > 0 ? fillPrice : 0,
      status: executed === 0 ? 'NEW' : executed < qty ? 'PARTIALLY_FILLED' : 'FILLED',
      reduceOnly: params.get('reduceOnly') === 'true',
      triggerPrice: 0,
      algo: false,
    };
    this.orders.push(order);
    this.applyFill(order.side === 'BUY' ? executed : -executed, fillPrice);
    if (behaviour === 'acceptThenTimeout') this.timeoutPending = true;
    send(200, this.toJson(order));
  }

  private createAlgoOrder(
    params: URLSearchParams,
    send: (s: number, b: unknown) => void,
    error: (c: number, m: string) => void,
  ): void {
    const clientOrderId = params.get('clientAlgoId') ?? `fake-algo-${this.orders.length}`;
    if (this.orders.some((o) => o.clientOrderId === clientOrderId)) return error(-4116, 'ClientOrderId is duplicated.');
    const order: FakeOrder = {
      orderId: 5_000 + this.orders.length,
      clientOrderId,
      side: params.get('side') === 'SELL' ? 'SELL' : 'BUY',
      type: params.get('type') ?? 'STOP_MARKET',
      origQty: Number(params.get('quantity')),
      executedQty: 0,
      price: 0,
      avgPrice: 0,
      status: 'NEW',
      reduceOnly: params.get('reduceOnly') === 'true',
      triggerPrice: Number(params.get('triggerPrice') ?? params.get('stopPrice')),
      algo: true,
    };
    this.orders.push(order);
    send(200, this.toAlgoJson(order));
  }

  private applyFill(signedQty: number, price: number): void {
    const pos = this.position;
    const next = Number((pos.amount + signedQty).toFixed(3));
    if (pos.amount === 0 || Math.sign(signedQty) === Math.sign(pos.amount)) {
      pos.entryPrice = next === 0 ? 0 : (pos.amount * pos.entryPrice + signedQty * price) / next;
    } else if (next === 0) {
      pos.entryPrice = 0;
    }
    pos.amount = next;
  }

  private toJson(o: FakeOrder): Record<string, unknown> {
    return {
      orderId: o.orderId,
      symbol: SYMBOL,
      status: o.status,
      clientOrderId: o.clientOrderId,
      price: String(o.price),
      avgPrice: String(o.avgPrice),
      origQty: String(o.origQty),
      executedQty: String(o.executedQty),
      cumQty: String(o.executedQty),
      cumQuote: String(o.executedQty * o.avgPrice),
      timeInForce: 'GTC',
      type: o.type,
      reduceOnly: o.reduceOnly,
      closePosition: false,
      side: o.side,
      positionSide: 'BOTH',
      stopPrice: '0',
      workingType: 'CONTRACT_PRICE',
      priceProtect: false,
      origType: o.type,
      updateTime: 1_700_000_000_000,
    };
  }

  private toAlgoJson(o: FakeOrder): Record<string, unknown> {
    return {
      algoId: o.orderId,
      clientAlgoId: o.clientOrderId,
      algoType: 'CONDITIONAL',
      orderType: o.type,
      symbol: SYMBOL,
      side: o.side,
      positionSide: 'BOTH',
      timeInForce: 'GTC',
      quantity: String(o.origQty),
      algoStatus: o.status === 'CANCELED' ? 'CANCELED' : 'NEW',
      triggerPrice: String(o.triggerPrice),
      price: '0',
      icebergQuantity: null,
      selfTradePreventionMode: 'EXPIRE_MAKER',
      workingType: 'CONTRACT_PRICE',
      priceMatch: 'NONE',
      closePosition: false,
      priceProtect: false,
      reduceOnly: o.reduceOnly,
      createTime: 1_700_000_000_000,
      updateTime: 1_700_000_000_000,
      triggerTime: 0,
      goodTillDate: 0,
    };
  }

  private positionJson(): Record<string, unknown>[] {
    const { amount, entryPrice } = this.position;
    if (amount === 0) return [];
    const notional = amount * this.markPrice;
    const margin = Math.abs(amount * entryPrice) / this.leverage;
    return [
      {
        symbol: SYMBOL,
        positionSide: 'BOTH',
        positionAmt: amount.toFixed(3),
        entryPrice: String(entryPrice),
        breakEvenPrice: String(entryPrice),
        markPrice: String(this.markPrice),
        unRealizedProfit: String(amount * (this.markPrice - entryPrice)),
        liquidationPrice: '0',
        isolatedMargin: String(margin),
        notional: String(notional),
        marginAsset: 'USDT',
        isolatedWallet: String(margin),
        initialMargin: String(margin),
        maintMargin: '0',
        positionInitialMargin: String(margin),
        openOrderInitialMargin: '0',
        adl: 1,
        bidNotional: '0',
        askNotional: '0',
        updateTime: 1_700_000_000_000,
      },
    ];
  }

  private accountJson(): Record<string, unknown> {
    const w = String(this.walletBalance);
    return {
      totalInitialMargin: '0',
      totalMaintMargin: '0',
      totalWalletBalance: w,
      totalUnrealizedProfit: '0',
      totalMarginBalance: w,
      totalPositionInitialMargin: '0',
      totalOpenOrderInitialMargin: '0',
      totalCrossWalletBalance: w,
      totalCrossUnPnl: '0',
      availableBalance: w,
      maxWithdrawAmount: w,
      assets: [
        {
          asset: 'USDT',
          walletBalance: w,
          unrealizedProfit: '0',
          marginBalance: w,
          maintMargin: '0',
          initialMargin: '0',
          positionInitialMargin: '0',
          openOrderInitialMargin: '0',
          crossWalletBalance: w,
          crossUnPnl: '0',
          availableBalance: w,
          maxWithdrawAmount: w,
          updateTime: 1_700_000_000_000,
        },
      ],
      positions: [],
    };
  }
}
