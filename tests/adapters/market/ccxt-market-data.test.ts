import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ccxt from 'ccxt';
import { CcxtMarketData } from '../../../adapters/market/ccxt-market-data';
import { MalformedResponseError } from '../../../adapters/market/ccxt-parse';
import { openMarketData } from '../../../adapters/market/market-data';
import type { Candle } from '../../../domain/schemas/market';
import { FakeMarketExchange } from '../../fakes/fake-market-exchange';

const H = 3600_000;
const BAR = 4 * H;
// A fixed exchange clock: 2024-06-01 13:00 UTC, so the bar opened at 12:00 is still forming.
const NOW = Date.UTC(2024, 5, 1, 13);
const FORMING = Date.UTC(2024, 5, 1, 12);
const N = 2500;
// The fake holds two bars beyond the forming one, for the test where the clock moves on.
const candles: Candle[] = Array.from({ length: N + 2 }, (_, i) => {
  const t = FORMING - (N - 1 - i) * BAR;
  return { t, open: 30000 + i, high: 30010 + i, low: 29990 + i, close: 30005 + i, volume: 12.5 };
});
const funding = Array.from({ length: 30 }, (_, i) => ({
  t: NOW - 5 * H - (29 - i) * 8 * H,
  rate: 0.0001 * ((i % 5) - 2),
}));

let fake: FakeMarketExchange;
let delays: number[];

function makeExchange(now = NOW): ccxt.Exchange {
  const ex = new ccxt.binanceusdm({ enableRateLimit: false });
  // Keep the real fapi.binance.com URLs (so ccxt's own error mapping runs) but serve them on loopback.
  ex.fetchImplementation = fake.fetch;
  ex.milliseconds = () => now;
  return ex;
}

function open(cacheDir: string, exchange = makeExchange()): CcxtMarketData {
  return new CcxtMarketData({
    exchange,
    cacheDir,
    retry: { attempts: 4, baseDelayMs: 100, sleep: async (ms) => void delays.push(ms) },
  });
}

const klineRequests = (): URLSearchParams[] =>
  fake.requests.filter((r) => r.path === '/fapi/v1/klines').map((r) => r.query);

beforeEach(async () => {
  delays = [];
  fake = await new FakeMarketExchange(candles, funding, [
    { t: NOW - 2 * H, oi: 81000 },
    { t: NOW - H, oi: 82000 },
  ]).start();
});
afterEach(async () => {
  await fake.stop();
});

describe('CcxtMarketData against a fake Binance USDⓈ-M on loopback', () => {
  it('pages fetchOHLCV forward with since/limit, drops the forming candle and returns the last `limit` closed bars', async () => {
    const md = open(mkdtempSync(join(tmpdir(), 'ccxt-cache-')));
    const bars = await md.candles(FORMING, 2200);
    expect(bars).toHaveLength(2200);
    expect(bars[bars.length - 1]?.t).toBe(FORMING - BAR);
    expect(bars.every((c, i) => i === 0 || c.t - (bars[i - 1] as Candle).t === BAR)).toBe(true);
    const pages = klineRequests();
    expect(pages.length).toBe(3);
    expect(pages.map((q) => Number(q.get('startTime')))).toEqual([
      FORMING - 2200 * BAR,
      FORMING - 1200 * BAR,
      FORMING - 200 * BAR,
    ]);
    expect(
      pages.every((q) => q.get('interval') === '4h' && q.get('symbol') === 'BTCUSDT' && q.get('limit') === '1000'),
    ).toBe(true);
    expect(fake.requests[0]?.path).toBe('/fapi/v1/exchangeInfo');
  });

  it('caches closed bars as JSON lines so a later session fetches only newer bars', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ccxt-cache-'));
    await open(dir).candles(FORMING, 50);
    const cacheFile = join(dir, 'binanceusdm-BTC_USDT_USDT-4h.jsonl');
    const lines = (): number => readFileSync(cacheFile, 'utf8').trim().split('\n').length;
    expect(lines()).toBe(50);
    fake.requests.length = 0;
    // Eight hours later, a new process: two more bars have closed.
    const later = open(dir, makeExchange(NOW + 8 * H));
    const bars = await later.candles(FORMING + 2 * BAR, 50);
    expect(bars[bars.length - 1]?.t).toBe(FORMING + BAR);
    expect(klineRequests().map((q) => Number(q.get('startTime')))).toEqual([FORMING]);
    expect(lines()).toBe(52);
    expect(bars).toEqual(candles.slice(N - 49, N + 1));
  });

  it('retries a 429 (ccxt DDoSProtection/RateLimitExceeded) and then succeeds', async () => {
    fake.fail({ path: '/fapi/v1/klines', status: 429, body: '{"code":-1003,"msg":"Too many requests"}' });
    const bars = await open(mkdtempSync(join(tmpdir(), 'ccxt-cache-'))).candles(FORMING, 10);
    expect(bars).toHaveLength(10);
    expect(klineRequests()).toHaveLength(2);
    expect(delays).toEqual([100]);
  });

  it('retries a 503 (ccxt ExchangeNotAvailable) with exponential backoff and then succeeds', async () => {
    fake.fail({ path: '/fapi/v1/klines', status: 503, body: 'Service Unavailable' });
    fake.fail({ path: '/fapi/v1/klines', status: 503, body: 'Service Unavailable' });
    const bars = await open(mkdtempSync(join(tmpdir(), 'ccxt-cache-'))).candles(FORMING, 10);
    expect(bars[9]?.t).toBe(FORMING - BAR);
    expect(delays).toEqual([100, 200]);
  });

  it('gives up after the bounded attempts and surfaces the ccxt NetworkError subclass', async () => {
    for (let i = 0; i < 4; i++) fake.fail({ path: '/fapi/v1/klines', status: 503, body: 'down' });
    await expect(open(mkdtempSync(join(tmpdir(), 'ccxt-cache-'))).candles(FORMING, 10)).rejects.toBeInstanceOf(
      ccxt.ExchangeNotAvailable,
    );
    expect(klineRequests()).toHaveLength(4);
  });

  it('does not retry a non-transient error; it surfaces with its ccxt class', async () => {
    fake.fail({ path: '/fapi/v1/klines', status: 400, body: '{"code":-1121,"msg":"Invalid symbol."}' });
    await expect(open(mkdtempSync(join(tmpdir(), 'ccxt-cache-'))).candles(FORMING, 10)).rejects.toBeInstanceOf(
      ccxt.BadSymbol,
    );
    expect(klineRequests()).toHaveLength(1);
  });

  it('turns a malformed response into a clear MalformedResponseError', async () => {
    fake.fail({ path: '/fapi/v1/klines', status: 200, body: '<html>gateway error</html>' });
    const md = open(mkdtempSync(join(tmpdir(), 'ccxt-cache-')));
    await expect(md.candles(FORMING, 10)).rejects.toThrow(
      /binanceusdm fetchOHLCV: malformed response: body is not JSON: <html>/,
    );
    fake.fail({
      path: '/fapi/v1/klines',
      status: 200,
      body: `[[${FORMING - 10 * BAR},"abc","1","1","1","1",0,"0",1,"0","0","0"]]`,
    });
    await expect(md.candles(FORMING, 10)).rejects.toBeInstanceOf(MalformedResponseError);
  });

  it('reads funding history (t in (since, until]), open interest and the top of book', async () => {
    const md = open(mkdtempSync(join(tmpdir(), 'ccxt-cache-')));
    const since = NOW - 5 * 24 * H;
    const f = await md.funding(since, NOW);
    expect(f.map((x) => x.t)).toEqual(funding.filter((x) => x.t > since && x.t <= NOW).map((x) => x.t));
    expect(f[0]?.rate).toBe(funding.find((x) => x.t > since)?.rate);
    // A later window reuses what was fetched and asks only for settlements after the last one.
    const again = await md.funding(since + 8 * H, NOW);
    expect(again).toEqual(f.slice(1));
    const fundingStarts = fake.requests
      .filter((r) => r.path === '/fapi/v1/fundingRate')
      .map((r) => Number(r.query.get('startTime')));
    expect(fundingStarts).toEqual([since + 1, (f[f.length - 1]?.t as number) + 1]);
    const oi = await md.openInterest(NOW - 3 * H, NOW);
    expect(oi).toEqual([
      { t: NOW - 2 * H, oi: 81000 },
      { t: NOW - H, oi: 82000 },
    ]);
    expect(await md.orderBookTop()).toEqual({ t: 1700000000000, bid: 29999.9, ask: 30000.1, bidSize: 1.5, askSize: 2 });
  });

  it('is what openMarketData returns for a live feed, and range() spans the cached history', async () => {
    const md = openMarketData(
      { kind: 'live', exchangeId: 'binanceusdm', symbol: 'BTC/USDT:USDT' },
      { exchange: makeExchange(), cacheDir: mkdtempSync(join(tmpdir(), 'ccxt-cache-')) },
    );
    expect(md.id).toBe('ccxt:binanceusdm:BTC/USDT:USDT');
    expect(await md.range(300)).toEqual({ firstCloseMs: FORMING, lastCloseMs: FORMING });
  });
});
