import {
  IllegalOrderTransition,
  ORDER_TRANSITIONS,
  canTransition,
  fillOrder,
  isTerminal,
  transitionOrder,
} from '../../../domain/exchange/order-state';
import { bookFill, createAccount } from '../../../domain/exchange/paper-account';
import { initialMargin, liquidationPriceForPosition } from '../../../domain/exchange/perp-math';
import { OrderStatusSchema, type OrderStatus } from '../../../domain/schemas/trade';
import { H4, T0, makeOrder } from './fixtures';

const ALL: readonly OrderStatus[] = OrderStatusSchema.options;

describe('order state machine', () => {
  it('has a row for every status and only lists known statuses', () => {
    expect(Object.keys(ORDER_TRANSITIONS).sort()).toEqual([...ALL].sort());
    for (const targets of Object.values(ORDER_TRANSITIONS)) for (const t of targets) expect(ALL).toContain(t);
  });

  it('throws IllegalOrderTransition on every move the table does not list', () => {
    let illegal = 0;
    for (const from of ALL) {
      for (const to of ALL) {
        const order = makeOrder({ status: from });
        if (canTransition(from, to)) {
          expect(transitionOrder(order, to).status).toBe(to);
        } else {
          illegal++;
          expect(() => transitionOrder(order, to)).toThrow(IllegalOrderTransition);
        }
      }
    }
    expect(illegal).toBeGreaterThan(150); // 14 × 14 pairs, most illegal: the table is strict.
  });

  it('walks the happy path created → submitted → open → partially_filled → filled → closed_tp', () => {
    let order = makeOrder();
    for (const to of ['submitted', 'open', 'partially_filled', 'partially_filled', 'filled', 'closed_tp'] as const)
      order = transitionOrder(order, to);
    expect(order.status).toBe('closed_tp');
    expect(isTerminal(order.status)).toBe(true);
  });

  it('never leaves a terminal state and never skips submission', () => {
    for (const terminal of ['closed_sl', 'rejected', 'cancelled', 'expired'] as const)
      expect(isTerminal(terminal)).toBe(true);
    expect(() => transitionOrder(makeOrder(), 'filled')).toThrow(IllegalOrderTransition);
    expect(() => transitionOrder(makeOrder({ status: 'filled' }), 'cancelled')).toThrow(/filled → cancelled/);
  });

  it('moves an order to partially_filled or filled by how much of its size is done', () => {
    const submitted = makeOrder({ status: 'submitted', size: 1 });
    expect(fillOrder(submitted, 0.4).status).toBe('partially_filled');
    expect(fillOrder(fillOrder(submitted, 0.4), 1).status).toBe('filled');
    expect(fillOrder(makeOrder({ status: 'open', size: 1 }), 1 - 1e-12).status).toBe('filled'); // lot rounding
    expect(() => fillOrder(submitted, 0)).toThrow(RangeError);
    expect(() => fillOrder(makeOrder({ status: 'created' }), 1)).toThrow(IllegalOrderTransition);
    expect(() => fillOrder(makeOrder({ status: 'cancelled' }), 1)).toThrow(/cancelled → filled/);
  });
});

describe('bookFill: the one booking of fills (paper exchange and live mirror)', () => {
  const order = makeOrder({ status: 'submitted', size: 1, leverage: 5, direction: 'long', horizonBars: 6 });
  const fresh = createAccount(1_000, T0);

  it('books two partial fills as one position at the size-weighted price, paying each fee, and ends the order filled', () => {
    const first = bookFill(fresh, order, { price: 100, size: 0.4, fee: 0.02, atMs: T0 + H4 }, H4);
    expect(first.order.status).toBe('partially_filled');
    const second = bookFill(first.account, first.order, { price: 110, size: 0.6, fee: 0.03, atMs: T0 + 2 * H4 }, H4);
    expect(second.order.status).toBe('filled');
    const p = second.account.position!;
    expect(p.size).toBeCloseTo(1, 12);
    expect(p.entryPrice).toBeCloseTo(106, 9);
    expect(p.margin).toBeCloseTo(initialMargin(106, 5), 9);
    expect(p.liquidationPrice).toBeCloseTo(liquidationPriceForPosition('long', p.size, p.entryPrice, p.margin), 9);
    // The position dates from its first fill, and so does its time exit.
    expect(p.openedAtMs).toBe(T0 + H4);
    expect(p.exitByMs).toBe(T0 + H4 + 6 * H4);
    expect(p.fees).toBeCloseTo(0.05, 12);
    // Ledger: the wallet moved by exactly the fees booked.
    expect(second.account.fees).toBeCloseTo(0.05, 12);
    expect(second.account.wallet - fresh.wallet).toBeCloseTo(-second.account.fees, 12);
    expect([...first.events, ...second.events]).toEqual([
      { type: 'fill', orderId: order.orderId, price: 100, size: 0.4, fee: 0.02, atMs: T0 + H4 },
      { type: 'fill', orderId: order.orderId, price: 110, size: 0.6, fee: 0.03, atMs: T0 + 2 * H4 },
    ]);
  });

  it("refuses to fill into another order's position (one-way mode holds one position)", () => {
    const held = bookFill(fresh, order, { price: 100, size: 1, fee: 0, atMs: T0 + H4 }, H4);
    const other = makeOrder({ orderId: 'td0000000000000002', status: 'submitted' });
    expect(() => bookFill(held.account, other, { price: 100, size: 1, fee: 0, atMs: T0 + 2 * H4 }, H4)).toThrow(
      /holds order td0000000000000001's position/,
    );
  });
});
