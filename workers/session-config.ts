import { resolve } from 'node:path';
import { openMarketData } from '../adapters/market/market-data';
import {
  BAR_MS,
  DEFAULT_SYMBOL,
  DEFAULT_VENUE,
  type Feed,
  type SessionConfig,
  SessionConfigSchema,
  type SessionConfigInput,
} from '../domain/schemas/config';
import { WARMUP_BARS } from '../domain/market/history-bars';
import { sessionIdFor } from './client';
import { gridAtOrAfter } from '../domain/market/time-grid';

/** The project's own deterministic BTC-like series: the offline default feed. */
export const DEFAULT_SYNTHETIC: Feed = { kind: 'synthetic', seed: 7, startMs: Date.UTC(2024, 0, 1), bars: 3000 };

export function csvFeed(
  candles: string,
  extra: {
    funding?: string | undefined;
    news?: string[];
    openInterest?: string | undefined;
    absurdPrices?: 'reject' | 'skip';
  } = {},
): Feed {
  return {
    kind: 'csv',
    candles: resolve(candles),
    funding: extra.funding ? resolve(extra.funding) : null,
    openInterest: extra.openInterest ? resolve(extra.openInterest) : null,
    news: (extra.news ?? []).map((p) => resolve(p)),
    ...(extra.absurdPrices === 'skip' ? { absurdPrices: 'skip' as const } : {}),
  };
}

/** A complete session config: the feed's range resolved (after warm-up), clipped to --from/--to. */
export async function buildSessionConfig(
  input: Omit<SessionConfigInput, 'sessionId'> & { sessionId?: string },
): Promise<SessionConfig> {
  const feed = input.feed;
  let { fromMs = null, toMs = null } = input;
  if (feed.kind !== 'live') {
    const range = await openMarketData(feed).range(WARMUP_BARS);
    fromMs = Math.max(fromMs ?? range.firstCloseMs, range.firstCloseMs);
    toMs = Math.min(toMs ?? range.lastCloseMs, range.lastCloseMs);
    // Align to the bar grid: iterations run on bar closes only.
    fromMs = gridAtOrAfter(fromMs, BAR_MS);
    if (toMs < fromMs)
      throw new Error(`no bars to trade between ${new Date(fromMs).toISOString()} and ${new Date(toMs).toISOString()}`);
  }
  const mode = input.mode ?? 'paper';
  return SessionConfigSchema.parse({
    ...input,
    fromMs,
    toMs,
    mode,
    sessionId: input.sessionId ?? sessionIdFor(input.venue ?? DEFAULT_VENUE, input.symbol ?? DEFAULT_SYMBOL, mode),
  });
}
