import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runFastBacktest } from '../../workers/fast-runner';
import { buildSessionConfig, csvFeed } from '../../workers/session-config';
import { testDeps } from '../helpers/temporal';

const DATA = resolve(__dirname, '../../../shared/data');
const H = 3600_000;
const BAR = 4 * H;
// 18 bars (3 days) cut out of 2023: the closes inside the gap have no fresh candle.
const GAP_FROM = Date.UTC(2023, 2, 10);
const GAP_BARS = 18;
const GAP_TO = GAP_FROM + GAP_BARS * BAR;

function writeGappedCandles(): string {
  const lines = readFileSync(`${DATA}/candles/binance_usdm_btcusdt_perp_4h_2023-2025.csv`, 'utf8').trim().split('\n');
  const kept = lines.filter((l, i) => {
    if (i === 0) return true;
    const t = Number(l.split(',')[0]);
    return t < Date.UTC(2023, 6, 1) && !(t >= GAP_FROM && t < GAP_TO);
  });
  const file = join(mkdtempSync(join(tmpdir(), 'gap-')), 'gapped_4h.csv');
  writeFileSync(file, `${kept.join('\n')}\n`);
  return file;
}

describe('a gap in the candles (fast runner, real 2023 bars with 3 days cut out)', () => {
  it('never opens a position on a stale or gapped snapshot and never back-dates a fill', async () => {
    const feed = csvFeed(writeGappedCandles(), { funding: `${DATA}/funding/binance_usdm_btcusdt_funding_8h.csv` });
    const config = await buildSessionConfig({ sessionId: 'gap', mode: 'backtest', feed, fromMs: GAP_FROM - 30 * BAR, toMs: GAP_TO + 30 * BAR });
    const { reports } = await runFastBacktest(config, testDeps());
    const trades = reports.flatMap((r) => r.closedTrades);
    const staleCloses = new Set(Array.from({ length: GAP_BARS + 1 }, (_, i) => GAP_FROM + i * BAR));
    // The bar closing at GAP_TO + BAR is the first with a candle again, but the gap lies right behind it.
    staleCloses.add(GAP_TO + BAR);

    const staleReports = reports.filter((r) => staleCloses.has(r.barCloseMs));
    expect(staleReports).toHaveLength(GAP_BARS + 2);
    // No order fills at a stale bar close: neither the decision nor an order says long/short there.
    expect(staleReports.filter((r) => r.order !== null && r.order.status !== 'rejected').map((r) => r.barCloseMs)).toEqual([]);
    expect(staleReports.filter((r) => r.decision === 'long' || r.decision === 'short').map((r) => r.barCloseMs)).toEqual([]);
    // No trade's entry is stamped inside the gap or at a stale close.
    expect(trades.filter((t) => staleCloses.has(t.entryTimeMs) || (t.entryTimeMs > GAP_FROM && t.entryTimeMs <= GAP_TO)).map((t) => t.entryTimeMs)).toEqual([]);
    // The desk still trades on the fresh bars around the gap: the test would be empty otherwise.
    expect(reports.some((r) => !staleCloses.has(r.barCloseMs) && (r.decision === 'long' || r.decision === 'short'))).toBe(true);
  });
});
