import { createAccount, submitOrder } from '../../../domain/exchange/paper-exchange';
import { H4, NO_COSTS, T0, flatBar, makeOrder } from './fixtures';

// 20 BTC at 50,000 = a 1,000,000 USDT notional: BTCUSDT bracket 3 (500k–8M) allows at most 50x.
const bar = flatBar(0, 50_000);
const account = createAccount(100_000, T0 + H4);
const big = { size: 20, stopLoss: 45_000, takeProfit: 60_000 };

describe('leverage above the bracket cap', () => {
  it('rejects 125x on a 1,000,000 USDT notional with the bracket and its cap in the reason', () => {
    const r = submitOrder(account, makeOrder({ ...big, leverage: 125 }), bar, H4, NO_COSTS);
    expect(r.order.status).toBe('rejected');
    expect(r.account).toEqual(account);
    expect(r.events).toEqual([
      {
        type: 'reject',
        orderId: r.order.orderId,
        atMs: T0 + H4,
        reason: 'leverage 125x above the 50x maximum of bracket 3 (notional 1000000 USDT)',
      },
    ]);
  });

  it('fills the same order at the bracket cap (50x)', () => {
    const r = submitOrder(account, makeOrder({ ...big, leverage: 50 }), bar, H4, NO_COSTS);
    expect(r.order.status).toBe('filled');
    expect(r.account.position?.margin).toBeCloseTo(20_000, 9);
  });

  it('allows 125x in the first bracket (under 50,000 USDT)', () => {
    const r = submitOrder(
      account,
      makeOrder({ size: 0.5, leverage: 125, stopLoss: 49_800, takeProfit: 51_000 }),
      bar,
      H4,
      NO_COSTS,
    );
    expect(r.order.status).toBe('filled');
  });

  it('refuses a resting limit above the cap up front', () => {
    const r = submitOrder(
      account,
      makeOrder({ ...big, leverage: 100, orderType: 'limit', limitPrice: 49_000 }),
      bar,
      H4,
      NO_COSTS,
    );
    expect(r.order.status).toBe('rejected');
    expect(r.account.openOrders).toEqual([]);
    expect(r.events.at(-1)).toMatchObject({
      type: 'reject',
      reason: expect.stringContaining('above the 50x maximum of bracket 3'),
    });
  });
});
