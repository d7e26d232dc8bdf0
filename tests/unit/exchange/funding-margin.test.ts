import { applyBar, createAccount, submitOrder } from '../../../domain/exchange/paper-exchange';
import { flatBar, H4, makeOrder, NO_COSTS, T0 } from './fixtures';

describe('funding in isolated margin', () => {
  it('paid funding comes out of the position margin and pulls the liquidation price toward the market', () => {
    const opened = submitOrder(
      createAccount(10_000, T0),
      makeOrder({
        direction: 'long',
        size: 1,
        leverage: 5,
        currentPrice: 20_000,
        stopLoss: 15_000,
        takeProfit: 40_000,
      }),
      flatBar(0, 20_000),
      H4,
      NO_COSTS,
    );
    const before = opened.account.position!;
    // +1% funding (longs pay) settles inside the next bar: 200 USDT at a 20,000 mark.
    const funded = applyBar(opened.account, flatBar(1, 20_000), H4, [{ t: T0 + 2 * H4 - 1, rate: 0.01 }], NO_COSTS);
    const after = funded.account.position!;
    expect(after.margin).toBeCloseTo(before.margin - 200, 9);
    expect(after.liquidationPrice).toBeGreaterThan(before.liquidationPrice);
    expect(funded.account.wallet).toBeCloseTo(opened.account.wallet - 200, 9);
  });
});
