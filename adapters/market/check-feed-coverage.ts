import type { Feed } from '../../domain/schemas/config';
import type { DataIssueReport } from '../../domain/schemas/data-issues';
import { checkCoverage } from '../../domain/market/coverage';
import { openNewsSource } from '../news/news-source';
import { DataFileError } from './data-file-error';
import type { MarketData } from './market-data-port';

const H = 3_600_000;

/**
 * Checks each side file of a CSV feed (funding, open interest, news) against the traded window:
 * a file with nothing in the window is refused (it would change the result without a word), a
 * partial one is reported. Returns the warnings plus the news rows changed on the way in.
 */
export async function checkFeedCoverage(
  feed: Feed,
  market: MarketData,
  fromMs: number,
  toMs: number,
): Promise<DataIssueReport[]> {
  if (feed.kind !== 'csv') return [];
  const issues: DataIssueReport[] = [];
  const check = (file: string, what: string, times: number[], slackMs: number): void => {
    const result = checkCoverage({ file, what, times, fromMs, toMs, slackMs });
    if (result.error) throw new DataFileError(file, null, result.error);
    issues.push(...result.warnings);
  };
  if (feed.funding)
    check(
      feed.funding,
      'funding',
      (await market.funding(-1, Number.MAX_SAFE_INTEGER)).map((f) => f.t),
      16 * H,
    );
  if (feed.openInterest)
    check(
      feed.openInterest,
      'open interest',
      (await market.openInterest(-1, Number.MAX_SAFE_INTEGER)).map((o) => o.t),
      16 * H,
    );
  for (const file of openNewsSource(feed.news).files()) {
    // News is bursty: a week without a headline at either end is normal, three days inside is not judged.
    check(
      file.file,
      'news',
      file.items.map((i) => i.t),
      7 * 24 * H,
    );
    issues.push(...file.issues);
  }
  return issues;
}
