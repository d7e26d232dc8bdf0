import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataFileError } from '../../../adapters/market/data-file-error';
import { parseCsv } from '../../../adapters/news/csv-parse';
import { openNewsSource, readNewsFile } from '../../../adapters/news/news-source';
import { alignSnapshot } from '../../../domain/market/align';
import { SHARED_DATA } from '../../helpers/shared-data';

const H = 3600_000;
const dir = mkdtempSync(join(tmpdir(), 'news-'));
const write = (name: string, text: string): string => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

describe('parseCsv', () => {
  it('handles quoted fields with commas, doubled quotes, newlines and CRLF', () => {
    const rows = parseCsv('a,b,c\r\n1,"x, y","say ""hi"""\r\n2,"multi\nline",\n');
    expect(rows).toEqual([
      { line: 1, cells: ['a', 'b', 'c'] },
      { line: 2, cells: ['1', 'x, y', 'say "hi"'] },
      { line: 3, cells: ['2', 'multi\nline', ''] },
    ]);
  });

  it('rejects an unterminated quote', () => {
    expect(() => parseCsv('a\n"open')).toThrow(/line 2: unterminated/);
  });
});

describe('file news source', () => {
  const close = Date.UTC(2025, 5, 1, 12);
  const precise = write(
    'precise.csv',
    [
      'timestamp_ms,headline,source,url',
      `${close - 2 * H},"Bitcoin tops $105,000 as ETF inflows surge",CoinDesk,https://x/1`,
      `${close - H},"Fed's Powell: ""no hurry"" on rate cuts",Reuters,https://x/2`,
      `${close},Bitcoin at the close,CoinDesk,https://x/3`,
      `${close + 1},FUTURE: Bitcoin crashes 20%,Planted,https://x/4`,
      `${close + 3 * H},FUTURE: CPI shock,Planted,https://x/5`,
    ].join('\n'),
  );
  // Date-only feed: stamped at the day's 08:00 UTC, usable only 24h later.
  const dayStamp = Date.UTC(2025, 4, 31, 8);
  const dateOnly = write(
    'cryptotrade_gnews_bitcoin_test.csv',
    [
      'timestamp_ms,headline,source,url',
      `${dayStamp},Bitcoin dips overnight,Yahoo Finance,https://g/1`,
      `${dayStamp + 24 * H},FUTURE: tomorrow's story,Yahoo Finance,https://g/2`,
    ].join('\n'),
  );

  it('returns only items with t in (since, until]: no planted future headline leaks', async () => {
    const src = openNewsSource([precise, dateOnly]);
    const items = await src.items(close - 48 * H, close);
    expect(items.map((i) => i.headline).filter((h) => h.startsWith('FUTURE'))).toEqual([]);
    expect(items.map((i) => i.headline)).toEqual([
      'Bitcoin dips overnight', // date-only, stamped May 31 08:00, usable from June 1 08:00
      'Bitcoin tops $105,000 as ETF inflows surge',
      'Fed\'s Powell: "no hurry" on rate cuts',
      'Bitcoin at the close',
    ]);
    expect(items.map((i) => i.stream)).toEqual(['micro', 'micro', 'macro', 'micro']);
  });

  it('makes date-only (cryptotrade_gnews) items available at timestamp + 24h, not before', async () => {
    const src = openNewsSource([dateOnly]);
    expect(await src.items(0, dayStamp + 24 * H - 1)).toEqual([]);
    const at = await src.items(0, dayStamp + 24 * H);
    expect(at).toEqual([
      {
        t: dayStamp + 24 * H,
        headline: 'Bitcoin dips overnight',
        source: 'Yahoo Finance',
        url: 'https://g/1',
        stream: 'micro',
      },
    ]);
  });

  it('feeds alignSnapshot without leaks even when the caller passes future items', async () => {
    const all = await openNewsSource([precise, dateOnly]).items(0, Number.MAX_SAFE_INTEGER);
    const candles = [{ t: close - 4 * H, open: 1, high: 1, low: 1, close: 1, volume: 1 }];
    const s = alignSnapshot({
      barCloseMs: close,
      barMs: 4 * H,
      candles,
      funding: [],
      openInterest: [],
      news: all,
      orderBook: null,
      lookback: 10,
    });
    expect(s.news.every((n) => n.t <= close && !n.headline.startsWith('FUTURE'))).toBe(true);
    expect(s.news).toHaveLength(4);
  });

  it('names the file and line of a malformed row', () => {
    const bad = write('bad.csv', 'timestamp_ms,headline,source,url\n1700000000000,ok,s,u\nnot-a-time,x,s,u\n');
    expect(() => readNewsFile(bad)).toThrow(DataFileError);
    expect(() => readNewsFile(bad)).toThrow(/bad\.csv, line 3: timestamp_ms is not a non-negative integer/);
    const short = write('short.csv', 'timestamp_ms,headline,source,url\n1700000000000,"a, b",s\n');
    expect(() => readNewsFile(short)).toThrow(/short\.csv, line 2: expected 4 columns, found 3/);
  });

  it('reads the real news files before the holdout and shifts only the date-only one', () => {
    const gnews = readNewsFile(`${SHARED_DATA}/news/cryptotrade_gnews_bitcoin_2023-01_2024-02.csv`);
    expect(gnews.length).toBe(1667);
    expect(gnews[0]?.t).toBe(1672560000000 + 24 * H);
    const cc = readNewsFile(`${SHARED_DATA}/news/bitcoin_news_cryptocompare_2025-05_2025-08.csv`);
    expect(cc[0]).toMatchObject({ t: 1746182324000, source: 'Cointelegraph' });
    expect(cc[1]?.headline).toBe('Circle’s Refund Protocol, explained: Bringing refunds to stablecoin payments');
    // Headlines are sorted into the micro and macro streams (the 2025-09 micro/macro file lies in the holdout: not read).
    expect(new Set(gnews.map((n) => n.stream))).toEqual(new Set(['micro', 'macro']));
  });
});
