import type {
  Candle,
  DataIssue,
  FundingRate,
  MarketSnapshot,
  NewsItem,
  OpenInterest,
  OrderBookTop,
  SnapshotSummary,
} from '../schemas/market';
import { checkCandles, resampleCandles } from './candle-checks';
import { NEWS_HEADLINE_MAX_CHARS, boundHeadline } from './news-availability';
import { DAY_MS, HOUR_MS } from './time-grid';

/** News older than this at the bar close is not in the snapshot. */
export const NEWS_WINDOW_MS = 48 * HOUR_MS;
/** At most this many headlines (the newest) are kept. */
export const NEWS_MAX_ITEMS = 40;
/** Funding settlements kept: 90 × 8h = 30 days, enough for a z-score. */
export const FUNDING_KEEP = 90;
/** Funding older than this at the close is reported stale (Binance settles every 8h). */
const FUNDING_STALE_MS = 16 * 60 * 60 * 1000;
/** At most this many issues are copied into a summary (history stays small). */
const SUMMARY_MAX_ISSUES = 20;

export interface AlignInput {
  /** The bar close the snapshot is as of; nothing later may leak in. */
  barCloseMs: number;
  barMs: number;
  candles: Candle[];
  funding: FundingRate[];
  openInterest: OpenInterest[];
  news: NewsItem[];
  orderBook: OrderBookTop | null;
  /** Closed 4h bars kept (the newest). */
  lookback: number;
}

/** Thrown when no candle has closed by the requested bar close, so no snapshot can exist. */
export class NoClosedBarError extends Error {
  constructor(readonly barCloseMs: number) {
    super(`no closed bar at or before ${barCloseMs}: the feed has no candle with t + barMs <= barCloseMs`);
    this.name = 'NoClosedBarError';
  }
}

/** Keeps finite, time-sorted, unique points with t <= asOf (the last of equal timestamps); reports bad values and ordering. */
function alignPoints<T extends { t: number }>(
  points: readonly T[],
  asOf: number,
  value: (p: T) => number,
  stream: string,
  issues: DataIssue[],
): T[] {
  const kept: T[] = [];
  let sorted = true;
  for (const p of points) {
    if (!(p.t <= asOf)) continue;
    if (!Number.isFinite(value(p)) || !Number.isFinite(p.t)) {
      issues.push({ kind: 'nan', stream, at: Number.isFinite(p.t) ? p.t : null, detail: 'non-finite value' });
      continue;
    }
    const prev = kept[kept.length - 1];
    if (prev && p.t < prev.t) sorted = false;
    kept.push(p);
  }
  if (!sorted) {
    issues.push({ kind: 'out_of_order', stream, at: null, detail: 'points were not sorted by time' });
    kept.sort((a, b) => a.t - b.t);
  }
  // A later row with the same timestamp republishes (corrects) the value: keep the last one.
  const unique = kept.filter((p, i) => i === kept.length - 1 || (kept[i + 1] as T).t !== p.t);
  if (unique.length < kept.length)
    issues.push({
      kind: 'duplicate',
      stream,
      at: null,
      detail: `${kept.length - unique.length} duplicate timestamp(s) dropped`,
    });
  return unique;
}

function compareNews(a: NewsItem, b: NewsItem): number {
  return a.t - b.t || (a.headline < b.headline ? -1 : a.headline > b.headline ? 1 : 0);
}

/**
 * A-A: every stream as of the bar close. Candles count only once closed (t + barMs <= close),
 * so a value computed from the snapshot can never see the forming bar. Bad data is dropped and
 * reported as DataIssue entries (validated here even if the adapter did, since snapshots may
 * come from any source). Issues are reported only for the kept window, so the same bar close
 * gives the same snapshot whatever history or future the caller passed.
 */
export function alignSnapshot(input: AlignInput): MarketSnapshot {
  const { barCloseMs, barMs } = input;
  const lookback = Math.max(1, Math.floor(input.lookback));
  const closed = input.candles.filter((c) => !(c.t + barMs > barCloseMs));
  const checked = checkCandles(closed, barMs);
  if (checked.clean.length === 0) throw new NoClosedBarError(barCloseMs);
  const candles = checked.clean.slice(-lookback);
  const windowStart = (candles[0] as Candle).t;
  const issues = checked.issues.filter((i) => i.at === null || i.at >= windowStart);
  const last = candles[candles.length - 1] as Candle;
  if (last.t + barMs < barCloseMs) {
    issues.push({
      kind: 'stale',
      stream: 'candles',
      at: last.t,
      detail: `last closed bar closes ${(barCloseMs - last.t - barMs) / barMs} bar(s) before the snapshot`,
    });
  }
  const funding = alignPoints(input.funding, barCloseMs, (f) => f.rate, 'funding', issues).slice(-FUNDING_KEEP);
  const lastFunding = funding[funding.length - 1];
  if (lastFunding && barCloseMs - lastFunding.t > FUNDING_STALE_MS) {
    issues.push({
      kind: 'stale',
      stream: 'funding',
      at: lastFunding.t,
      detail: 'no funding settlement in the last 16h',
    });
  }
  const openInterest = alignPoints(input.openInterest, barCloseMs, (o) => o.oi, 'open_interest', issues).slice(
    -lookback,
  );
  const news = input.news
    .filter((n) => n.t <= barCloseMs && n.t > barCloseMs - NEWS_WINDOW_MS)
    .sort(compareNews)
    .slice(-NEWS_MAX_ITEMS)
    // Bounded here too, whatever the source: the prompts quote these headlines.
    .map((n) => (n.headline.length > NEWS_HEADLINE_MAX_CHARS ? { ...n, headline: boundHeadline(n.headline) } : n));
  const orderBook = input.orderBook;
  return {
    barCloseMs,
    candles,
    candles1d: resampleCandles(candles, barMs, DAY_MS),
    funding,
    openInterest,
    news,
    orderBook,
    issues,
  };
}

/** The small form of a snapshot that workflow history carries, with `ref` pointing at the full one. */
export function summarizeSnapshot(s: MarketSnapshot, ref: string): SnapshotSummary {
  const bar = s.candles[s.candles.length - 1];
  if (!bar) throw new NoClosedBarError(s.barCloseMs);
  const funding = s.funding[s.funding.length - 1];
  const oi = s.openInterest[s.openInterest.length - 1];
  return {
    ref,
    barCloseMs: s.barCloseMs,
    lastBarOpenMs: bar.t,
    bar,
    bars: s.candles.length,
    bars1d: s.candles1d.length,
    fundingRate: funding ? funding.rate : null,
    openInterest: oi ? oi.oi : null,
    newsCount: s.news.length,
    headlines: s.news
      .slice(-8)
      .reverse()
      .map((n) => n.headline),
    issues: s.issues.slice(0, SUMMARY_MAX_ISSUES),
  };
}
