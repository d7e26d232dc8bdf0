import { closedTradesOf } from '../../../domain/exchange/closed-trades';
import {
  applyBar,
  cancelAllOrders,
  closePosition,
  createAccount,
  equityOf,
  submitOrder,
} from '../../../domain/exchange/paper-exchange';
import type { Account, AccountEvent, ClosedTrade } from '../../../domain/schemas/account';
import { AccountSchema } from '../../../domain/schemas/account';
import type { ExchangeCosts } from '../../../domain/schemas/config';
import type { Order } from '../../../domain/schemas/trade';
import { COSTS, H4, NO_COSTS, T0, expectClose, flatBar, makeBar, makeOrder } from './fixtures';

/** Open `order` at the close of bar 0 (closing at `price`) on a fresh 10,000 USDT account. */
function openAt(order: Order, price: number, costs: ExchangeCosts = NO_COSTS, equity = 10_000) {
  return submitOrder(createAccount(equity, T0 + H4), order, flatBar(0, price), H4, costs);
}

function onlyClose(events: AccountEvent[]): ClosedTrade {
  const trades = closedTradesOf(events);
  expect(trades).toHaveLength(1);
  return trades[0]!;
}

describe('paper exchange: reference cases', () => {
  // Source: docs/perp-math.md "Profit with fees and funding" (freqtrade tests/persistence/test_persistence.py, test_calc_profit).
  const feeCosts: ExchangeCosts = { makerFee: 0.0025, takerFee: 0.0025, slippageBps: 0 };
  it.each([
    ['long', 3.6925, -1 / 60, { stopLoss: 1, takeProfit: 10 }],
    ['short', -2.3075, 1 / 60, { stopLoss: 10, takeProfit: 1 }],
  ] as const)(
    'books a %s from 2.0 to 2.1, size 30, 0.25%% fees, +1 funding as %d net',
    (direction, net, rate, levels) => {
      const opened = openAt(makeOrder({ direction, size: 30, leverage: 1, ...levels }), 2.0, feeCosts);
      const funded = applyBar(opened.account, flatBar(1, 2.0), H4, [{ t: T0 + 2 * H4, rate }], feeCosts);
      const closed = closePosition(funded.account, 2.1, T0 + 2 * H4, 'manual', feeCosts);
      const trade = onlyClose(closed.events);
      expectClose(trade.fees, 0.3075, 1e-9, 'entry 0.15 + exit 0.1575');
      expectClose(trade.funding, 1, 1e-9, 'funding received');
      expectClose(trade.realizedPnl - trade.fees + trade.funding, net, 1e-9, 'net profit');
      expectClose(closed.account.wallet - 10_000, net, 1e-9, 'wallet change');
    },
  );

  // Source: docs/perp-math.md "Stop and take-profit in one bar" (freqtrade test_backtest_detail.py tc6).
  it('takes the stop at 4,900 when one bar touches both the stop (−2%) and the take-profit (+5%)', () => {
    const opened = openAt(makeOrder({ stopLoss: 4_900, takeProfit: 5_250 }), 5_000);
    const { events } = applyBar(opened.account, makeBar(1, 5_000, 5_300, 4_850, 5_100), H4, [], NO_COSTS);
    const trade = onlyClose(events);
    expect(trade.exitReason).toBe('stop_loss');
    expect(trade.exitPrice).toBe(4_900);
  });

  // Source: docs/perp-math.md, nautilus_trader matching-engine tests.
  it('fills a sell stop at 1,490 inside the bar, and at the open when the bar opens below it', () => {
    const opened = openAt(makeOrder({ stopLoss: 1_490, takeProfit: 1_600 }), 1_500);
    const inside = applyBar(opened.account, makeBar(1, 1_500, 1_510, 1_480, 1_495), H4, [], NO_COSTS);
    expect(onlyClose(inside.events).exitPrice).toBe(1_490);
    const gapped = applyBar(opened.account, makeBar(1, 1_485, 1_495, 1_480, 1_490), H4, [], NO_COSTS);
    expect(onlyClose(gapped.events).exitPrice).toBe(1_485);
  });
});

describe('paper exchange: submission', () => {
  it('fills a market order at the close plus adverse slippage and pays the taker fee', () => {
    const { account, order, events } = openAt(makeOrder(), 100, COSTS);
    expect(order.status).toBe('filled');
    expect(order.closedPrice).toBeNull();
    const fill = events.find((e) => e.type === 'fill');
    expect(fill).toMatchObject({ type: 'fill', price: 100 * 1.0002 });
    expectClose(fill?.type === 'fill' ? fill.fee : NaN, 100.02 * 0.0005);
    expect(account.position?.exitByMs).toBe(T0 + H4 + 50 * H4);
    expect(account.position?.liquidationPrice).toBeGreaterThan(0);
    expect(() => AccountSchema.parse(account)).not.toThrow();
  });

  it('fills a crossing limit now as taker, never worse than its limit', () => {
    const { account, order } = openAt(
      makeOrder({ orderType: 'limit', limitPrice: 100.01, expiresAfterBars: 3 }),
      100,
      COSTS,
    );
    expect(order.status).toBe('filled');
    expect(account.position?.entryPrice).toBe(100.01);
    expectClose(account.fees, 100.01 * 0.0005, 1e-9, 'taker fee');
  });

  it('rejects a same-side order and reverses an opposite position with a signal exit', () => {
    const opened = openAt(makeOrder(), 100);
    const again = submitOrder(opened.account, makeOrder({ orderId: 'td2' }), flatBar(1, 101), H4, NO_COSTS);
    expect(again.order.status).toBe('rejected');
    expect(again.events).toEqual([expect.objectContaining({ type: 'reject', orderId: 'td2' })]);
    expect(again.account).toEqual(opened.account);
    const flip = submitOrder(
      opened.account,
      makeOrder({ orderId: 'td3', direction: 'short', stopLoss: 110, takeProfit: 90 }),
      flatBar(1, 101),
      H4,
      NO_COSTS,
    );
    expect(closedTradesOf(flip.events)[0]).toMatchObject({ exitReason: 'signal', exitPrice: 101, realizedPnl: 1 });
    expect(flip.account.position).toMatchObject({ side: 'short', orderId: 'td3' });
  });

  it('rejects an order whose margin plus fee exceeds the free balance', () => {
    const { account, order, events } = openAt(makeOrder({ size: 1, leverage: 5 }), 100_000, COSTS, 1_000);
    expect(order.status).toBe('rejected');
    expect(events).toEqual([
      expect.objectContaining({ type: 'reject', reason: expect.stringContaining('insufficient margin') }),
    ]);
    expect(account.position).toBeNull();
    expect(account.wallet).toBe(1_000);
  });
});

describe('paper exchange: resting limits', () => {
  const limitLong = makeOrder({
    orderType: 'limit',
    limitPrice: 95,
    stopLoss: 90,
    takeProfit: 120,
    expiresAfterBars: 3,
  });

  it('rests a non-crossing limit, then fills it as maker when a bar trades through', () => {
    const rested = openAt(limitLong, 100, COSTS);
    expect(rested.order.status).toBe('open');
    expect(rested.account.openOrders).toHaveLength(1);
    expect(rested.account.position).toBeNull();
    const { account, events } = applyBar(rested.account, makeBar(1, 99, 101, 94, 96), H4, [], COSTS);
    expect(events[0]).toMatchObject({ type: 'fill', price: 95 });
    expectClose(account.fees, 95 * 0.0002, 1e-9, 'maker fee');
    expect(account.openOrders).toHaveLength(0);
    expect(account.position?.entryPrice).toBe(95);
  });

  it('fills at the open when the bar gaps through the limit', () => {
    const rested = openAt(limitLong, 100, COSTS);
    const { account } = applyBar(rested.account, makeBar(1, 93, 97, 92, 96), H4, [], COSTS);
    expect(account.position?.entryPrice).toBe(93);
  });

  it('expires an untouched limit after expiresAfterBars bars, not before', () => {
    let account = openAt(limitLong, 100).account;
    for (const i of [1, 2]) {
      const step = applyBar(account, makeBar(i, 100, 101, 96, 100), H4, [], NO_COSTS);
      expect(step.events).toEqual([]);
      account = step.account;
    }
    const last = applyBar(account, makeBar(3, 100, 101, 96, 100), H4, [], NO_COSTS);
    expect(last.events).toEqual([{ type: 'expire', orderId: limitLong.orderId, atMs: T0 + 4 * H4 }]);
    expect(last.account.openOrders).toEqual([]);
  });

  it('cancels every resting order with a reason', () => {
    const rested = openAt(limitLong, 100);
    const { account, events } = cancelAllOrders(rested.account, T0 + H4, 'emergency stop');
    expect(account.openOrders).toEqual([]);
    expect(events).toEqual([{ type: 'cancel', orderId: limitLong.orderId, atMs: T0 + H4, reason: 'emergency stop' }]);
  });
});

describe('paper exchange: exits, funding, idempotency', () => {
  const levered = makeOrder({ leverage: 10, stopLoss: 50, takeProfit: 150 }); // stop below the liquidation price

  it('liquidates at the liquidation price when a bar touches it, losing less than the isolated margin', () => {
    const opened = openAt(levered, 100, COSTS);
    const p = opened.account.position!;
    const { account, events } = applyBar(opened.account, makeBar(1, 99, 100, 90, 95), H4, [], COSTS);
    const trade = onlyClose(events);
    expect(trade).toMatchObject({ exitReason: 'liquidation', exitPrice: p.liquidationPrice });
    expect(-trade.realizedPnl).toBeLessThanOrEqual(p.margin);
    expect(account.liquidations).toBe(1);
  });

  it('caps a liquidation through a gap at the isolated margin (bankruptcy price)', () => {
    const opened = openAt(levered, 100, NO_COSTS);
    const margin = opened.account.position!.margin;
    const trade = onlyClose(applyBar(opened.account, makeBar(1, 70, 72, 60, 65), H4, [], NO_COSTS).events);
    expectClose(trade.realizedPnl, -margin, 1e-9, 'loss capped at the margin');
    expect(trade.exitPrice).toBeCloseTo(100 - margin, 9);
  });

  it('takes the stop first when it lies between the open and the liquidation price', () => {
    const opened = openAt(makeOrder({ leverage: 10, stopLoss: 95, takeProfit: 150 }), 100);
    expect(onlyClose(applyBar(opened.account, makeBar(1, 99, 100, 80, 85), H4, [], NO_COSTS).events)).toMatchObject({
      exitReason: 'stop_loss',
      exitPrice: 95,
    });
  });

  it('takes profit at the take-profit price when only it is touched', () => {
    const opened = openAt(makeOrder({ stopLoss: 95, takeProfit: 110 }), 100);
    expect(onlyClose(applyBar(opened.account, makeBar(1, 100, 112, 99, 111), H4, [], NO_COSTS).events)).toMatchObject({
      exitReason: 'take_profit',
      exitPrice: 110,
    });
  });

  it('exits on time at the close of the bar that reaches exitByMs', () => {
    let account: Account = openAt(makeOrder({ horizonBars: 2 }), 100, COSTS).account;
    const first = applyBar(account, flatBar(1, 101), H4, [], COSTS);
    expect(first.events).toEqual([]);
    account = first.account;
    const trade = onlyClose(applyBar(account, flatBar(2, 102), H4, [], COSTS).events);
    expect(trade).toMatchObject({ exitReason: 'time', exitTimeMs: T0 + 3 * H4 });
    expect(trade.exitPrice).toBeCloseTo(102 * (1 - 0.0002), 9);
  });

  it('charges each funding settlement once, even when the same bar is applied again', () => {
    const opened = openAt(makeOrder({ size: 2 }), 100);
    const funding = [
      { t: T0 + H4, rate: 0.01 },
      { t: T0 + 2 * H4, rate: 0.0001 },
    ];
    const once = applyBar(opened.account, flatBar(1, 100), H4, funding, NO_COSTS);
    expect(once.events).toEqual([{ type: 'funding', atMs: T0 + 2 * H4, rate: 0.0001, amount: -0.02 }]);
    const twice = applyBar(once.account, flatBar(1, 100), H4, funding, NO_COSTS);
    expect(twice.events).toEqual([]);
    expect(twice.account).toEqual(once.account);
    expect(once.account.lastFundingMs).toBe(T0 + 2 * H4);
    expectClose(once.account.wallet, 10_000 - 0.02);
  });

  it('ignores bars at or before the last applied bar and keeps equity = wallet + unrealised PnL', () => {
    const opened = openAt(makeOrder(), 100);
    const moved = applyBar(opened.account, flatBar(1, 104), H4, [], NO_COSTS);
    expect(applyBar(moved.account, flatBar(0, 50), H4, [], NO_COSTS).account).toBe(moved.account);
    expect(moved.account.markPrice).toBe(104);
    expect(equityOf(moved.account, 104)).toBe(moved.account.wallet + 4);
  });
});
