import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Candle, FundingRate } from '../../domain/schemas/market';

/** A scripted answer that replaces the normal response of the next matching request. */
export interface ScriptedFault {
  /** Path prefix to match, e.g. '/fapi/v1/klines'. */
  path: string;
  status: number;
  body: string;
  headers?: Record<string, string>;
}

const BTCUSDT_INFO = {
  symbol: 'BTCUSDT',
  pair: 'BTCUSDT',
  contractType: 'PERPETUAL',
  deliveryDate: 4133404800000,
  onboardDate: 1569398400000,
  status: 'TRADING',
  maintMarginPercent: '2.5000',
  requiredMarginPercent: '5.0000',
  baseAsset: 'BTC',
  quoteAsset: 'USDT',
  marginAsset: 'USDT',
  pricePrecision: 2,
  quantityPrecision: 3,
  baseAssetPrecision: 8,
  quotePrecision: 8,
  underlyingType: 'COIN',
  underlyingSubType: ['PoW'],
  triggerProtect: '0.0500',
  liquidationFee: '0.012500',
  marketTakeBound: '0.05',
  maxMoveOrderLimit: 10000,
  filters: [
    { filterType: 'PRICE_FILTER', minPrice: '556.80', maxPrice: '4529764', tickSize: '0.10' },
    { filterType: 'LOT_SIZE', minQty: '0.001', maxQty: '1000', stepSize: '0.001' },
    { filterType: 'MARKET_LOT_SIZE', minQty: '0.001', maxQty: '120', stepSize: '0.001' },
    { filterType: 'MAX_NUM_ORDERS', limit: 200 },
    { filterType: 'MAX_NUM_ALGO_ORDERS', limit: 10 },
    { filterType: 'MIN_NOTIONAL', notional: '100' },
    { filterType: 'PERCENT_PRICE', multiplierUp: '1.0500', multiplierDown: '0.9500', multiplierDecimal: '4' },
  ],
  orderTypes: ['LIMIT', 'MARKET', 'STOP', 'STOP_MARKET', 'TAKE_PROFIT', 'TAKE_PROFIT_MARKET', 'TRAILING_STOP_MARKET'],
  timeInForce: ['GTC', 'IOC', 'FOK', 'GTX', 'GTD'],
};

/** Canned GET /fapi/v1/exchangeInfo with the one market the desk trades (shape of Binance's answer). */
export const EXCHANGE_INFO = {
  timezone: 'UTC',
  serverTime: 1700000000000,
  futuresType: 'U_MARGINED',
  rateLimits: [],
  exchangeFilters: [],
  assets: [{ asset: 'USDT', marginAvailable: true, autoAssetExchange: '-10000' }],
  symbols: [BTCUSDT_INFO],
};

/**
 * A loopback stand-in for Binance USDⓈ-M's public REST API: klines (honouring startTime/limit,
 * so pagination is real), funding history, open-interest history and depth. Faults can be
 * scripted per path (429, 5xx, malformed bodies). Every request path is recorded.
 */
export class FakeMarketExchange {
  readonly requests: { path: string; query: URLSearchParams }[] = [];
  private faults: ScriptedFault[] = [];
  private server: Server | null = null;
  port = 0;

  constructor(
    public candles: Candle[],
    public fundingRates: FundingRate[] = [],
    public openInterestBtc: { t: number; oi: number }[] = [],
  ) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => this.handle(req, res));
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** Queues a fault for the next request whose path starts with `path`. */
  fail(fault: ScriptedFault): void {
    this.faults.push(fault);
  }

  /** A fetch for ccxt's `fetchImplementation`: keeps the real URL's path and query, sends it to this server. */
  readonly fetch = (
    url: string,
    init?: { method?: string; headers?: Record<string, string>; body?: string },
  ): Promise<Response> => {
    const u = new URL(url);
    return fetch(`http://127.0.0.1:${this.port}${u.pathname}${u.search}`, {
      method: init?.method ?? 'GET',
      ...(init?.headers ? { headers: init.headers } : {}),
      ...(init?.body ? { body: init.body } : {}),
    });
  };

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const u = new URL(req.url ?? '/', 'http://127.0.0.1');
    this.requests.push({ path: u.pathname, query: u.searchParams });
    const fault = this.faults.findIndex((f) => u.pathname.startsWith(f.path));
    if (fault >= 0) {
      const f = this.faults.splice(fault, 1)[0] as ScriptedFault;
      res.writeHead(f.status, { 'content-type': 'application/json', ...f.headers });
      res.end(f.body);
      return;
    }
    const json = (status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const q = u.searchParams;
    const start = Number(q.get('startTime') ?? 0);
    const limit = Number(q.get('limit') ?? 500);
    switch (u.pathname) {
      case '/fapi/v1/exchangeInfo':
        return json(200, EXCHANGE_INFO);
      case '/fapi/v1/klines': {
        const rows = this.candles.filter((c) => c.t >= start).slice(0, Math.min(limit, 1500));
        // Binance sends numbers as strings, except times.
        return json(
          200,
          rows.map((c) => [
            c.t,
            `${c.open}`,
            `${c.high}`,
            `${c.low}`,
            `${c.close}`,
            `${c.volume}`,
            c.t + 14_399_999,
            '0',
            1,
            '0',
            '0',
            '0',
          ]),
        );
      }
      case '/fapi/v1/fundingRate': {
        const rows = this.fundingRates.filter((f) => f.t >= start).slice(0, Math.min(limit, 1000));
        return json(
          200,
          rows.map((f) => ({ symbol: 'BTCUSDT', fundingTime: f.t, fundingRate: `${f.rate}`, markPrice: '30000.0' })),
        );
      }
      case '/futures/data/openInterestHist': {
        const rows = this.openInterestBtc.filter((p) => p.t >= start).slice(0, Math.min(limit, 500));
        return json(
          200,
          rows.map((p) => ({
            symbol: 'BTCUSDT',
            sumOpenInterest: `${p.oi}`,
            sumOpenInterestValue: `${p.oi * 30000}`,
            timestamp: p.t,
          })),
        );
      }
      case '/fapi/v1/depth':
        return json(200, {
          lastUpdateId: 1,
          E: 1700000000000,
          T: 1700000000000,
          bids: [['29999.9', '1.5']],
          asks: [['30000.1', '2.0']],
        });
      default:
        return json(404, { code: -5000, msg: `fake exchange: no route ${u.pathname}` });
    }
  }
}
