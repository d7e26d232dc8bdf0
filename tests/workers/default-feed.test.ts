import { BAR_MS } from '../../domain/schemas/config';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { openMarketData } from '../../adapters/market/market-data';
import { DEFAULT_FEED_FILES, createDefaultFeed, describeFeed, SYNTHETIC_DEMO_FEED } from '../../workers/default-feed';
import { WARMUP_BARS } from '../../domain/market/history-bars';
import { buildSessionConfig } from '../../workers/session-config';

const BAR = BAR_MS;
const HOLDOUT_MS = Date.UTC(2025, 6, 1);

describe('the embedded default feed of npm start', () => {
  it('replays a year of real 4h candles and 8h funding, gap-free and wholly before the holdout', async () => {
    const md = openMarketData(createDefaultFeed());
    const candles = await md.candles(HOLDOUT_MS, 100_000);
    expect(candles).toHaveLength(366 * 6);
    expect(candles[0]!.t).toBe(Date.UTC(2023, 6, 1));
    expect(candles.at(-1)!.t + BAR).toBe(Date.UTC(2024, 6, 1));
    expect(candles.every((c, i) => i === 0 || c.t - candles[i - 1]!.t === BAR)).toBe(true);
    // Real prices of that year (BTC traded between ~24.9k and ~73.9k), not a generated path.
    expect(Math.min(...candles.map((c) => c.low))).toBeGreaterThan(24_000);
    expect(Math.max(...candles.map((c) => c.high))).toBeLessThan(75_000);
    const funding = await md.funding(0, HOLDOUT_MS);
    expect(funding.length).toBe(366 * 3 + 1);
    expect(funding.every((f, i) => i === 0 || f.t - funding[i - 1]!.t === 8 * 3_600_000)).toBe(true);
    expect(await md.issues()).toEqual([]);
  });

  it('gives npm start a session range after the warm-up that ends at the file end', async () => {
    const config = await buildSessionConfig({ mode: 'paper', feed: createDefaultFeed() });
    expect(config.fromMs).toBe(Date.UTC(2023, 6, 1) + (WARMUP_BARS + 1) * BAR);
    expect(config.toMs).toBe(Date.UTC(2024, 6, 1));
  });

  it('names the data and its source, and calls the synthetic series synthetic', () => {
    expect(describeFeed(createDefaultFeed())).toMatch(
      /real Binance USDⓈ-M BTCUSDT perp 4h.*maxakak1998\/trading_bot.*Roshan7869\/algotrading/,
    );
    expect(describeFeed(SYNTHETIC_DEMO_FEED)).toMatch(/^SYNTHETIC/);
  });

  it('ships a data/README.md that names both files', () => {
    const readme = readFileSync(resolve(__dirname, '../../data/README.md'), 'utf8');
    for (const file of Object.values(DEFAULT_FEED_FILES)) expect(readme).toContain(file.split('/').at(-1)!);
  });
});
