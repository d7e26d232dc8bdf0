import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { classifyHeadline } from '../../domain/market/news-stream';
import type { NewsItem } from '../../domain/schemas/market';
import { DataFileError } from '../market/data-file-error';
import { sliceRange } from '../market/series-slice';
import { CsvSyntaxError, parseCsv } from './csv-parse';

export { SerpApiNewsSource } from './serpapi-news-source';

/** Dated headlines for the A-A step. */
export interface NewsSource {
  /** Items that became available in (sinceMs, untilMs], oldest first. */
  items(sinceMs: number, untilMs: number): Promise<NewsItem[]>;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const HEADER = ['timestamp_ms', 'headline', 'source', 'url'] as const;

/**
 * Delay before a file's items count as available. Date-only feeds (the CryptoTrade Google News
 * file stamps each item at the day's start) could have been published any time that day, so an
 * item is usable only 24h later (shared/data/README.md, "For leakage tests...").
 */
export function availabilityDelayMs(file: string): number {
  return basename(file).includes('cryptotrade_gnews') ? DAY_MS : 0;
}

/** Reads one news CSV (timestamp_ms,headline,source,url) into items stamped at their availability time. */
export function readNewsFile(file: string): NewsItem[] {
  let rows: ReturnType<typeof parseCsv>;
  try {
    rows = parseCsv(readFileSync(file, 'utf8').replace(/^\uFEFF/, ''));
  } catch (e) {
    if (e instanceof CsvSyntaxError) throw new DataFileError(file, e.line, e.message.replace(/^line \d+: /, ''));
    throw new DataFileError(file, null, `cannot read file (${(e as Error).message})`);
  }
  const header = rows[0];
  if (!header || HEADER.some((h, i) => header.cells[i]?.trim() !== h)) {
    throw new DataFileError(file, 1, `header must be ${HEADER.join(',')}`);
  }
  const delay = availabilityDelayMs(file);
  return rows.slice(1).flatMap(({ line, cells }) => {
    if (cells.length !== HEADER.length) throw new DataFileError(file, line, `expected ${HEADER.length} columns, found ${cells.length}`);
    const [ts, headline, source, url] = cells as [string, string, string, string];
    const t = Number(ts);
    if (!Number.isInteger(t) || t < 0) throw new DataFileError(file, line, `timestamp_ms is not a non-negative integer: '${ts}'`);
    const text = headline.trim();
    if (text === '') return [];
    return [{ t: t + delay, headline: text, source, url, stream: classifyHeadline(text) }];
  });
}

/** Headlines from dated CSV files (shared/data/news), merged and sorted; files are read once, on first use. */
class FileNewsSource implements NewsSource {
  private all: NewsItem[] | null = null;

  constructor(private readonly paths: readonly string[]) {}

  async items(sinceMs: number, untilMs: number): Promise<NewsItem[]> {
    this.all ??= this.paths.flatMap(readNewsFile).sort((a, b) => a.t - b.t);
    return sliceRange(this.all, sinceMs, untilMs);
  }
}

/** Opens a news source over dated CSV files; an empty list gives a source with no news. */
export function openNewsSource(paths: string[]): NewsSource {
  return new FileNewsSource([...paths]);
}
