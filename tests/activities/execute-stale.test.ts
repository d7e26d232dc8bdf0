import { createActivities } from '../../activities/create-activities';
import { MemoryBlobStore } from '../../adapters/store/blob-store';
import { BAR_MS, ExchangeCostsSchema } from '../../domain/schemas/config';
import { testDeps } from '../helpers/temporal';
import { BAR_CLOSE_MS, makeAccount, makeOrder, makeSnapshot } from '../unit/risk/fixtures';

const BAR = BAR_MS;

describe('X-E on a stale snapshot', () => {
  it('fills no order at the close from before a gap and stamps nothing before it', async () => {
    const blobs = new MemoryBlobStore();
    const acts = createActivities(testDeps({ blobs }));
    const fresh = makeSnapshot();
    // The feed stopped 18 bars (3 days) before this bar close: the newest candle is old.
    const stale = { ...fresh, candles: fresh.candles.slice(0, -18) };
    const ctx = { sessionId: 's', iterationId: 'i', barCloseMs: BAR_CLOSE_MS, round: 1, symbol: 'BTC/USDT:USDT' };
    const order = makeOrder({ createdAtMs: BAR_CLOSE_MS, stopLoss: 1, liquidationPrice: 0.5 });
    const input = {
      ctx,
      mode: 'backtest' as const,
      costs: ExchangeCostsSchema.parse({}),
      account: makeAccount(),
      order,
      shadow: { 'trader-b': { account: makeAccount(), order: { ...order, traderId: 'trader-b' } } },
    };

    const onStale = await acts['X-E.executeOrders']({ ...input, snapshotRef: await blobs.put(stale) });
    expect(onStale.account.position).toBeNull();
    expect(onStale.shadow['trader-b']?.position).toBeNull();
    expect(onStale.events).toEqual([
      {
        type: 'reject',
        orderId: order.orderId,
        atMs: BAR_CLOSE_MS,
        reason: expect.stringMatching(/^stale data: .* 18 bar\(s\) before/),
      },
    ]);

    // Control: the same order on the fresh snapshot opens at the bar close.
    const onFresh = await acts['X-E.executeOrders']({ ...input, snapshotRef: await blobs.put(fresh) });
    expect(onFresh.account.position?.openedAtMs).toBe(BAR_CLOSE_MS);
    expect(stale.candles.at(-1)!.t + BAR).toBe(BAR_CLOSE_MS - 18 * BAR);
  });
});
