import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { boundHeadline, detectAvailabilityDelayMs } from '../../domain/market/news-availability';
import { classifyHeadline } from '../../domain/market/news-stream';
import { findTimestampUnitProblem } from '../../domain/market/timestamp-units';
import type { DataIssueReport } from '../../domain/schemas/data-issues';
import type { NewsItem } from '../../domain/schemas/market';
import { DataFileError } from '../market/data-file-error';
import { quoteCell } from '../market/quote-cell';
import { sliceRange } from '../market/series-slice';
import { CsvSyntaxError, parseCsv } from './csv-parse';

export { SerpApiNewsSource } from './serpapi-news-source';

/** Dated headlines for the A-A step. */
export interface NewsSource {
  /** Items that became available in (sinceMs, untilMs], oldest first. */
  items(sinceMs: number, untilMs: number): Promise<NewsItem[]>;
}

const HEADER = ['timestamp_ms', 'headline', 'source', 'url'] as const;

/** One news file, read and checked: its items stamped at their availability time, and what was changed. */
export interface NewsFile {
  file: string;
  items: NewsItem[];
  /** Delay added to every stamp (24h for a date-only file, detected from the data). */
  delayMs: number;
  /** Rows changed on the way in (headlines cut to the length bound). */
  issues: DataIssueReport[];
}

function parseNewsRows(file: string): ReturnType<typeof parseCsv> {
  try {
    return parseCsv(readFileSync(file, 'utf8').replace(/^\uFEFF/, ''));
  } catch (e) {
    if (e instanceof CsvSyntaxError) throw new DataFileError(file, e.line, e.message.replace(/^line \d+: /, ''));
    throw new DataFileError(file, null, `cannot read file (${(e as Error).message})`);
  }
}

/** Reads one news CSV (timestamp_ms,headline,source,url) strictly; availability follows from the stamps. */
export function loadNewsFile(file: string): NewsFile {
  const rows = parseNewsRows(file);
  const header = rows[0];
  if (!header || HEADER.some((h, i) => header.cells[i]?.trim() !== h)) {
    throw new DataFileError(file, 1, `header must be ${HEADER.join(',')}`);
  }
  const issues: DataIssueReport[] = [];
  const parsed = rows.slice(1).flatMap(({ line, cells }) => {
    if (cells.length !== HEADER.length)
      throw new DataFileError(file, line, `expected ${HEADER.length} columns, found ${cells.length}`);
    const [ts, headline, source, url] = cells as [string, string, string, string];
    const t = Number(ts);
    if (!Number.isInteger(t) || t < 0)
      throw new DataFileError(file, line, `timestamp_ms is not a non-negative integer: ${quoteCell(ts)}`);
    const unit = findTimestampUnitProblem(t);
    if (unit) throw new DataFileError(file, line, unit);
    const text = headline.trim();
    if (text === '') return [];
    const bounded = boundHeadline(text);
    if (bounded !== text)
      issues.push({
        file,
        row: line,
        kind: 'headline_truncated',
        message: `headline of ${text.length} characters cut to ${bounded.length}`,
      });
    return [{ t, headline: bounded, source, url }];
  });
  const delayMs = detectAvailabilityDelayMs(parsed.map((p) => p.t));
  const items = parsed.map((p) => ({ ...p, t: p.t + delayMs, stream: classifyHeadline(p.headline) }));
  return { file, items, delayMs, issues };
}

/** Reads one news CSV into items stamped at their availability time. */
export function readNewsFile(file: string): NewsItem[] {
  return loadNewsFile(file).items;
}

/** Headlines from dated CSV files (the `timestamp_ms,headline,source,url` format), merged and sorted; files are read once, on first use. */
class FileNewsSource implements NewsSource {
  private loaded: { all: NewsItem[]; files: NewsFile[] } | null = null;

  constructor(private readonly paths: readonly string[]) {}

  /** Every file, parsed once for the life of this source. */
  files(): NewsFile[] {
    this.loaded ??= this.load();
    return this.loaded.files;
  }

  async items(sinceMs: number, untilMs: number): Promise<NewsItem[]> {
    this.loaded ??= this.load();
    return sliceRange(this.loaded.all, sinceMs, untilMs);
  }

  private load(): { all: NewsItem[]; files: NewsFile[] } {
    const files = this.paths.map(loadNewsFile);
    return { files, all: files.flatMap((f) => f.items).sort((a, b) => a.t - b.t) };
  }
}

// One source per set of files (and their size and mtime): A-A asks for the source every bar, and
// re-reading a 6.5 MB file each time made a bar cost seconds.
const opened = new Map<string, FileNewsSource>();

function versionOf(file: string): string {
  try {
    const st = statSync(file);
    return `${st.size}:${st.mtimeMs}`;
  } catch {
    return 'missing';
  }
}

/** Opens a news source over dated CSV files; an empty list gives a source with no news. Reused while the files are unchanged. */
export function openNewsSource(paths: string[]): NewsSource & { files(): NewsFile[] } {
  const key = JSON.stringify(paths.map((p) => [resolve(p), versionOf(p)]));
  let source = opened.get(key);
  if (!source) {
    source = new FileNewsSource([...paths]);
    opened.set(key, source);
  }
  return source;
}
