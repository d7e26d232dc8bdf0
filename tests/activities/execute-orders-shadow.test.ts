import { BAR_MS } from '../../domain/schemas/config';
import { createActivities } from '../../activities/create-activities';
import { MemoryBlobStore } from '../../adapters/store/blob-store';
import { createAccount, submitOrder } from '../../domain/exchange/paper-exchange';
import { closedForEvaluator } from '../../domain/orchestration/run-iteration';
import type { Candle } from '../../domain/schemas/market';
import type { ExecuteOrdersResult, SyncAccountsResult } from '../../domain/schemas/steps';
import type { Order } from '../../domain/schemas/trade';
import { testDeps } from '../helpers/temporal';

const H4 = BAR_MS;
const T0 = Date.UTC(2024, 0, 1);
const COSTS = { makerFee: 0.0002, takerFee: 0.0005, slippageBps: 2 };

function order(id: string, direction: 'long' | 'short', createdAtMs: number, price: number): Order {
  const long = direction === 'long';
  return {
    orderId: id,
    traderId: 'trader-2',
    symbol: 'BTC/USDT:USDT',
    createdAtMs,
    currentPrice: price,
    orderType: 'market',
    limitPrice: null,
    size: 0.1,
    direction,
    takeProfit: long ? price * 1.2 : price * 0.8,
    stopLoss: long ? price * 0.8 : price * 1.2,
    closedPrice: null,
    leverage: 2,
    liquidationPrice: 0,
    expiresAfterBars: 1,
    horizonBars: 20,
    status: 'created',
    confidence: 0.6,
  };
}

describe('X-E on shadow accounts', () => {
  it('reports the shadow position an opposite order closes, and the Evaluator receives it', async () => {
    const opening: Candle = { t: T0, open: 40_000, high: 40_100, low: 39_900, close: 40_000, volume: 1 };
    const bar: Candle = { t: T0 + H4, open: 40_000, high: 41_100, low: 39_900, close: 41_000, volume: 1 };
    const shadowAccount = submitOrder(
      createAccount(10_000, T0 + H4),
      order('td-shadow-long', 'long', T0 + H4, 40_000),
      opening,
      H4,
      COSTS,
    ).account;
    expect(shadowAccount.position?.side).toBe('long');

    const blobs = new MemoryBlobStore();
    // X-E reads only the snapshot's last candle.
    const snapshotRef = await blobs.put({ candles: [opening, bar] });
    const acts = createActivities(testDeps({ blobs }));
    const ctx = { sessionId: 's', iterationId: 'i', barCloseMs: T0 + 2 * H4, round: 2, symbol: 'BTC/USDT:USDT' };
    const executed = await acts['X-E.executeOrders']({
      ctx,
      snapshotRef,
      mode: 'paper',
      costs: COSTS,
      account: createAccount(10_000, T0 + H4),
      order: null,
      shadow: { 'trader-2': { account: shadowAccount, order: order('td-shadow-short', 'short', T0 + 2 * H4, 41_000) } },
    });

    expect(executed.shadow['trader-2']?.position?.side).toBe('short');
    expect(executed.shadowClosed).toHaveLength(1);
    expect(executed.shadowClosed[0]).toMatchObject({
      clientOrderId: 'td-shadow-long',
      traderId: 'trader-2',
      side: 'long',
      exitReason: 'signal',
      exitTimeMs: T0 + 2 * H4,
    });
    expect(executed.shadowClosed[0]!.realizedPnl).toBeGreaterThan(0);

    const synced: SyncAccountsResult = {
      account: createAccount(10_000, T0 + H4),
      shadow: {},
      events: [],
      shadowClosed: [],
      equity: 10_000,
      drift: [],
    };
    expect(closedForEvaluator(synced, executed)).toEqual(executed.shadowClosed);
  });

  it('gives the Evaluator no shadow closes for an X-E result recorded before the field existed', () => {
    const synced: SyncAccountsResult = {
      account: createAccount(10_000, T0),
      shadow: {},
      events: [],
      shadowClosed: [],
      equity: 10_000,
      drift: [],
    };
    const old = {
      account: createAccount(10_000, T0),
      order: null,
      shadow: {},
      events: [],
    } as unknown as ExecuteOrdersResult;
    expect(closedForEvaluator(synced, old)).toEqual([]);
  });
});
