import { ClassifiedError, FailureType } from '../../domain/failures';
import { classifyHeadline } from '../../domain/market/news-stream';
import type { NewsItem } from '../../domain/schemas/market';

/** Options of {@link SerpApiNewsSource}. */
export interface SerpApiOptions {
  /** Google News queries; macro terms get their own query so the macro stream is not starved. @default ['bitcoin', 'federal reserve inflation stocks'] */
  queries?: string[];
  /** @default 'https://serpapi.com/search.json' */
  endpoint?: string;
}

type FetchFn = (
  url: string,
  init?: { headers?: Record<string, string> },
) => Promise<{ ok: boolean; status: number; json(): Promise<unknown> }>;

interface SerpResult {
  title?: unknown;
  link?: unknown;
  date?: unknown;
  source?: { name?: unknown };
  highlight?: SerpResult;
  stories?: SerpResult[];
}

/**
 * Parses SerpAPI Google News dates, e.g. "11/04/2024, 08:00 AM, +0000 UTC" (month/day/year,
 * 12-hour clock, offset). Returns epoch ms or null when the format is not recognised.
 */
export function parseSerpDate(text: string): number | null {
  const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4}),\s*(\d{1,2}):(\d{2})\s*(AM|PM)(?:,\s*([+-])(\d{2})(\d{2}))?/i.exec(
    text.trim(),
  );
  if (!m) return null;
  const [, mo, d, y, hh, mm, ampm, sign, oh, om] = m;
  let hour = Number(hh) % 12;
  if ((ampm as string).toUpperCase() === 'PM') hour += 12;
  const offsetMin = sign ? (sign === '-' ? -1 : 1) * (Number(oh) * 60 + Number(om)) : 0;
  return Date.UTC(Number(y), Number(mo) - 1, Number(d), hour, Number(mm)) - offsetMin * 60_000;
}

function flatten(results: SerpResult[]): SerpResult[] {
  return results.flatMap((r) => [
    r,
    ...(r.highlight ? [r.highlight] : []),
    ...(Array.isArray(r.stories) ? r.stories : []),
  ]);
}

/**
 * Live headlines from SerpAPI's Google News engine (used when SERPAPI_KEY is set). The key goes
 * in the query string as SerpAPI requires, and never into an error message or log: URLs are
 * reported with the key removed.
 */
export class SerpApiNewsSource {
  private readonly queries: string[];
  private readonly endpoint: string;

  constructor(
    private readonly apiKey: string,
    private readonly fetchFn: FetchFn,
    opts: SerpApiOptions = {},
  ) {
    this.queries = opts.queries ?? ['bitcoin', 'federal reserve inflation stocks'];
    this.endpoint = opts.endpoint ?? 'https://serpapi.com/search.json';
  }

  private async search(query: string): Promise<SerpResult[]> {
    const params = new URLSearchParams({ engine: 'google_news', q: query, gl: 'us', hl: 'en' });
    const shown = `${this.endpoint}?${params.toString()}`;
    params.set('api_key', this.apiKey);
    let res: Awaited<ReturnType<FetchFn>>;
    try {
      res = await this.fetchFn(`${this.endpoint}?${params.toString()}`);
    } catch (e) {
      throw new ClassifiedError(
        FailureType.DataUnavailable,
        `SerpAPI request failed (${shown}): ${(e as Error).name}`,
        true,
      );
    }
    if (!res.ok) {
      const retryable = res.status === 429 || res.status >= 500;
      throw new ClassifiedError(
        FailureType.DataUnavailable,
        `SerpAPI answered HTTP ${res.status} (${shown})`,
        retryable,
      );
    }
    const body = (await res.json()) as { error?: unknown; news_results?: unknown };
    if (typeof body.error === 'string' && !/hasn't returned any results/i.test(body.error)) {
      throw new ClassifiedError(
        FailureType.DataUnavailable,
        `SerpAPI error: ${body.error.replaceAll(this.apiKey, '***')}`,
        false,
      );
    }
    return Array.isArray(body.news_results) ? flatten(body.news_results as SerpResult[]) : [];
  }

  /** Items published in (sinceMs, untilMs], oldest first, one per link. */
  async items(sinceMs: number, untilMs: number): Promise<NewsItem[]> {
    const seen = new Set<string>();
    const out: NewsItem[] = [];
    for (const q of this.queries) {
      for (const r of await this.search(q)) {
        const t = typeof r.date === 'string' ? parseSerpDate(r.date) : null;
        const title = typeof r.title === 'string' ? r.title.trim() : '';
        const url = typeof r.link === 'string' ? r.link : '';
        if (t === null || title === '' || t <= sinceMs || t > untilMs || seen.has(url || title)) continue;
        seen.add(url || title);
        const source = typeof r.source?.name === 'string' ? r.source.name : 'google_news';
        out.push({ t, headline: title, source, url, stream: classifyHeadline(title) });
      }
    }
    return out.sort((a, b) => a.t - b.t);
  }
}
