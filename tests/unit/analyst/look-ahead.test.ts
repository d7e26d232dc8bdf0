import { BAR_MS } from '../../../domain/schemas/config';
import { readCandleFile, readFundingFile, readOpenInterestFile } from '../../../adapters/market/csv-files';
import { readNewsFile } from '../../../adapters/news/news-source';
import { FEATURE_METHODS, computeFeatures } from '../../../domain/analyst/feature-methods';
import { TREND_METHODS, detectTrend } from '../../../domain/analyst/trend-methods';
import { alignSnapshot } from '../../../domain/market/align';
import type { Candle, FundingRate, NewsItem, OpenInterest } from '../../../domain/schemas/market';
import { SHARED_DATA } from '../../helpers/shared-data';

// Look-ahead guard: everything an analyst computes at bar close t must be identical whether the
// data after t is present, deleted, or altered. Real data, bars before the 2025-07-01 holdout only.
const DATA = SHARED_DATA;
const BAR = BAR_MS;
const HOLDOUT = Date.UTC(2025, 6, 1);
const LOOKBACK = 300;

const candlesAll = readCandleFile(`${DATA}/candles/binance_usdm_btcusdt_perp_4h_resampled_from_1h.csv`).candles.filter(
  (c) => c.t + BAR <= HOLDOUT,
);
const fundingAll = readFundingFile(`${DATA}/funding/binance_usdm_btcusdt_funding_8h.csv`).filter((f) => f.t < HOLDOUT);
const oiAll = readOpenInterestFile(`${DATA}/open_interest/coinalyze_binance_btcusdt_perp_oi_1h.csv`);
const newsAll = readNewsFile(`${DATA}/news/bitcoin_news_cryptocompare_2025-05_2025-08.csv`).filter(
  (n) => n.t < HOLDOUT,
);

interface Inputs {
  candles: Candle[];
  funding: FundingRate[];
  openInterest: OpenInterest[];
  news: NewsItem[];
}

/** Everything the analysts produce at close t, as one string. */
function analyse(t: number, x: Inputs): string {
  const s = alignSnapshot({ barCloseMs: t, barMs: BAR, ...x, orderBook: null, lookback: LOOKBACK });
  const out: unknown[] = [s];
  const features = FEATURE_METHODS.map((fm) => computeFeatures(s, { id: fm.id, params: {} }));
  out.push(features);
  // Trend rules read only the snapshot (features.close is echoed); pair each with a different family.
  TREND_METHODS.forEach((tm, i) =>
    out.push(detectTrend(s, features[i % features.length] ?? {}, { id: tm.id, params: {} })),
  );
  return JSON.stringify(out);
}

function truncate(x: Inputs, t: number): Inputs {
  return {
    candles: x.candles.filter((c) => c.t + BAR <= t),
    funding: x.funding.filter((f) => f.t <= t),
    openInterest: x.openInterest.filter((o) => o.t <= t),
    news: x.news.filter((n) => n.t <= t),
  };
}

function alter(x: Inputs, t: number): Inputs {
  return {
    candles: x.candles.map((c) =>
      c.t + BAR <= t
        ? c
        : {
            ...c,
            open: c.open * 1.5,
            high: c.high * 1.5,
            low: c.low * 1.5,
            close: c.close * 1.5,
            volume: c.volume * 2,
          },
    ),
    funding: x.funding.map((f) => (f.t <= t ? f : { ...f, rate: -f.rate - 0.001 })),
    openInterest: x.openInterest.map((o) => (o.t <= t ? o : { ...o, oi: o.oi * 3 })),
    news: x.news.map((n) => (n.t <= t ? n : { ...n, headline: `FUTURE ${n.headline}` })),
  };
}

/** Points with t in [from, to], by binary search (inputs are sorted). */
function between<T extends { t: number }>(xs: T[], from: number, to: number): T[] {
  const lower = (bound: number): number => {
    let lo = 0;
    let hi = xs.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((xs[mid] as T).t < bound) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  return xs.slice(lower(from), lower(to + 1));
}

/**
 * Runs the three variants at `bars` consecutive closes from `fromMs` and returns the closes
 * where they differ. Each close gets the history it needs plus 10 days of future data (every
 * stream), so the check stays fast while the future is really there to leak.
 */
function findLeaks(fromMs: number, bars: number): { checked: number; leaks: string[] } {
  const leaks: string[] = [];
  let checked = 0;
  const future = 10 * 86400_000;
  for (let i = 0; i < bars; i++) {
    const t = fromMs + i * BAR;
    const full: Inputs = {
      candles: between(candlesAll, t - (LOOKBACK + 20) * BAR, t + future),
      funding: between(fundingAll, t - 40 * 86400_000, t + future),
      openInterest: between(oiAll, t - (LOOKBACK + 20) * BAR, t + future),
      news: between(newsAll, t - 3 * 86400_000, t + future),
    };
    expect(full.candles[full.candles.length - 1]?.t).toBeGreaterThan(t);
    const base = analyse(t, full);
    if (analyse(t, truncate(full, t)) !== base)
      leaks.push(`${new Date(t).toISOString()} differs when later data is deleted`);
    if (analyse(t, alter(full, t)) !== base)
      leaks.push(`${new Date(t).toISOString()} differs when later data is altered`);
    checked++;
  }
  return { checked, leaks };
}

describe('no look-ahead in A-A, A-B and A-C', () => {
  it('gives identical snapshots, features and trend calls at 1,026 closes (2025-01-10 to 2025-06-30) when later bars, funding and news are deleted or altered', () => {
    const from = Date.UTC(2025, 0, 10);
    const bars = Math.floor((HOLDOUT - BAR - from) / BAR);
    expect(bars).toBeGreaterThanOrEqual(1000);
    const { checked, leaks } = findLeaks(from, bars);
    expect(checked).toBe(bars);
    expect(leaks).toEqual([]);
  });

  it('gives identical results across the open-interest window (2024-06-20 to 2024-07-20)', () => {
    const { checked, leaks } = findLeaks(Date.UTC(2024, 5, 20), 180);
    expect(checked).toBe(180);
    expect(leaks).toEqual([]);
  });

  it('is not vacuous: altering data before the close does change the result', () => {
    const t = Date.UTC(2025, 2, 1);
    const full: Inputs = { candles: candlesAll, funding: fundingAll, openInterest: [], news: [] };
    const leaky = alter(full, t - 2 * BAR);
    expect(analyse(t, leaky)).not.toBe(analyse(t, full));
  });
});
