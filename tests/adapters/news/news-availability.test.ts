import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadNewsFile, openNewsSource, readNewsFile } from '../../../adapters/news/news-source';
import { alignSnapshot, summarizeSnapshot } from '../../../domain/market/align';
import { NEWS_HEADLINE_MAX_CHARS } from '../../../domain/market/news-availability';
import { SHARED_DATA } from '../../helpers/shared-data';

const H = 3600_000;
const GNEWS = `${SHARED_DATA}/news/cryptotrade_gnews_bitcoin_2023-01_2024-02.csv`;
const dir = mkdtempSync(join(tmpdir(), 'news-avail-'));
const write = (name: string, lines: string[]): string => {
  const p = join(dir, name);
  writeFileSync(p, `${lines.join('\n')}\n`);
  return p;
};

describe('news availability follows from the data, not the file name', () => {
  it('a renamed copy of the date-only Google News file gives identical items (each available 24h after its stamp)', () => {
    const renamed = join(dir, 'headlines.csv');
    copyFileSync(GNEWS, renamed);
    const original = readNewsFile(GNEWS);
    expect(readNewsFile(renamed)).toEqual(original);
    expect(loadNewsFile(renamed).delayMs).toBe(24 * H);
  });

  it('a date-only headline stamped 2023-03-10 08:00 does not reach the 08:00 snapshot of that day, whatever the file is called', async () => {
    const stamp = Date.UTC(2023, 2, 10, 8);
    const file = write('plain_news.csv', [
      'timestamp_ms,headline,source,url',
      `${stamp - 24 * H},Bitcoin slides,g,u1`,
      `${stamp},Bitcoin leaks into the snapshot,g,u2`,
    ]);
    const items = await openNewsSource([file]).items(stamp - 48 * H, stamp);
    expect(items.map((i) => i.headline)).toEqual(['Bitcoin slides']);
  });

  it('stamps with time-of-day precision are available at once', () => {
    const t = Date.UTC(2025, 5, 1, 9, 13, 27);
    const file = write('precise.csv', [
      'timestamp_ms,headline,source,url',
      `${t},Bitcoin ticks up,s,u`,
      `${t + 3 * H},Bitcoin ticks down,s,u`,
    ]);
    expect(loadNewsFile(file)).toMatchObject({ delayMs: 0, items: [{ t }, { t: t + 3 * H }] });
  });

  it('news stamped in seconds is refused, naming the file, the row and the unit', () => {
    const file = write('seconds.csv', [
      'timestamp_ms,headline,source,url',
      `${Date.UTC(2025, 5, 1, 9, 13, 27) / 1000},Bitcoin ticks up,s,u`,
    ]);
    expect(() => readNewsFile(file)).toThrow(
      /seconds\.csv, line 2: timestamp 1748769207 looks like seconds \(read as seconds it is 2025-06-01T09:13:27/,
    );
  });
});

describe('news is bounded and read once', () => {
  it('a 10 MB headline is cut to the bound, reported with its row, and keeps prompts small', () => {
    const t = Date.UTC(2025, 5, 1, 9, 13, 27);
    const huge = `Bitcoin ${'x'.repeat(10_000_000)}`;
    const file = write('huge.csv', [
      'timestamp_ms,headline,source,url',
      `${t},ok headline,s,u`,
      `${t + 1000},${huge},s,u`,
    ]);
    const loaded = loadNewsFile(file);
    expect(loaded.items.map((i) => i.headline.length)).toEqual([11, NEWS_HEADLINE_MAX_CHARS]);
    expect(loaded.issues).toEqual([
      {
        file,
        row: 3,
        kind: 'headline_truncated',
        message: `headline of ${huge.length} characters cut to ${NEWS_HEADLINE_MAX_CHARS}`,
      },
    ]);
  });

  it('alignSnapshot bounds headlines from any source and the summary quotes at most 8', () => {
    const close = Date.UTC(2025, 5, 1, 12);
    const news = Array.from({ length: 50 }, (_, i) => ({
      t: close - i * 60_000,
      headline: `h${i} ${'y'.repeat(5000)}`,
      source: 's',
      url: 'u',
      stream: 'micro' as const,
    }));
    const s = alignSnapshot({
      barCloseMs: close,
      barMs: 4 * H,
      candles: [{ t: close - 4 * H, open: 1, high: 1, low: 1, close: 1, volume: 1 }],
      funding: [],
      openInterest: [],
      news,
      orderBook: null,
      lookback: 10,
    });
    expect(Math.max(...s.news.map((n) => n.headline.length))).toBe(NEWS_HEADLINE_MAX_CHARS);
    const summary = summarizeSnapshot(s, 'ref');
    expect(summary.headlines).toHaveLength(8);
    expect(summary.headlines.join('').length).toBeLessThanOrEqual(8 * NEWS_HEADLINE_MAX_CHARS);
  });

  it('opening the same unchanged files again gives the same source (parsed once per run); a changed file is read again', async () => {
    const t = Date.UTC(2025, 5, 1, 9, 13, 27);
    const file = write('once.csv', ['timestamp_ms,headline,source,url', `${t},first,s,u`]);
    const a = openNewsSource([file]);
    expect(openNewsSource([file])).toBe(a);
    expect((await a.items(0, t)).map((i) => i.headline)).toEqual(['first']);
    write('once.csv', ['timestamp_ms,headline,source,url', `${t},first,s,u`, `${t + 1000},second and longer,s,u`]);
    const b = openNewsSource([file]);
    expect(b).not.toBe(a);
    expect((await b.items(0, t + 1000)).map((i) => i.headline)).toEqual(['first', 'second and longer']);
  });
});
