import type { Account, AccountEvent } from '../domain/schemas/account';
import type { Candle, MarketSnapshot } from '../domain/schemas/market';
import type { Order } from '../domain/schemas/trade';

/** What the exchange activities need from a live venue (implemented over ccxt in adapters/exchange). */
export interface LiveExchange {
  sync(account: Account, snapshot: MarketSnapshot): Promise<{ account: Account; events: AccountEvent[]; drift: string[] }>;
  execute(account: Account, order: Order, bar: Candle): Promise<{ account: Account; order: Order; events: AccountEvent[] }>;
  flatten(account: Account, reason: string): Promise<{ account: Account; events: AccountEvent[] }>;
}
