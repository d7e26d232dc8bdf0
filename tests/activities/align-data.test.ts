import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createActivities } from '../../activities/create-activities';
import { openNewsSource } from '../../adapters/news/news-source';
import { MemoryBlobStore } from '../../adapters/store/blob-store';
import type { MarketSnapshot } from '../../domain/schemas/market';
import { csvFeed } from '../../workers/session-config';
import { testDeps } from '../helpers/temporal';

const DATA = resolve(__dirname, '../../../shared/data');
const BAR_CLOSE = Date.UTC(2023, 5, 1, 12);
const H = 3600_000;

describe('A-A data alignment through the activity', () => {
  it('only candles, funding and news at or before the bar close reach the snapshot and the summary', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'news-'));
    const news = join(dir, 'planted_news.csv');
    writeFileSync(
      news,
      [
        'timestamp_ms,headline,source,url',
        `${BAR_CLOSE - 3 * H},"Bitcoin ETF inflows, steady",test,https://example.invalid/a`,
        `${BAR_CLOSE},Fed holds rates at the bar close,test,https://example.invalid/b`,
        `${BAR_CLOSE + 1},FUTURE: Bitcoin crashes 30% tomorrow,test,https://example.invalid/c`,
        `${BAR_CLOSE + 4 * H},FUTURE: exchange hacked,test,https://example.invalid/d`,
      ].join('\n'),
    );
    const blobs = new MemoryBlobStore();
    const acts = createActivities(
      testDeps({ blobs, news: (feed) => (feed.kind === 'csv' ? openNewsSource(feed.news) : null) }),
    );
    const feed = csvFeed(`${DATA}/candles/binance_usdm_btcusdt_perp_4h_resampled_from_1h.csv`, {
      funding: `${DATA}/funding/binance_usdm_btcusdt_funding_8h.csv`,
      news: [news],
    });
    const ctx = { sessionId: 's', iterationId: 'i', barCloseMs: BAR_CLOSE, round: 1, symbol: 'BTC/USDT:USDT' };

    const summary = await acts['A-A.alignData']({ ctx, feed });
    expect(summary.barCloseMs).toBe(BAR_CLOSE);
    expect(summary.lastBarOpenMs + 4 * H).toBe(BAR_CLOSE);
    expect(summary.headlines.join(' ')).toContain('Fed holds rates');
    expect(summary.headlines.join(' ')).not.toContain('FUTURE');

    const snapshot = (await blobs.get<MarketSnapshot>(summary.ref))!;
    expect(snapshot.news.map((n) => n.headline).sort()).toEqual([
      'Bitcoin ETF inflows, steady',
      'Fed holds rates at the bar close',
    ]);
    expect(snapshot.news.find((n) => n.headline.startsWith('Fed'))?.stream).toBe('macro');
    expect(Math.max(...snapshot.candles.map((c) => c.t + 4 * H))).toBe(BAR_CLOSE);
    expect(Math.max(...snapshot.funding.map((f) => f.t))).toBeLessThanOrEqual(BAR_CLOSE);
  });
});
