import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SerpApiNewsSource, parseSerpDate } from '../../../adapters/news/serpapi-news-source';

const KEY = 'sk-serp-secret-123';
let server: Server;
let port = 0;
let seen: URL[] = [];
let respond: (url: URL) => { status: number; body: unknown } = () => ({ status: 200, body: {} });

beforeAll(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    seen.push(url);
    const r = respond(url);
    res.writeHead(r.status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(r.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  seen = [];
});

/** Routes the real serpapi.com URL to the loopback server. */
const loopbackFetch = (url: string): Promise<Response> => {
  const u = new URL(url);
  expect(u.host).toBe('serpapi.com');
  return fetch(`http://127.0.0.1:${port}${u.pathname}${u.search}`);
};

/** The error a promise rejects with; fails the test if it resolves. */
async function failure(p: Promise<unknown>): Promise<Error & { retryable?: boolean }> {
  try {
    await p;
  } catch (e) {
    return e as Error & { retryable?: boolean };
  }
  throw new Error('expected a rejection');
}

describe('parseSerpDate', () => {
  it('reads "MM/DD/YYYY, hh:mm AM/PM, +hhmm UTC" as UTC epoch ms', () => {
    expect(parseSerpDate('11/04/2024, 08:00 AM, +0000 UTC')).toBe(Date.UTC(2024, 10, 4, 8));
    expect(parseSerpDate('01/02/2025, 12:30 PM, +0000 UTC')).toBe(Date.UTC(2025, 0, 2, 12, 30));
    expect(parseSerpDate('01/02/2025, 12:05 AM, +0200 UTC')).toBe(Date.UTC(2025, 0, 1, 22, 5));
    expect(parseSerpDate('yesterday')).toBeNull();
  });
});

describe('SerpApiNewsSource', () => {
  const until = Date.UTC(2025, 0, 2, 12);

  it('queries Google News, keeps items in (since, until], classifies them and skips undated ones', async () => {
    respond = (url) => ({
      status: 200,
      body: {
        news_results:
          url.searchParams.get('q') === 'bitcoin'
            ? [
                {
                  title: 'Bitcoin climbs',
                  link: 'https://a/1',
                  date: '01/02/2025, 10:00 AM, +0000 UTC',
                  source: { name: 'CoinDesk' },
                },
                {
                  title: 'Bitcoin from the future',
                  link: 'https://a/2',
                  date: '01/02/2025, 01:00 PM, +0000 UTC',
                  source: { name: 'X' },
                },
                { title: 'Undated', link: 'https://a/3' },
                {
                  highlight: {
                    title: 'Crypto ETF flows',
                    link: 'https://a/4',
                    date: '01/02/2025, 09:00 AM, +0000 UTC',
                    source: { name: 'B' },
                  },
                },
              ]
            : [
                {
                  title: 'Fed minutes show inflation worry',
                  link: 'https://m/1',
                  date: '01/02/2025, 11:00 AM, +0000 UTC',
                  source: { name: 'Reuters' },
                },
              ],
      },
    });
    const src = new SerpApiNewsSource(KEY, loopbackFetch);
    const items = await src.items(until - 24 * 3600_000, until);
    expect(items.map((i) => [i.headline, i.stream, i.source])).toEqual([
      ['Crypto ETF flows', 'micro', 'B'],
      ['Bitcoin climbs', 'micro', 'CoinDesk'],
      ['Fed minutes show inflation worry', 'macro', 'Reuters'],
    ]);
    expect(seen.map((u) => u.searchParams.get('engine'))).toEqual(['google_news', 'google_news']);
    expect(seen.every((u) => u.searchParams.get('api_key') === KEY)).toBe(true);
  });

  it('never puts the API key in an error message; 429 is retryable, 401 is not', async () => {
    respond = () => ({ status: 429, body: { error: 'rate limited' } });
    const src = new SerpApiNewsSource(KEY, loopbackFetch);
    const err = await failure(src.items(0, until));
    expect(err.message).toMatch(/HTTP 429/);
    expect(err.message).not.toContain(KEY);
    expect(err.retryable).toBe(true);
    respond = () => ({ status: 401, body: { error: `Invalid API key ${KEY}` } });
    const err2 = await failure(src.items(0, until));
    expect(err2.message).not.toContain(KEY);
    expect(err2.retryable).toBe(false);
  });

  it('reports an error body from SerpAPI with the key masked', async () => {
    respond = () => ({ status: 200, body: { error: `Your account ${KEY} has run out of searches.` } });
    const err = await failure(new SerpApiNewsSource(KEY, loopbackFetch).items(0, until));
    expect(err.message).toMatch(/run out of searches/);
    expect(err.message).not.toContain(KEY);
  });
});
