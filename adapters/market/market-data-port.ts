import type { Candle, DataIssue, FundingRate, OpenInterest, OrderBookTop } from '../../domain/schemas/market';

/** Where the Analyst's A-A step reads market data from: CSV files, the synthetic series, or an exchange. */
export interface MarketData {
  /** Dataset identity (file path+size, synthetic seed, or exchange+symbol). */
  readonly id: string;
  /** Closed bars only: candles whose close time (t + barMs) <= untilMs, oldest first, the last `limit`. */
  candles(untilMs: number, limit: number): Promise<Candle[]>;
  /** Funding settlements with t in (sinceMs, untilMs], oldest first. */
  funding(sinceMs: number, untilMs: number): Promise<FundingRate[]>;
  /** Open interest with t in (sinceMs, untilMs], oldest first. */
  openInterest(sinceMs: number, untilMs: number): Promise<OpenInterest[]>;
  /** Top of book; null when offline (files, synthetic). */
  orderBookTop(): Promise<OrderBookTop | null>;
  /** For replay/backtest: close time of the first bar with >= warmupBars of history, and of the last bar. */
  range(warmupBars: number): Promise<{ firstCloseMs: number; lastCloseMs: number }>;
  /** Non-fatal problems found while loading (gaps in a file, for example). */
  issues(): Promise<DataIssue[]>;
}

/** Thrown when a feed has fewer bars than the warm-up a replay asks for. */
export class InsufficientHistoryError extends Error {
  constructor(
    readonly id: string,
    readonly bars: number,
    readonly warmupBars: number,
  ) {
    super(`${id}: ${bars} bar(s) cannot give ${warmupBars} bars of warm-up plus one bar to trade`);
    this.name = 'InsufficientHistoryError';
  }
}

/** range() over an in-memory sorted candle array: bar `warmupBars` is the first with that many bars before it. */
export function computeRange(
  id: string,
  candles: readonly Candle[],
  barMs: number,
  warmupBars: number,
): { firstCloseMs: number; lastCloseMs: number } {
  const w = Math.max(0, Math.floor(warmupBars));
  const first = candles[w];
  const last = candles[candles.length - 1];
  if (!first || !last) throw new InsufficientHistoryError(id, candles.length, w);
  return { firstCloseMs: first.t + barMs, lastCloseMs: last.t + barMs };
}
