import type * as ccxt from 'ccxt';
import { newCcxtExchange } from '../exchange/ccxt-lib';
import type { Feed } from '../../domain/schemas/config';
import { CcxtMarketData } from './ccxt-market-data';
import { CsvMarketData } from './csv-market-data';
import type { MarketData } from './market-data-port';
import { SyntheticMarketData } from './synthetic-market-data';

export type { MarketData } from './market-data-port';
export { InsufficientHistoryError } from './market-data-port';
export { DataFileError } from './data-file-error';

/** Options of {@link openMarketData}. */
export interface OpenMarketDataOptions {
  /** Live candle cache folder. @default '.data/market-cache' */
  cacheDir?: string;
  /** A prepared ccxt exchange (tests, custom credentials); not memoised. @default new ccxt[feed.exchangeId]({ enableRateLimit: true }) */
  exchange?: ccxt.Exchange;
}

// One MarketData per feed per worker process: a CSV is parsed once, a live cache read once.
const opened = new Map<string, MarketData>();

/** A ccxt exchange by id (public endpoints; no keys). */
export function createExchange(exchangeId: string): ccxt.Exchange {
  const exchange = newCcxtExchange(exchangeId, { enableRateLimit: true });
  if (!exchange) throw new Error(`unknown ccxt exchange id '${exchangeId}'`);
  return exchange;
}

function createMarketData(feed: Feed, opts: OpenMarketDataOptions): MarketData {
  switch (feed.kind) {
    case 'csv':
      return new CsvMarketData({
        candles: feed.candles,
        funding: feed.funding,
        openInterest: feed.openInterest,
        absurdPrices: feed.absurdPrices ?? 'reject',
      });
    case 'synthetic':
      return new SyntheticMarketData({ seed: feed.seed, startMs: feed.startMs, bars: feed.bars });
    case 'live':
      return new CcxtMarketData({
        exchange: opts.exchange ?? createExchange(feed.exchangeId),
        symbol: feed.symbol,
        ...(opts.cacheDir !== undefined ? { cacheDir: opts.cacheDir } : {}),
      });
  }
}

/** Opens (once per feed and cache folder) the market data a feed describes: CSV files, the synthetic series, or ccxt. */
export function openMarketData(feed: Feed, opts: OpenMarketDataOptions = {}): MarketData {
  if (opts.exchange) return createMarketData(feed, opts);
  const key = JSON.stringify([feed, opts.cacheDir ?? null]);
  let md = opened.get(key);
  if (!md) {
    md = createMarketData(feed, opts);
    opened.set(key, md);
  }
  return md;
}
