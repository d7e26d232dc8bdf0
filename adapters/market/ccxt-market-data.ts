import { join } from 'node:path';
import type * as ccxt from 'ccxt';
import { BAR_MS, DEFAULT_SYMBOL } from '../../domain/schemas/config';
import {
  type Candle,
  CandleSchema,
  type DataIssue,
  type FundingRate,
  type OpenInterest,
  type OrderBookTop,
} from '../../domain/schemas/market';
import { checkEmptyResult, parseBookTop, parseFundingRows, parseOhlcvRows, parseOpenInterestRows } from './ccxt-parse';
import { JsonlSeriesCache } from './jsonl-cache';
import { type MarketData, computeRange } from './market-data-port';
import { type RetryOptions, retryNetworkErrors } from './network-retry';
import { sliceClosed, sliceRange } from './series-slice';

/** Options of {@link CcxtMarketData}. */
export interface CcxtMarketDataOptions {
  exchange: ccxt.Exchange;
  /** @default DEFAULT_SYMBOL, the BTC/USDT perpetual */
  symbol?: string;
  /** Folder of the JSON-lines candle cache. @default '.data/market-cache' */
  cacheDir?: string;
  /** @default 4h */
  barMs?: number;
  /** Rows asked per fetchOHLCV call (Binance USDⓈ-M allows 1500). @default 1000 */
  pageLimit?: number;
  retry?: RetryOptions;
}

const TIMEFRAMES: Record<number, string> = {
  [60 * 60 * 1000]: '1h',
  [4 * 60 * 60 * 1000]: '4h',
  [24 * 60 * 60 * 1000]: '1d',
};
/** Binance keeps open-interest history for 30 days only; ask for a little less. */
const OI_HISTORY_MS = 29 * 24 * 60 * 60 * 1000;
const MAX_PAGES = 200;

/**
 * Live market data through ccxt. Closed candles are cached as JSON lines under cacheDir, so a
 * session fetches only bars newer than the cached ones; the still-forming candle is never
 * returned nor cached. Transient ccxt errors are retried with backoff (network-retry.ts).
 */
export class CcxtMarketData implements MarketData {
  readonly id: string;
  private readonly ex: ccxt.Exchange;
  private readonly symbol: string;
  private readonly barMs: number;
  private readonly pageLimit: number;
  private readonly cache: JsonlSeriesCache<Candle>;
  private bars: Candle[] | null = null;
  private fundingSeen: FundingRate[] = [];
  /** The `since` the funding memory was filled from; an earlier window refetches. */
  private fundingFrom = Number.POSITIVE_INFINITY;

  constructor(private readonly opts: CcxtMarketDataOptions) {
    this.ex = opts.exchange;
    this.symbol = opts.symbol ?? DEFAULT_SYMBOL;
    this.barMs = opts.barMs ?? BAR_MS;
    this.pageLimit = opts.pageLimit ?? 1000;
    this.id = `ccxt:${this.ex.id}:${this.symbol}`;
    const name = `${this.ex.id}-${this.symbol.replace(/[^A-Za-z0-9]+/g, '_')}-${this.timeframe}.jsonl`;
    this.cache = new JsonlSeriesCache(join(opts.cacheDir ?? '.data/market-cache', name), CandleSchema);
  }

  private get timeframe(): string {
    const tf = TIMEFRAMES[this.barMs];
    if (!tf) throw new Error(`no ccxt timeframe for a bar of ${this.barMs} ms`);
    return tf;
  }

  private call<T>(fn: () => Promise<T>): Promise<T> {
    return retryNetworkErrors(fn, this.opts.retry);
  }

  /** Fetches closed bars with open time >= since (paging forward) until untilMs is covered or the exchange has no more. */
  private async fetchBars(since: number, untilMs: number): Promise<Candle[]> {
    await this.call(() => this.ex.loadMarkets());
    const now = this.ex.milliseconds();
    const out: Candle[] = [];
    let cursor = since;
    for (let page = 0; page < MAX_PAGES; page++) {
      const raw = await this.call(() => this.ex.fetchOHLCV(this.symbol, this.timeframe, cursor, this.pageLimit));
      const rows = parseOhlcvRows(this.ex.id, raw);
      if (rows.length === 0) checkEmptyResult(this.ex.id, 'fetchOHLCV', this.ex.last_http_response);
      for (const c of rows) {
        const prev = out[out.length - 1];
        if (c.t < cursor || (prev && c.t <= prev.t)) continue;
        if (c.t + this.barMs <= now) out.push(c);
      }
      const last = rows[rows.length - 1];
      if (!last || rows.length < this.pageLimit || last.t + this.barMs >= untilMs || last.t + this.barMs > now) break;
      cursor = last.t + this.barMs;
    }
    return out;
  }

  async candles(untilMs: number, limit: number): Promise<Candle[]> {
    this.bars ??= this.cache.load();
    const wantStart = untilMs - Math.max(1, limit) * this.barMs;
    const first = this.bars[0];
    const last = this.bars[this.bars.length - 1];
    if (!first || !last || first.t > wantStart) {
      // Cache empty or too short on the old side: fetch the whole window and rewrite the cache.
      const fetched = await this.fetchBars(wantStart, untilMs);
      const merged = new Map<number, Candle>();
      for (const c of [...fetched, ...this.bars]) if (!merged.has(c.t)) merged.set(c.t, c);
      this.bars = [...merged.values()].sort((a, b) => a.t - b.t);
      this.cache.replace(this.bars);
    } else if (last.t + this.barMs < untilMs) {
      const fetched = (await this.fetchBars(last.t + this.barMs, untilMs)).filter((c) => c.t > last.t);
      this.bars.push(...fetched);
      this.cache.append(fetched);
    }
    return sliceClosed(this.bars, this.barMs, untilMs, limit);
  }

  async funding(sinceMs: number, untilMs: number): Promise<FundingRate[]> {
    // Settlements are immutable once published: keep them in memory and fetch only newer ones.
    if (sinceMs < this.fundingFrom) {
      this.fundingSeen = [];
      this.fundingFrom = sinceMs;
    }
    const last = this.fundingSeen[this.fundingSeen.length - 1];
    let cursor = last ? last.t + 1 : this.fundingFrom + 1;
    for (let page = 0; page < MAX_PAGES && cursor <= untilMs; page++) {
      const raw = await this.call(() => this.ex.fetchFundingRateHistory(this.symbol, cursor, this.pageLimit));
      const parsed = parseFundingRows(this.ex.id, raw);
      if (parsed.length === 0) checkEmptyResult(this.ex.id, 'fetchFundingRateHistory', this.ex.last_http_response);
      const rows = parsed.filter((f) => f.t >= cursor);
      this.fundingSeen.push(...rows);
      const tail = rows[rows.length - 1];
      if (!tail || rows.length < this.pageLimit) break;
      cursor = tail.t + 1;
    }
    return sliceRange(this.fundingSeen, sinceMs, untilMs);
  }

  async openInterest(sinceMs: number, untilMs: number): Promise<OpenInterest[]> {
    const since = Math.max(sinceMs + 1, this.ex.milliseconds() - OI_HISTORY_MS);
    const raw = await this.call(() => this.ex.fetchOpenInterestHistory(this.symbol, '1h', since, 500));
    const rows = parseOpenInterestRows(this.ex.id, raw).sort((a, b) => a.t - b.t);
    return sliceRange(rows, sinceMs, untilMs);
  }

  async orderBookTop(): Promise<OrderBookTop | null> {
    const book = await this.call(() => this.ex.fetchOrderBook(this.symbol, 5));
    return parseBookTop(this.ex.id, book, this.ex.milliseconds());
  }

  async range(warmupBars: number): Promise<{ firstCloseMs: number; lastCloseMs: number }> {
    const lastClose = Math.floor(this.ex.milliseconds() / this.barMs) * this.barMs;
    const bars = await this.candles(lastClose, warmupBars + 1);
    return computeRange(this.id, bars, this.barMs, warmupBars);
  }

  async issues(): Promise<DataIssue[]> {
    return [];
  }
}
