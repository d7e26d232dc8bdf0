import { basename, resolve } from 'node:path';
import type { Feed } from '../domain/schemas/config';
import { csvFeed } from './session-config';

export { DEFAULT_SYNTHETIC as SYNTHETIC_DEMO_FEED } from './session-config';

const PROJECT_ROOT = resolve(__dirname, '..');

/**
 * The embedded default feed of `npm start`: one year of real Binance USDⓈ-M BTCUSDT perpetual 4h candles
 * and their 8h funding, shipped in data/ (provenance in data/README.md). The year ends a year before the
 * project's 2025-07-01 holdout, so replaying it can inform nothing that is later evaluated.
 */
export const DEFAULT_FEED_FILES = {
  candles: resolve(PROJECT_ROOT, 'data/btcusdt-perp-4h-2023-07_2024-06.csv'),
  funding: resolve(PROJECT_ROOT, 'data/btcusdt-perp-funding-8h-2023-07_2024-06.csv'),
} as const;

/** One line naming the embedded data and where it comes from (the main job's first line quotes it). */
export const DEFAULT_FEED_SOURCE =
  'real Binance USDⓈ-M BTCUSDT perp 4h candles 2023-07-01 → 2024-06-30 + 8h funding, from public freqtrade downloads (GitHub maxakak1998/trading_bot, Roshan7869/algotrading; see data/README.md)';

/** The embedded real-data feed (absolute paths: the workers read the same files). */
export function createDefaultFeed(): Feed {
  return csvFeed(DEFAULT_FEED_FILES.candles, { funding: DEFAULT_FEED_FILES.funding });
}

/** What the feed is, for the main job's first line: real data with its source, a CSV file, synthetic, or live. */
export function describeFeed(feed: Feed): string {
  switch (feed.kind) {
    case 'csv':
      return feed.candles === DEFAULT_FEED_FILES.candles
        ? DEFAULT_FEED_SOURCE
        : `CSV ${basename(feed.candles)}${feed.funding ? ` + funding ${basename(feed.funding)}` : ''}`;
    case 'synthetic':
      return `SYNTHETIC series (seed ${feed.seed}): generated prices, not market data; its dates are labels only`;
    case 'live':
      return `live ${feed.exchangeId} ${feed.symbol} via ccxt`;
  }
}
