import type { Order, OrderStatus } from '../schemas/trade';

const CLOSED = [
  'closed_tp',
  'closed_sl',
  'closed_liquidation',
  'closed_manual',
  'closed_emergency',
  'closed_signal',
] as const;

/**
 * Every legal order status move, one table (nautilus_trader's order FSM is the model). Anything not
 * listed is illegal; terminal states list nothing. A partially filled order already holds a
 * position, so it may be closed like a filled one.
 */
export const ORDER_TRANSITIONS = {
  created: ['submitted', 'rejected', 'cancelled'],
  submitted: ['open', 'partially_filled', 'filled', 'rejected', 'cancelled', 'expired'],
  open: ['partially_filled', 'filled', 'cancelled', 'expired'],
  partially_filled: ['partially_filled', 'filled', 'cancelled', 'expired', ...CLOSED],
  filled: [...CLOSED],
  closed_tp: [],
  closed_sl: [],
  closed_liquidation: [],
  closed_manual: [],
  closed_emergency: [],
  closed_signal: [],
  rejected: [],
  cancelled: [],
  expired: [],
} as const satisfies Record<OrderStatus, readonly OrderStatus[]>;

/** Thrown when an order is moved to a status the transition table does not allow from its current one. */
export class IllegalOrderTransition extends Error {
  constructor(
    readonly orderId: string,
    readonly from: OrderStatus,
    readonly to: OrderStatus,
  ) {
    super(`order ${orderId}: illegal transition ${from} → ${to}`);
    this.name = 'IllegalOrderTransition';
  }
}

export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
  return (ORDER_TRANSITIONS[from] as readonly OrderStatus[]).includes(to);
}

/** True when no further transition is possible. */
export function isTerminal(status: OrderStatus): boolean {
  return ORDER_TRANSITIONS[status].length === 0;
}

/** A copy of the order in status `to`; throws IllegalOrderTransition on an illegal move. */
export function transitionOrder(order: Order, to: OrderStatus): Order {
  if (!canTransition(order.status, to)) throw new IllegalOrderTransition(order.orderId, order.status, to);
  return { ...order, status: to };
}

/** Relative tolerance under which a filled size counts as the whole order (venue lot rounding). */
const FILL_TOLERANCE = 1e-9;

/**
 * The order after executions totalling `filledSize`: filled once its whole size is done, partially
 * filled before. Paper fills and venue fills both move orders through here.
 */
export function fillOrder(order: Order, filledSize: number): Order {
  if (!(filledSize > 0))
    throw new RangeError(`order ${order.orderId}: a fill needs a positive size, got ${filledSize}`);
  return transitionOrder(order, filledSize >= order.size * (1 - FILL_TOLERANCE) ? 'filled' : 'partially_filled');
}
