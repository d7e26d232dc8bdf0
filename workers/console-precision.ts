import type * as ccxt from 'ccxt';
import { PAPER_PRECISION, readCcxtPrecision, type MarketPrecision } from '../adapters/exchange/market-precision';
import { createExchange } from '../adapters/market/market-data';
import type { Feed } from '../domain/schemas/config';

/**
 * The precision the main job prints at: the venue's ccxt market when the feed is live, else the paper
 * default. A live venue that cannot be read falls back to the paper default and says so on stderr.
 */
export async function resolveMarketPrecision(feed: Feed, exchange?: ccxt.Exchange): Promise<MarketPrecision> {
  if (feed.kind !== 'live') return PAPER_PRECISION;
  const ex = exchange ?? createExchange(feed.exchangeId);
  try {
    await ex.loadMarkets();
    return readCcxtPrecision(ex, feed.symbol);
  } catch (e) {
    console.warn(
      `market precision of ${feed.exchangeId} ${feed.symbol} unavailable (${(e as Error).message}); printing at the ${PAPER_PRECISION.source}`,
    );
    return PAPER_PRECISION;
  }
}
