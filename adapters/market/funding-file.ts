import { fundingIntervalOf, isOnFundingGrid, settlementTimeOf } from '../../domain/exchange/funding-settlement';
import type { ExchangeCosts, Feed } from '../../domain/schemas/config';
import type { DataIssueReport } from '../../domain/schemas/data-issues';
import type { FundingRate } from '../../domain/schemas/market';
import { readFundingFile } from './csv-files';

/**
 * Funding rows that do not sit on the venue's settlement grid. They are not settlements of their
 * own: the exchange applies such a rate at the next grid instant, as the last rate published before
 * it. `funding` is what readFundingFile returned for `file`: one entry per data line from line 2
 * on, in file order (the reader refuses blank lines inside the data), so entry i is line i + 2.
 */
export function findOffGridFundingRows(
  file: string,
  funding: readonly FundingRate[],
  intervalMs: number,
): DataIssueReport[] {
  const hours = intervalMs / 3_600_000;
  const issues: DataIssueReport[] = [];
  funding.forEach((f, i) => {
    if (isOnFundingGrid(f.t, intervalMs)) return;
    const next = new Date(settlementTimeOf(f.t, intervalMs)).toISOString();
    issues.push({
      file,
      row: i + 2,
      time: new Date(f.t).toISOString(),
      kind: 'funding_off_grid',
      message: `funding timestamp ${new Date(f.t).toISOString()} is off the ${hours}h settlement grid: not a settlement; its rate applies at ${next} unless a later rate is published for it`,
    });
  });
  return issues;
}

/** Reads a funding CSV strictly (see readFundingFile) and reports its off-grid rows. */
export function readFundingFileIssues(file: string, intervalMs: number): DataIssueReport[] {
  return findOffGridFundingRows(file, readFundingFile(file), intervalMs);
}

/** The off-grid rows of a session's funding file (none when the feed has no funding file). */
export function findFeedFundingIssues(feed: Feed, costs: ExchangeCosts): DataIssueReport[] {
  return feed.kind === 'csv' && feed.funding ? readFundingFileIssues(feed.funding, fundingIntervalOf(costs)) : [];
}
