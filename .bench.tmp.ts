import { openMarketData } from './adapters/market/market-data';
import { alignSnapshot } from './domain/market/align';
import { computeFeatures, FEATURE_METHODS } from './domain/analyst/feature-methods';
import { detectTrend, TREND_METHODS } from './domain/analyst/trend-methods';
import type { MarketSnapshot } from './domain/schemas/market';
const BAR = 4*3600e3;
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
(async () => {
  const md = openMarketData({ kind: 'csv', candles: '/work/shared/data/candles/binance_usdm_btcusdt_perp_4h_resampled_from_1h.csv', funding: '/work/shared/data/funding/binance_usdm_btcusdt_funding_8h.csv', openInterest: null, news: [] });
  const r = await md.range(300);
  const end = Date.UTC(2025, 6, 1);
  const closes: number[] = []; for (let t = r.firstCloseMs; t <= end; t += BAR) closes.push(t);
  let cAlign = 0, cAn = 0, wAn = 0, k = 0;
  for (let i = 0; i < closes.length; i += 500) {
    const inputs = [];
    for (const t of closes.slice(i, i + 500)) inputs.push({ t, candles: await md.candles(t, 300), funding: await md.funding(t - 30 * 86400e3, t) });
    let c0 = cpu();
    const snaps: MarketSnapshot[] = inputs.map((x) => alignSnapshot({ barCloseMs: x.t, barMs: BAR, candles: x.candles, funding: x.funding, openInterest: [], news: [], orderBook: null, lookback: 300 }));
    cAlign += cpu() - c0;
    c0 = cpu(); const w0 = performance.now();
    for (const s of snaps) {
      for (let a = 0; a < 3; a++) {
        const f = computeFeatures(s, { id: FEATURE_METHODS[(k + a) % 6]!.id, params: {} });
        detectTrend(s, f, { id: TREND_METHODS[(k + a) % 5]!.id, params: {} });
      }
      k++;
    }
    cAn += cpu() - c0; wAn += performance.now() - w0;
  }
  const n = closes.length;
  console.log(JSON.stringify({ bars: n, alignCpuMsPerBar: +(cAlign / n).toFixed(4), analystCpuMsPerAnalystBar: +(cAn / n / 3).toFixed(4), analystWallMsPerAnalystBar: +(wAn / n / 3).toFixed(4) }));
})();
