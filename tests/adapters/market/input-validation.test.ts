import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkFeedCoverage } from '../../../adapters/market/check-feed-coverage';
import { readCandleFile, readFundingFile } from '../../../adapters/market/csv-files';
import { CsvMarketData } from '../../../adapters/market/csv-market-data';
import { DataFileError } from '../../../adapters/market/data-file-error';
import { csvFeed } from '../../../workers/session-config';

const H = 3600_000;
const BAR = 4 * H;
const dir = mkdtempSync(join(tmpdir(), 'input-validation-'));
const HEAD = 'timestamp_ms,open,high,low,close,volume';
const t0 = Date.UTC(2023, 2, 1);

function write(name: string, lines: string[]): string {
  const p = join(dir, name);
  writeFileSync(p, `${lines.join('\n')}\n`);
  return p;
}

const row = (t: number, close = 20_000): string => `${t},${close},${close * 1.01},${close * 0.99},${close},10`;
const candleRows = (n: number, from = t0): string[] =>
  Array.from({ length: n }, (_, i) => row(from + i * BAR, 20_000 + 10 * i));

function errorOf(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error');
}

describe('wrong units are named, not silently accepted', () => {
  it('candle timestamps in seconds: the error names the line and says "looks like seconds"', () => {
    const file = write('candles_seconds.csv', [
      HEAD,
      ...candleRows(3).map((r) => r.replace(/^(\d+)/, (ms) => String(Number(ms) / 1000))),
    ]);
    const err = errorOf(() => readCandleFile(file));
    expect(err).toBeInstanceOf(DataFileError);
    expect(err.message).toBe(
      `${file}, line 2: timestamp ${t0 / 1000} looks like seconds (read as seconds it is 2023-03-01T00:00:00.000Z); timestamp_ms must be epoch milliseconds`,
    );
  });

  it('funding timestamps in seconds and in microseconds are refused with the unit', () => {
    const seconds = write('funding_seconds.csv', ['timestamp_ms,funding_rate', `${t0 / 1000},0.0001`]);
    expect(() => readFundingFile(seconds)).toThrow(/funding_seconds\.csv, line 2: timestamp \d+ looks like seconds/);
    const micro = write('funding_micro.csv', ['timestamp_ms,funding_rate', `${t0 * 1000},0.0001`]);
    expect(() => readFundingFile(micro)).toThrow(/funding_micro\.csv, line 2: timestamp \d+ looks like microseconds/);
  });
});

describe('a file from another period', () => {
  const candles = write('candles_2023.csv', [HEAD, ...candleRows(400)]);
  const from = t0 + 260 * BAR;
  const to = t0 + 399 * BAR;

  it('funding that covers none of the traded window is refused, saying what it covers and what is traded', async () => {
    const funding = write('funding_2025.csv', [
      'timestamp_ms,funding_rate',
      ...Array.from({ length: 30 }, (_, i) => `${Date.UTC(2025, 1, 1) + i * 8 * H},0.0001`),
    ]);
    const feed = csvFeed(candles, { funding });
    const market = new CsvMarketData({ candles, funding, openInterest: null });
    await expect(checkFeedCoverage(feed, market, from, to)).rejects.toThrow(
      `${funding}: funding covers 2025-02-01 → 2025-02-10 but the backtest trades 2023-04-13 → 2023-05-06: no funding inside the traded window`,
    );
  });

  it('funding that starts after the window opens is reported as a coverage warning', async () => {
    const start = from + 10 * 24 * H;
    const funding = write('funding_late.csv', [
      'timestamp_ms,funding_rate',
      ...Array.from({ length: 60 }, (_, i) => `${start + i * 8 * H},0.0001`),
    ]);
    const market = new CsvMarketData({ candles, funding, openInterest: null });
    const issues = await checkFeedCoverage(csvFeed(candles, { funding }), market, from, to);
    expect(issues).toEqual([
      expect.objectContaining({
        file: funding,
        kind: 'coverage',
        message: expect.stringContaining('no funding before 2023-04-23'),
      }),
    ]);
  });
});

describe('absurd prices', () => {
  const lines = [HEAD, ...candleRows(6)];
  lines[4] = `${t0 + 3 * BAR},20030,1e15,20000,1e15,10`;
  const file = write('absurd.csv', lines);

  it('a close of 1e15 in one row is refused, naming the row and the move', () => {
    expect(() => readCandleFile(file)).toThrow(
      /absurd\.csv, line 5: high 1000000000000000 is 5\.\d+e\+10× the previous close 20020: no BTC market moves that much in one bar/,
    );
  });

  it('with the explicit skip policy the row is reported and skipped, and the next bar follows the last good close', async () => {
    const read = readCandleFile(file, BAR, 'skip');
    expect(read.candles.map((c) => c.close)).toEqual([20_000, 20_010, 20_020, 20_040, 20_050]);
    expect(read.skipped).toEqual([
      {
        file,
        row: 5,
        time: '2023-03-01T12:00:00.000Z',
        kind: 'absurd_price',
        message: expect.stringMatching(/: row skipped$/),
      },
    ]);
    const market = new CsvMarketData({ candles: file, funding: null, openInterest: null, absurdPrices: 'skip' });
    expect((await market.reportIssues()).map((i) => i.kind)).toEqual(['gap', 'absurd_price']);
  });

  it('the real worst bars (March 2020, −30% in 4h) pass', () => {
    const crash = write('crash.csv', [
      HEAD,
      row(t0, 7900),
      `${t0 + BAR},7900,7950,5500,5600,10`,
      `${t0 + 2 * BAR},5600,6100,4400,4800,10`,
    ]);
    expect(readCandleFile(crash).candles).toHaveLength(3);
  });
});

describe('error messages quote a bad cell briefly', () => {
  it('a 1 MB cell is quoted to 80 characters plus its length', () => {
    const huge = 'z'.repeat(1_000_000);
    const file = write('huge_cell.csv', [HEAD, row(t0), `${t0 + BAR},100,101,99,${huge},10`]);
    const err = errorOf(() => readCandleFile(file));
    expect(err.message).toBe(
      `${file}, line 3: column close is not a finite number: '${'z'.repeat(80)}…' (1000000 characters)`,
    );
  });
});
