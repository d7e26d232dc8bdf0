import { stopLossId, takeProfitId } from '../../../adapters/exchange/ccxt-gateway';
import type { LiveExchange } from '../../../adapters/exchange/live-exchange';
import { closedTradesOf } from '../../../domain/exchange/closed-trades';
import { IllegalOrderTransition, transitionOrder } from '../../../domain/exchange/order-state';
import { bookFill, createAccount } from '../../../domain/exchange/paper-account';
import { cancelOrder, restOrder, submitOrder } from '../../../domain/exchange/paper-exchange';
import { ClassifiedError, FailureType } from '../../../domain/failures';
import type { Account } from '../../../domain/schemas/account';
import { BAR_MS, ExchangeCostsSchema } from '../../../domain/schemas/config';
import type { Candle, MarketSnapshot } from '../../../domain/schemas/market';
import type { Order } from '../../../domain/schemas/trade';
import { buildLiveExchange } from '../../../workers/live-config';
import { FakeExchangeServer } from '../../fakes/fake-exchange-server';

/** Where the test venue sends ccxt's requests; set per test. */
const mockRoute: { fetch: FakeExchangeServer['fetch'] | null } = { fetch: null };

// As in ccxt-gateway.test.ts: ccxt comes from Node's own loader (jest cannot load its ESM deps).
// The copy adds 'fakeusdm', Binance USDⓈ-M routed to the loopback fake, so that EXCHANGE_ID
// selects it and buildLiveExchange runs unchanged. A copy, so the shared module stays untouched.
jest.mock('ccxt', () => {
  const nodeModule = jest.requireActual<{ _load: (request: string, parent: null, isMain: boolean) => unknown }>(
    'node:module',
  );
  const real = nodeModule._load(require.resolve('ccxt'), null, false) as Record<string, unknown> & {
    binanceusdm: new (c: object) => object;
  };
  class FakeUsdm extends real.binanceusdm {
    constructor(config: object) {
      super({ ...config, enableRateLimit: false, timeout: 5_000 });
      (this as unknown as { fetchImplementation: unknown }).fetchImplementation = (url: string, init: RequestInit) =>
        mockRoute.fetch!(url, init);
    }
  }
  return { ...real, fakeusdm: FakeUsdm, exchanges: { ...(real.exchanges as object), fakeusdm: FakeUsdm } };
});

const KEY = 'k3y-AAAA-never-print-me';
const SECRET = 's3cr3t-BBBB-never-print-me';
const ENV = { EXCHANGE_ID: 'fakeusdm', EXCHANGE_API_KEY: KEY, EXCHANGE_SECRET: SECRET };
const T0 = 1_700_000_000_000;
const BAR: Candle = { t: T0 - BAR_MS, open: 29_900, high: 30_100, low: 29_800, close: 30_000, volume: 10 };

function makeOrder(overrides: Partial<Order> = {}): Order {
  return {
    orderId: 'td0123456789abcdef',
    traderId: 'trader-1',
    symbol: 'BTC/USDT:USDT',
    createdAtMs: T0,
    currentPrice: 30_000,
    orderType: 'market',
    limitPrice: null,
    size: 0.123,
    direction: 'long',
    takeProfit: 31_200,
    stopLoss: 29_400,
    closedPrice: null,
    leverage: 3,
    liquidationPrice: 20_000,
    expiresAfterBars: 3,
    horizonBars: 6,
    status: 'created',
    confidence: 0.6,
    ...overrides,
  };
}

function snapshotAt(close: number): MarketSnapshot {
  const bar = { t: T0, open: 30_000, high: Math.max(30_000, close), low: Math.min(29_300, close), close, volume: 12 };
  return {
    barCloseMs: T0 + BAR_MS,
    candles: [BAR, bar],
    candles1d: [],
    funding: [],
    openInterest: [],
    news: [],
    orderBook: null,
    issues: [],
  };
}

describe('live exchange: the account as a mirror of the venue, through real ccxt against a loopback Binance fake', () => {
  let fake: FakeExchangeServer;
  let live: LiveExchange;
  const fresh: Account = createAccount(10_000, T0 - BAR_MS);

  beforeEach(async () => {
    fake = new FakeExchangeServer();
    await fake.start();
    mockRoute.fetch = fake.fetch;
    live = buildLiveExchange(ENV, { live: true, realMoney: false })!;
  });

  afterEach(async () => {
    mockRoute.fetch = null;
    await fake.stop();
  });

  it('places exactly one order per client order id when execute is retried after a timeout', async () => {
    fake.scriptOrders('acceptThenTimeout');
    const order = makeOrder();
    const first = await live.execute(fresh, order, BAR);
    const retry = await live.execute(fresh, order, BAR); // Temporal retrying the activity with the same input
    expect(fake.orders.filter((o) => o.clientOrderId === order.orderId)).toHaveLength(1);
    expect(fake.acceptedOrders).toBe(3); // entry, stop-loss, take-profit
    expect([...fake.hosts]).toEqual(['demo-fapi.binance.com']);
    for (const done of [first, retry]) {
      expect(done.order.status).toBe('filled');
      expect(done.account.position).toMatchObject({
        orderId: order.orderId,
        side: 'long',
        size: 0.123,
        entryPrice: 30_000,
        stopLoss: 29_400,
        leverage: 3,
      });
      expect(done.account.fees).toBeCloseTo(0.123 * 30_000 * 0.0005, 9); // taker rate on the venue's average price
      expect(done.account.wallet).toBeCloseTo(10_000 - 0.123 * 30_000 * 0.0005, 9);
    }
  });

  it('reports drift when the venue position or wallet differs, then mirrors the venue', async () => {
    const { account } = await live.execute(fresh, makeOrder(), BAR);
    const inSync = await live.sync(account, snapshotAt(30_050));
    expect(inSync.drift).toEqual([]);
    fake.position.amount = 0.2;
    fake.walletBalance = 9_000;
    const drifted = await live.sync(inSync.account, snapshotAt(30_050));
    expect(drifted.drift).toEqual(
      expect.arrayContaining([
        'position size: account 0.123, venue 0.2',
        'wallet: account 10000.00, venue 9000.00 USDT', // the first sync took the venue's wallet
      ]),
    );
    expect(drifted.account.position?.size).toBe(0.2);
    expect(drifted.account.wallet).toBe(9_000);
    expect(drifted.events).toEqual([]);
  });

  it('turns a position the venue stopped out into a stop_loss ClosedTrade and cancels the orphaned take-profit', async () => {
    const order = makeOrder();
    const { account } = await live.execute(fresh, order, BAR);
    // The stop fired at the venue: position gone, stop leg done, take-profit still resting.
    fake.position = { amount: 0, entryPrice: 0 };
    fake.orders.find((o) => o.clientOrderId === stopLossId(order.orderId))!.status = 'FILLED';
    fake.walletBalance = 9_921;
    const synced = await live.sync(account, snapshotAt(29_380));
    const [trade] = closedTradesOf(synced.events);
    expect(trade).toMatchObject({
      clientOrderId: order.orderId,
      side: 'long',
      entryPrice: 30_000,
      exitPrice: 29_380,
      size: 0.123,
      exitReason: 'stop_loss',
      exitTimeMs: T0 + BAR_MS,
    });
    expect(trade!.realizedPnl).toBeCloseTo(0.123 * (29_380 - 30_000), 9);
    expect(synced.account.position).toBeNull();
    expect(synced.account.tradeCount).toBe(1);
    expect(synced.drift).toEqual([]);
    expect(fake.orders.find((o) => o.clientOrderId === takeProfitId(order.orderId))!.status).toBe('CANCELED');
  });

  it('books a resting limit entry that filled at the venue as a position', async () => {
    fake.scriptOrders('rest');
    const order = makeOrder({ orderType: 'limit', limitPrice: 29_900 });
    const placed = await live.execute(fresh, order, BAR);
    expect(placed.order.status).toBe('open');
    expect(placed.account.openOrders.map((o) => o.orderId)).toEqual([order.orderId]);
    expect(placed.account.position).toBeNull();
    const resting = await live.sync(placed.account, snapshotAt(30_050));
    expect(resting.drift).toEqual([]); // its own protective legs are expected while it rests
    const entry = fake.orders.find((o) => o.clientOrderId === order.orderId)!;
    Object.assign(entry, { status: 'FILLED', executedQty: 0.123, avgPrice: 29_900 });
    fake.position = { amount: 0.123, entryPrice: 29_900 };
    const filled = await live.sync(resting.account, snapshotAt(29_950));
    expect(filled.events).toEqual([
      expect.objectContaining({ type: 'fill', orderId: order.orderId, price: 29_900, size: 0.123 }),
    ]);
    expect(filled.account.openOrders).toEqual([]);
    expect(filled.account.position).toMatchObject({
      orderId: order.orderId,
      traderId: 'trader-1',
      entryPrice: 29_900,
      stopLoss: 29_400,
      takeProfit: 31_200,
    });
    expect(filled.drift).toEqual([]);
  });

  it('flattens: the venue is flat, every order cancelled, and the mirror holds a closed trade', async () => {
    fake.scriptOrders('partial');
    const order = makeOrder({ orderType: 'limit', limitPrice: 30_000 });
    const placed = await live.execute(fresh, order, BAR);
    expect(placed.order.status).toBe('partially_filled');
    expect(placed.account.position?.size).toBe(0.061);
    expect(placed.account.openOrders.map((o) => o.orderId)).toEqual([order.orderId]); // the rest still rests
    fake.markPrice = 30_500;
    const { account, events } = await live.flatten(placed.account, 'operator stop');
    expect(account.position).toBeNull();
    expect(account.openOrders).toEqual([]);
    expect(events).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: 'cancel', orderId: order.orderId, reason: 'operator stop' }),
      ]),
    );
    expect(closedTradesOf(events)).toEqual([
      expect.objectContaining({ exitReason: 'emergency_stop', exitPrice: 30_500, size: 0.061 }),
    ]);
    expect(fake.position.amount).toBe(0);
    expect(fake.orders.filter((o) => o.status === 'NEW')).toEqual([]);
    expect(fake.orders.at(-1)).toMatchObject({ side: 'SELL', reduceOnly: true, origQty: 0.061 });
  });

  it('closes an opposite position before a new entry, like the paper exchange', async () => {
    const long = await live.execute(fresh, makeOrder(), BAR);
    fake.markPrice = 30_200;
    const short = await live.execute(
      long.account,
      makeOrder({ orderId: 'td00000000000000ff', direction: 'short', stopLoss: 30_800, takeProfit: 29_000 }),
      BAR,
    );
    expect(closedTradesOf(short.events)).toEqual([
      expect.objectContaining({ clientOrderId: 'td0123456789abcdef', exitReason: 'signal', exitPrice: 30_200 }),
    ]);
    expect(short.account.position).toMatchObject({
      orderId: 'td00000000000000ff',
      side: 'short',
      size: 0.123,
      entryPrice: 30_200,
    });
    expect(fake.position.amount).toBe(-0.123);
    const legs = fake.orders
      .filter((o) => o.algo && o.status === 'NEW')
      .map((o) => o.clientOrderId)
      .sort();
    expect(legs).toEqual([stopLossId('td00000000000000ff'), takeProfitId('td00000000000000ff')]);
  });

  /**
   * Live and paper book orders through one path (domain/exchange: bookFill, cancelOrder, restOrder and
   * the order state machine). Each case runs the same orders both ways and wants the same orders,
   * positions, fees and events; only what the venue decides (fill sizes and prices) comes from the fake.
   */
  describe('the same order states, fills and cancels as the paper exchange', () => {
    const costs = ExchangeCostsSchema.parse({}); // what buildLiveExchange uses when given no costs
    const atMs = BAR.t + BAR_MS;

    /** A 0.123 limit buy at 30,000 that the venue fills 0.061 of at once, live, and the same fill booked by the paper path. */
    async function placePartial() {
      fake.scriptOrders('partial');
      const order = makeOrder({ orderType: 'limit', limitPrice: 30_000 });
      const placed = await live.execute(fresh, order, BAR);
      const paper = bookFill(
        fresh,
        transitionOrder(order, 'submitted'),
        { price: 30_000, size: 0.061, fee: 0.061 * 30_000 * costs.takerFee, atMs },
        BAR_MS,
      );
      return { order, placed, paper };
    }

    it("a market order that fills returns the paper exchange's order, position, fee and fill event", async () => {
      const order = makeOrder();
      const done = await live.execute(fresh, order, BAR);
      // The venue fills at the close, as the paper exchange does without slippage.
      const paper = submitOrder(fresh, order, BAR, BAR_MS, { ...costs, slippageBps: 0 });
      expect(done.order).toEqual(paper.order);
      expect(done.order.status).toBe('filled');
      expect(done.events).toEqual(paper.events);
      expect(done.account).toEqual({ ...paper.account, markPrice: BAR.close });
    });

    it('a partial fill, then the venue cancelling the rest: partially_filled and resting, then a cancel event, as the paper path books them', async () => {
      const { order, placed, paper: filled } = await placePartial();
      expect(filled.order.status).toBe('partially_filled');
      expect(placed.order).toEqual(filled.order);
      expect(placed.events).toEqual(filled.events);
      expect(placed.account).toEqual({ ...restOrder(filled.account, filled.order), markPrice: BAR.close });

      // The venue cancels what did not fill; the position it opened stays.
      fake.orders.find((o) => o.clientOrderId === order.orderId)!.status = 'CANCELED';
      const synced = await live.sync(placed.account, snapshotAt(30_050));
      const cancelled = cancelOrder(filled.order, T0 + BAR_MS, 'no longer open at the venue');
      expect(cancelled.order.status).toBe('cancelled');
      expect(synced.events).toEqual([cancelled.event]);
      expect(synced.account.openOrders).toEqual([]);
      expect(synced.account.position).toEqual(filled.account.position);
      expect(synced.account.fees).toBe(filled.account.fees);
      expect(synced.drift).toEqual([]);
    });

    it('the rest of a partially filled limit filling later is a second fill at the maker fee, and the order leaves the book filled', async () => {
      const { order, placed, paper: first } = await placePartial();
      // The venue fills the remaining 0.062 at 29,950: its order average and position entry move accordingly.
      const average = (0.061 * 30_000 + 0.062 * 29_950) / 0.123;
      Object.assign(
        fake.orders.find((o) => o.clientOrderId === order.orderId)!,
        { status: 'FILLED', executedQty: 0.123, avgPrice: average },
      );
      fake.position = { amount: 0.123, entryPrice: average };
      const synced = await live.sync(placed.account, snapshotAt(29_990));

      const rest = 0.123 - 0.061;
      const second = bookFill(
        first.account,
        first.order,
        { price: 29_950, size: rest, fee: rest * 29_950 * costs.makerFee, atMs: T0 + BAR_MS },
        BAR_MS,
      );
      expect(second.order.status).toBe('filled');
      // The venue reports the order's average; the second fill's own price is what it adds (float noise only).
      const [expected] = second.events;
      expect(synced.events).toEqual([
        {
          ...expected,
          price: expect.closeTo(29_950, 6),
          size: expect.closeTo(rest, 12),
          fee: expect.closeTo(rest * 29_950 * costs.makerFee, 9),
        },
      ]);
      expect(synced.account.openOrders).toEqual([]);
      expect(synced.account.position?.size).toBe(0.123);
      expect(synced.account.position?.entryPrice).toBeCloseTo(second.account.position!.entryPrice, 6);
      expect(synced.account.position?.fees).toBeCloseTo(second.account.position!.fees, 9);
      expect(synced.account.fees).toBeCloseTo(second.account.fees, 9);
      expect(synced.drift).toEqual([]);
    });

    it("refuses to submit an order that is not new, with the paper exchange's IllegalOrderTransition", async () => {
      const stale = makeOrder({ status: 'filled' });
      const paperError = (() => {
        try {
          submitOrder(fresh, stale, BAR, BAR_MS, costs);
        } catch (e) {
          return e as Error;
        }
        return null;
      })();
      expect(paperError).toBeInstanceOf(IllegalOrderTransition);
      await expect(live.execute(fresh, stale, BAR)).rejects.toThrow(paperError!.message);
      expect(fake.acceptedOrders).toBe(0);
    });

    it('a position no order of ours explains is booked through the same fill path, without a time exit, and reported as drift', async () => {
      fake.position = { amount: -0.05, entryPrice: 30_100 };
      const synced = await live.sync(fresh, snapshotAt(30_050));
      expect(synced.events).toEqual([
        {
          type: 'fill',
          orderId: 'external',
          price: 30_100,
          size: 0.05,
          fee: 0.05 * 30_100 * costs.takerFee,
          atMs: T0 + BAR_MS,
        },
      ]);
      expect(synced.account.position).toMatchObject({
        orderId: 'external',
        traderId: 'external',
        side: 'short',
        size: 0.05,
        entryPrice: 30_100,
        exitByMs: null,
      });
      expect(synced.drift).toEqual(
        expect.arrayContaining([
          'protective order external-sl is missing at the venue',
          'protective order external-tp is missing at the venue',
        ]),
      );
    });
  });
});

describe('buildLiveExchange', () => {
  let fake: FakeExchangeServer;

  beforeEach(async () => {
    fake = new FakeExchangeServer();
    await fake.start();
    mockRoute.fetch = fake.fetch;
  });

  afterEach(async () => {
    mockRoute.fetch = null;
    await fake.stop();
  });

  it('builds nothing without --live, and refuses --real-money alone', () => {
    expect(buildLiveExchange(ENV, { live: false, realMoney: false })).toBeUndefined();
    expect(() => buildLiveExchange(ENV, { live: false, realMoney: true })).toThrow('--real-money needs --live');
  });

  it('names missing keys without printing the ones it has', () => {
    const error = (() => {
      try {
        buildLiveExchange({ EXCHANGE_API_KEY: KEY }, { live: true, realMoney: false });
      } catch (e) {
        return e as Error;
      }
      return null;
    })();
    expect(error).toBeInstanceOf(ClassifiedError);
    expect(error!.message).toContain('EXCHANGE_SECRET');
    expect(error!.message).not.toContain('EXCHANGE_API_KEY');
    expect(error!.message).not.toContain(KEY);
    expect(() => buildLiveExchange({ ...ENV, EXCHANGE_ID: 'nosuchvenue' }, { live: true, realMoney: false })).toThrow(
      'venue nosuchvenue (--venue or EXCHANGE_ID) is not a ccxt exchange',
    );
  });

  it('trades the production host only with --real-money', async () => {
    // On mainnet ccxt also asks the spot margin API while loading markets; the fake serves futures only.
    mockRoute.fetch = async (url, init) =>
      new URL(url).pathname.startsWith('/sapi/') ? Response.json([]) : fake.fetch(url, init);
    const live = buildLiveExchange(ENV, { live: true, realMoney: true })!;
    await live.execute(createAccount(10_000, 0), makeOrder(), BAR);
    expect([...fake.hosts]).toEqual(['fapi.binance.com']);
  });

  it('keeps the keys out of thrown messages even when the venue echoes them', async () => {
    // A venue answering an auth failure with the key it was sent (some do).
    mockRoute.fetch = async (url, init) => {
      if (new URL(url).pathname === '/fapi/v1/order' && init.method === 'POST') {
        const body = JSON.stringify({
          code: -2015,
          msg: `Invalid API-key ${KEY} (secret ${SECRET}), IP, or permissions for action.`,
        });
        return new Response(body, { status: 401, headers: { 'Content-Type': 'application/json' } });
      }
      return fake.fetch(url, init);
    };
    const live = buildLiveExchange(ENV, { live: true, realMoney: false })!;
    const error = await live.execute(createAccount(10_000, 0), makeOrder(), BAR).then(
      () => null,
      (e: unknown) => e as ClassifiedError,
    );
    expect(error).toBeInstanceOf(ClassifiedError);
    expect(error).toMatchObject({ type: FailureType.ExchangeAuth, retryable: false });
    expect(error!.message).toContain('Invalid API-key');
    for (const text of [error!.message, error!.stack ?? '', JSON.stringify(error)]) {
      expect(text).not.toContain(KEY);
      expect(text).not.toContain(SECRET);
    }
  });
});
