import * as ccxt from 'ccxt';
import { CcxtGateway, MainnetNotAllowed, stopLossId, takeProfitId } from '../../../adapters/exchange/ccxt-gateway';
import { createAccount } from '../../../domain/exchange/paper-account';
import { ClassifiedError, FailureType } from '../../../domain/failures';
import type { Account } from '../../../domain/schemas/account';
import type { Order } from '../../../domain/schemas/trade';
import { FakeExchangeServer } from '../../fakes/fake-exchange-server';

// ccxt's CommonJS build requires ESM-only @noble/* packages. Node 20.19+ loads those natively
// (require(esm)) but jest's module runtime cannot, so this file takes ccxt from Node's own loader.
// Every import of 'ccxt' here and in the adapter then sees the same module (same error classes).
// (jest wraps createRequire, so the module system's own loader is used.)
jest.mock('ccxt', () => {
  const nodeModule = jest.requireActual<{ _load: (request: string, parent: null, isMain: boolean) => unknown }>(
    'node:module',
  );
  return nodeModule._load(require.resolve('ccxt'), null, false);
});

const SYMBOL = 'BTC/USDT:USDT';

function makeOrder(overrides: Partial<Order> = {}): Order {
  return {
    orderId: 'td0123456789abcdef',
    traderId: 'trader-1',
    symbol: SYMBOL,
    createdAtMs: 1_700_000_000_000,
    currentPrice: 30_000,
    orderType: 'market',
    limitPrice: null,
    size: 0.1234,
    direction: 'long',
    takeProfit: 31_200.04,
    stopLoss: 29_400.06,
    closedPrice: null,
    leverage: 3,
    liquidationPrice: 20_000,
    expiresAfterBars: 1,
    horizonBars: 6,
    status: 'created',
    confidence: 0.6,
    ...overrides,
  };
}

async function expectClassified(promise: Promise<unknown>, type: string, retryable: boolean): Promise<ClassifiedError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ClassifiedError);
  expect(error).toMatchObject({ type, retryable });
  return error as ClassifiedError;
}

describe('CcxtGateway through real ccxt against a loopback Binance USDⓈ-M fake', () => {
  let fake: FakeExchangeServer;
  let gateway: CcxtGateway;

  beforeEach(async () => {
    fake = new FakeExchangeServer();
    await fake.start();
    const exchange = new ccxt.binanceusdm({ apiKey: 'test', secret: 'test', enableRateLimit: false, timeout: 5_000 });
    (exchange as unknown as { fetchImplementation: unknown }).fetchImplementation = fake.fetch;
    gateway = new CcxtGateway({ exchange, symbol: SYMBOL });
  });

  afterEach(async () => {
    await fake.stop();
  });

  it('uses Binance demo trading unless mainnet is allowed', async () => {
    await gateway.prepare(3);
    expect([...fake.hosts]).toEqual(['demo-fapi.binance.com']);
    expect(fake.marginType).toBe('isolated');
    expect(fake.leverage).toBe(3);
    await gateway.prepare(4); // already isolated: Binance's -4046 must not fail the call
    expect(fake.leverage).toBe(4);
  });

  it('refuses to construct without a demo or sandbox when mainnet is not allowed', () => {
    const exchange = new ccxt.binanceusdm({ apiKey: 'k', secret: 's' });
    delete (exchange.urls as Record<string, unknown>)['demo'];
    delete (exchange.urls as Record<string, unknown>)['test'];
    expect(() => new CcxtGateway({ exchange, symbol: SYMBOL })).toThrow(MainnetNotAllowed);
    expect(() => new CcxtGateway({ exchange, symbol: SYMBOL, allowMainnet: true })).not.toThrow();
  });

  it('places a market order rounded to precision, then reduce-only stop-loss and take-profit', async () => {
    const result = await gateway.submit(makeOrder());
    expect(result).toMatchObject({ status: 'filled', filledSize: 0.123, avgPrice: 30_000 });
    expect(fake.orders.map((o) => [o.clientOrderId, o.type, o.side, o.origQty, o.reduceOnly])).toEqual([
      ['td0123456789abcdef', 'MARKET', 'BUY', 0.123, false],
      [stopLossId('td0123456789abcdef'), 'STOP_MARKET', 'SELL', 0.123, true],
      [takeProfitId('td0123456789abcdef'), 'TAKE_PROFIT_MARKET', 'SELL', 0.123, true],
    ]);
    expect(fake.orders[1]!.triggerPrice).toBe(29_400.1);
  });

  it('reports a partial fill of a limit order', async () => {
    fake.scriptOrders('partial');
    const result = await gateway.submit(
      makeOrder({ orderType: 'limit', limitPrice: 29_950.07, size: 1, expiresAfterBars: 3 }),
    );
    expect(result).toMatchObject({ status: 'partially_filled', filledSize: 0.5, avgPrice: 29_950.1 });
  });

  it('maps Binance -2019 to a non-retryable Exchange.InsufficientFunds and sends no protective orders', async () => {
    fake.scriptOrders('insufficient');
    await expectClassified(gateway.submit(makeOrder()), FailureType.ExchangeInsufficientFunds, false);
    expect(fake.acceptedOrders).toBe(0);
  });

  it('maps HTTP 429 to a retryable Exchange.RateLimited with the Retry-After delay', async () => {
    fake.scriptOrders('rateLimit');
    const error = await expectClassified(gateway.submit(makeOrder()), FailureType.ExchangeRateLimited, true);
    expect(error.retryAfterMs).toBe(7_000);
  });

  it('refuses an order under the market minimum notional before sending it', async () => {
    await expectClassified(gateway.submit(makeOrder({ size: 0.002 })), FailureType.ExchangeInvalidOrder, false);
    expect(fake.requests.filter((r) => r.startsWith('POST'))).toEqual([]);
  });

  it('never duplicates an order the venue accepted before the request timed out', async () => {
    fake.scriptOrders('acceptThenTimeout');
    const order = makeOrder();
    const first = await gateway.submit(order);
    expect(first).toMatchObject({ status: 'filled', filledSize: 0.123 });
    expect(fake.acceptedOrders).toBe(3); // entry + stop + take-profit, each once
    // An activity retry of the same placement finds everything in place and sends nothing.
    const again = await gateway.submit(order);
    expect(again.exchangeOrderId).toBe(first.exchangeOrderId);
    expect(fake.acceptedOrders).toBe(3);
    expect(fake.orders.filter((o) => o.clientOrderId === order.orderId)).toHaveLength(1);
    // Reconciliation sees the position the timed-out request opened.
    const account: Account = {
      ...createAccount(10_000, 0),
      position: {
        orderId: order.orderId,
        traderId: 'trader-1',
        side: 'long',
        size: 0.123,
        entryPrice: 30_000,
        leverage: 3,
        margin: 1_230,
        liquidationPrice: 20_000,
        takeProfit: order.takeProfit,
        stopLoss: order.stopLoss,
        openedAtMs: 0,
        exitByMs: null,
        fees: 0,
        funding: 0,
      },
    };
    const state = await gateway.reconcile(account);
    expect(state.position).toMatchObject({ side: 'long', size: 0.123, entryPrice: 30_000 });
    expect(state.balance.total).toBe(10_000);
    expect(
      state.openOrders
        .filter((o) => o.conditional)
        .map((o) => o.clientOrderId)
        .sort(),
    ).toEqual([stopLossId(order.orderId), takeProfitId(order.orderId)]);
    expect(state.drift).toEqual([]);
  });

  it('reports drift when the venue and the account disagree', async () => {
    await gateway.submit(makeOrder());
    const state = await gateway.reconcile(createAccount(5_000, 0));
    expect(state.drift).toEqual(
      expect.arrayContaining([
        expect.stringContaining('venue holds a long 0.123 position the account does not'),
        expect.stringContaining('wallet: account 5000.00, venue 10000.00'),
      ]),
    );
  });

  it('flattens: cancels every order and closes the position reduce-only', async () => {
    await gateway.submit(makeOrder());
    fake.scriptOrders('rest');
    await gateway.submit(
      makeOrder({ orderId: 'td00000000000000ff', orderType: 'limit', limitPrice: 29_000, expiresAfterBars: 3 }),
    );
    expect(fake.orders.filter((o) => o.status === 'NEW')).toHaveLength(5); // resting entry + two stop/take-profit pairs
    const result = await gateway.flatten('emergency stop', 'td0123456789abcdef-x');
    expect(result.closed).toMatchObject({ side: 'long', size: 0.123 });
    expect(fake.position.amount).toBe(0);
    expect(fake.orders.filter((o) => o.status === 'NEW')).toEqual([]);
    expect(fake.orders.at(-1)).toMatchObject({
      clientOrderId: 'td0123456789abcdef-x',
      side: 'SELL',
      reduceOnly: true,
      origQty: 0.123,
    });
  });
});
