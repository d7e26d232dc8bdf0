import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataFileError, openMarketData } from '../../../adapters/market/market-data';
import { readCandleFile, readFundingFile, readOpenInterestFile } from '../../../adapters/market/csv-files';
import { SHARED_DATA } from '../../helpers/shared-data';

const H = 3600_000;
const BAR = 4 * H;
const dir = mkdtempSync(join(tmpdir(), 'csv-md-'));
const HEAD = 'timestamp_ms,open,high,low,close,volume';

function write(name: string, lines: string[]): string {
  const p = join(dir, name);
  writeFileSync(p, `${lines.join('\n')}\n`);
  return p;
}

const row = (t: number, close = 100): string => `${t},${close},${close + 1},${close - 1},${close},10`;
const t0 = Date.UTC(2024, 0, 1);

describe('strict CSV parsing: each malformed input names the file and the line', () => {
  it.each([
    ['wrong column count', [HEAD, row(t0), `${t0 + BAR},1,2,3`], /line 3: expected 6 columns, found 4/],
    ['NaN', [HEAD, row(t0), `${t0 + BAR},100,101,99,abc,10`], /line 3: column close is not a finite number: 'abc'/],
    ['empty cell', [HEAD, `${t0},100,101,,100,10`], /line 2: column low is not a finite number/],
    ['non-positive price', [HEAD, row(t0), row(t0 + BAR), `${t0 + 2 * BAR},0,1,0,1,10`], /line 4: non-positive price/],
    ['high < low', [HEAD, `${t0},100,99,101,100,10`], /line 2: high 99 < low 101/],
    ['close outside the range', [HEAD, `${t0},100,101,99,105,10`], /line 2: open\/close outside \[low, high\]/],
    ['unsorted timestamps', [HEAD, row(t0 + BAR), row(t0)], /line 3: timestamp .* is before the previous row/],
    ['duplicate timestamp', [HEAD, row(t0), row(t0 + BAR), row(t0 + BAR)], /line 4: duplicate timestamp/],
    ['missing header column', ['timestamp_ms,open,high,low,close', row(t0)], /line 1: header lacks column\(s\) volume/],
    ['misaligned timestamp', [HEAD, row(t0), row(t0 + BAR), row(t0 + 3 * BAR + 5)], /line 4: timestamp .* not aligned/],
    [
      'interval that does not divide 4h',
      [HEAD, row(t0), row(t0 + 3 * H), row(t0 + 6 * H)],
      /candle interval 180 min cannot be resampled to 240 min/,
    ],
  ])('%s', (name, lines, message) => {
    const file = write(`${name.replace(/\W+/g, '_')}.csv`, lines);
    let err: unknown;
    try {
      readCandleFile(file);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DataFileError);
    expect((err as Error).message).toContain(file);
    expect((err as Error).message).toMatch(message);
  });

  it('rejects a funding rate outside ±5% and negative open interest with the line', () => {
    const f = write('funding.csv', ['timestamp_ms,funding_rate', `${t0},0.0001`, `${t0 + 8 * H},0.2`]);
    expect(() => readFundingFile(f)).toThrow(/funding\.csv, line 3: funding rate 0\.2 outside/);
    const o = write('oi.csv', ['timestamp_ms,oi_open_btc,oi_high_btc,oi_low_btc,oi_close_btc', `${t0},1,1,1,-1`]);
    expect(() => readOpenInterestFile(o)).toThrow(/oi\.csv, line 2: negative open interest/);
  });

  it('reports a missing file as a DataFileError naming it', () => {
    expect(() =>
      openMarketData({ kind: 'csv', candles: join(dir, 'nope.csv'), funding: null, openInterest: null, news: [] }),
    ).toThrow(DataFileError);
  });
});

describe('CsvMarketData', () => {
  it('resamples a 1h file to 4h using complete groups only and reports gaps without failing', () => {
    const hours = [...Array.from({ length: 12 }, (_, i) => i), 13, 14, 15, 16, 17, 18, 19].map((h) =>
      row(t0 + h * H, 100 + h),
    );
    const file = readCandleFile(write('hourly.csv', [HEAD, ...hours]));
    expect(file.sourceIntervalMs).toBe(H);
    // Group 12-15 lacks 12:00 so it is dropped; 16-19 is complete.
    expect(file.candles.map((c) => (c.t - t0) / H)).toEqual([0, 4, 8, 16]);
    expect(file.candles[0]).toEqual({ t: t0, open: 100, high: 104, low: 99, close: 103, volume: 40 });
    expect(file.issues).toEqual([expect.objectContaining({ kind: 'gap', at: t0 + 12 * H })]);
  });

  it('serves closed bars, funding and OI windows, and the replay range from real files', async () => {
    const md = openMarketData({
      kind: 'csv',
      candles: `${SHARED_DATA}/candles/binance_usdm_btcusdt_perp_4h_2023-2025.csv`,
      funding: `${SHARED_DATA}/funding/binance_usdm_btcusdt_funding_8h.csv`,
      openInterest: `${SHARED_DATA}/open_interest/coinalyze_binance_btcusdt_perp_oi_1h.csv`,
      news: [],
    });
    expect(md.id).toMatch(/^csv:.*binance_usdm_btcusdt_perp_4h_2023-2025\.csv:349981$/);
    const close = Date.UTC(2024, 6, 1, 12);
    const bars = await md.candles(close - 1, 5);
    expect(bars).toHaveLength(5);
    expect(bars[4]?.t).toBe(close - 2 * BAR); // the bar closing at `close` is not closed 1 ms earlier
    expect((await md.candles(close, 5))[4]?.t).toBe(close - BAR);
    const funding = await md.funding(close - 24 * H, close);
    expect(funding.map((f) => f.t)).toEqual([close - 20 * H, close - 12 * H, close - 4 * H]);
    const oi = await md.openInterest(close - 2 * H, close);
    expect(oi.map((o) => o.t)).toEqual([close - H, close]);
    expect(await md.orderBookTop()).toBeNull();
    const range = await md.range(300);
    expect(range).toEqual({ firstCloseMs: Date.UTC(2023, 0, 1) + 301 * BAR, lastCloseMs: Date.UTC(2025, 11, 3, 8) });
    expect(await md.issues()).toEqual([]);
  });

  it('is memoised per feed: opening the same feed twice returns the same instance', () => {
    const feed = {
      kind: 'csv' as const,
      candles: `${SHARED_DATA}/candles/bybit_btcusdt_linear_4h.csv`,
      funding: null,
      openInterest: null,
      news: [],
    };
    expect(openMarketData(feed)).toBe(openMarketData({ ...feed }));
  });
});

describe('SyntheticMarketData', () => {
  it('serves the deterministic series with funding and a range, and no order book', async () => {
    const feed = { kind: 'synthetic' as const, seed: 4, startMs: t0, bars: 500 };
    const a = openMarketData(feed);
    const bars = await a.candles(t0 + 500 * BAR, 1000);
    expect(bars).toHaveLength(500);
    expect(bars[0]?.open).toBe(30000);
    expect((await a.funding(t0, t0 + 24 * H)).map((f) => f.t)).toEqual([t0 + 8 * H, t0 + 16 * H, t0 + 24 * H]);
    expect(await a.range(100)).toEqual({ firstCloseMs: t0 + 101 * BAR, lastCloseMs: t0 + 500 * BAR });
    await expect(a.range(500)).rejects.toThrow(/cannot give 500 bars of warm-up/);
    expect(await a.orderBookTop()).toBeNull();
  });
});
