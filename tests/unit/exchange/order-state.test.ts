import {
  DuplicateFill, IllegalOrderTransition, ORDER_TRANSITIONS, canTransition, isTerminal, recordFill, summarizeFills, transitionOrder,
} from '../../../domain/exchange/order-state';
import { OrderStatusSchema, type OrderStatus } from '../../../domain/schemas/trade';
import { makeOrder } from './fixtures';

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
    for (const to of ['submitted', 'open', 'partially_filled', 'partially_filled', 'filled', 'closed_tp'] as const) order = transitionOrder(order, to);
    expect(order.status).toBe('closed_tp');
    expect(isTerminal(order.status)).toBe(true);
  });

  it('never leaves a terminal state and never skips submission', () => {
    for (const terminal of ['closed_sl', 'rejected', 'cancelled', 'expired'] as const) expect(isTerminal(terminal)).toBe(true);
    expect(() => transitionOrder(makeOrder(), 'filled')).toThrow(IllegalOrderTransition);
    expect(() => transitionOrder(makeOrder({ status: 'filled' }), 'cancelled')).toThrow(/filled → cancelled/);
  });

  it('records fills once per trade id and rejects a replayed one', () => {
    const first = recordFill([], { tradeId: 't1', price: 100, size: 0.4, fee: 0.02, atMs: 1 });
    const both = recordFill(first, { tradeId: 't2', price: 110, size: 0.6, fee: 0.03, atMs: 2 });
    expect(() => recordFill(both, { tradeId: 't1', price: 100, size: 0.4, fee: 0.02, atMs: 1 })).toThrow(DuplicateFill);
    const summary = summarizeFills(both);
    expect(summary.filledSize).toBeCloseTo(1, 12);
    expect(summary.avgPrice).toBeCloseTo(106, 9);
    expect(summarizeFills([]).avgPrice).toBeNull();
  });
});
