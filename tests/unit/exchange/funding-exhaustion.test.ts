import { closedTradesOf } from '../../../domain/exchange/closed-trades';
import { applyBar, createAccount, equityOf, submitOrder } from '../../../domain/exchange/paper-exchange';
import type { Account, ClosedTrade } from '../../../domain/schemas/account';
import type { ExchangeCosts } from '../../../domain/schemas/config';
import type { Order } from '../../../domain/schemas/trade';
import { COSTS, H4, NO_COSTS, T0, expectClose, flatBar, makeBar, makeOrder } from './fixtures';

const H8 = 2 * H4;

function openAt(order: Order, price: number, costs: ExchangeCosts, equity: number): Account {
  const opened = submitOrder(createAccount(equity, T0 + H4), order, flatBar(0, price), H4, costs);
  expect(opened.account.position).not.toBeNull();
  return opened.account;
}

describe('funding against the isolated margin', () => {
  it('liquidates a 100x long whose funding exceeds its margin at that settlement, losing only the margin (10, not 50)', () => {
    // 0.05 BTC at 20,000 = 1,000 notional at 100x: margin 10; a 5% rate asks 50.
    const account = openAt(
      makeOrder({ size: 0.05, leverage: 100, stopLoss: 100, takeProfit: 40_000 }),
      20_000,
      NO_COSTS,
      10_000,
    );
    const { account: after, events } = applyBar(
      account,
      flatBar(1, 20_000),
      H4,
      [{ t: T0 + H8, rate: 0.05 }],
      NO_COSTS,
    );
    expect(events.filter((e) => e.type === 'funding')).toEqual([
      { type: 'funding', atMs: T0 + H8, rate: 0.05, amount: -10 },
    ]);
    const [trade] = closedTradesOf(events);
    expect(trade).toMatchObject({ exitReason: 'liquidation', exitTimeMs: T0 + H8, funding: -10 });
    expect(after.position).toBeNull();
    expect(after.liquidations).toBe(1);
    expectClose(after.wallet, 10_000 - 10, 1e-12, 'wallet loses the margin only');
    expectClose(after.funding, -10, 1e-12, 'funding booked = margin');
  });

  it('liquidates at the settlement whose payment moves the liquidation price past the mark; loss = margin', () => {
    // 1 BTC at 20,000, 10x: margin 2,000, liquidation ≈ 18,072. Funding 8% at a 19,500 mark asks 1,560,
    // leaving 440 of margin: the liquidation price moves to ≈ 19,639, above the mark.
    const account = openAt(
      makeOrder({ size: 1, leverage: 10, stopLoss: 1_000, takeProfit: 40_000 }),
      20_000,
      NO_COSTS,
      10_000,
    );
    const { account: after, events } = applyBar(
      account,
      flatBar(1, 19_500),
      H4,
      [{ t: T0 + H8, rate: 0.08 }],
      NO_COSTS,
    );
    const [trade] = closedTradesOf(events);
    expect(trade).toMatchObject({ exitReason: 'liquidation', exitTimeMs: T0 + H8 });
    expectClose(trade!.exitPrice, 20_000 - 440, 1e-12, 'booked at the bankruptcy price of the margin left');
    expectClose(after.wallet, 10_000 - 2_000, 1e-12, 'funding + price loss = the margin posted');
    expect(after.liquidations).toBe(1);
  });

  it('keeps every equity mark of an all-in 1x long at or above zero while funding drains it', () => {
    // 1x long with the whole wallet; 3% funding every 8h (30 USDT) leaves 10 of the 1,000 margin after 33
    // settlements, and the 34th asks for 30.
    let account = openAt(
      makeOrder({ size: 0.05, leverage: 1, stopLoss: 1, takeProfit: 1e6, horizonBars: 500 }),
      20_000,
      NO_COSTS,
      1_000,
    );
    const trades: ClosedTrade[] = [];
    for (let i = 1; i <= 80; i++) {
      const step = applyBar(
        account,
        flatBar(i, 20_000),
        H4,
        [{ t: T0 + (i + 1) * H4, rate: 0.03 }].filter((f) => f.t % H8 === 0),
        NO_COSTS,
      );
      account = step.account;
      trades.push(...closedTradesOf(step.events));
      expect(equityOf(account, 20_000)).toBeGreaterThanOrEqual(0);
    }
    expect(trades).toHaveLength(1);
    expect(trades[0]).toMatchObject({ exitReason: 'liquidation', realizedPnl: 0, funding: -1_000 });
    expect(account.wallet).toBeCloseTo(0, 9);
  });

  it('takes the exit fee of a liquidation through a gap out of the margin left, never from the rest of the wallet', () => {
    const account = openAt(makeOrder({ leverage: 10, stopLoss: 50, takeProfit: 150 }), 100, COSTS, 10_000);
    const margin = account.position!.margin;
    const { account: after, events } = applyBar(account, makeBar(1, 70, 72, 60, 65), H4, [], COSTS);
    expect(closedTradesOf(events)[0]?.exitReason).toBe('liquidation');
    expectClose(after.wallet, account.wallet - margin, 1e-12, 'wallet after = wallet before − margin');
  });

  it('charges no settlement to a position opened at or after it', () => {
    // A rate for the 08:00 settlement that arrives only after a position opened at the 08:00 close.
    const opened = submitOrder(
      createAccount(10_000, T0 + H4),
      makeOrder({ size: 1, leverage: 5, stopLoss: 50, takeProfit: 150 }),
      flatBar(1, 100),
      H4,
      NO_COSTS,
    );
    const { events } = applyBar(opened.account, flatBar(2, 100), H4, [{ t: T0 + H8, rate: 0.01 }], NO_COSTS);
    expect(events).toEqual([]);
  });
});
