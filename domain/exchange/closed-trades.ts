import type { AccountEvent, ClosedTrade } from '../schemas/account';

/** The trades an account step closed, in event order: what the trade log, the ledger and the reports book. */
export function closedTradesOf(events: readonly AccountEvent[]): ClosedTrade[] {
  return events.flatMap((e) => (e.type === 'close' ? [e.trade] : []));
}
