import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { findFeedFundingIssues, readFundingFileIssues } from '../../../adapters/market/funding-file';
import { ExchangeCostsSchema, FUNDING_INTERVAL_MS } from '../../../domain/schemas/config';
import { csvFeed } from '../../../workers/session-config';

const H = 3600_000;
const T0 = Date.UTC(2023, 0, 1);
const REAL = resolve(__dirname, '../../../../shared/data/funding/binance_usdm_btcusdt_funding_8h.csv');

function writeFunding(rows: [number, number][]): string {
  const file = join(mkdtempSync(join(tmpdir(), 'funding-')), 'funding.csv');
  writeFileSync(file, ['timestamp_ms,funding_rate', ...rows.map(([t, r]) => `${t},${r}`)].join('\n') + '\n');
  return file;
}

describe('funding file: rows off the settlement grid', () => {
  it('reports each off-grid row with its file and line, and none of the on-grid rows', () => {
    const file = writeFunding([
      [T0, 0.0001],
      [T0 + 8 * H, 0.0001],
      [T0 + 13 * H, 0.0002],
      [T0 + 16 * H, 0.0001],
      [T0 + 16 * H + 1, 0.0003],
    ]);
    const issues = readFundingFileIssues(file, FUNDING_INTERVAL_MS);
    expect(issues.map((i) => ({ file: i.file, row: i.row }))).toEqual([
      { file, row: 4 },
      { file, row: 6 },
    ]);
    expect(issues[0]!.message).toContain('2023-01-01T13:00:00.000Z is off the 8h settlement grid');
    expect(issues[0]!.message).toContain('applies at 2023-01-01T16:00:00.000Z');
  });

  it('checks against the venue setting of the session, and only csv feeds with a funding file', () => {
    const file = writeFunding([
      [T0, 0.0001],
      [T0 + 4 * H, 0.0001],
    ]);
    const feed = csvFeed('candles.csv', { funding: file });
    expect(findFeedFundingIssues(feed, ExchangeCostsSchema.parse({}))).toHaveLength(1);
    expect(findFeedFundingIssues(feed, ExchangeCostsSchema.parse({ fundingIntervalMs: 4 * H }))).toEqual([]);
    expect(findFeedFundingIssues(csvFeed('candles.csv'), ExchangeCostsSchema.parse({}))).toEqual([]);
  });

  it('finds the real Binance funding history entirely on the 8h grid', () => {
    expect(readFundingFileIssues(REAL, FUNDING_INTERVAL_MS)).toEqual([]);
  });
});
