import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CsvMarketData } from '../../adapters/market/csv-market-data';
import { openMarketData } from '../../adapters/market/market-data';
import { FULL_SIZE } from '../helpers/ledger-invariant';
import { writeBacktestOutput } from '../../workers/backtest-output';
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
    const config = await buildSessionConfig({
      sessionId: 'gap',
      mode: 'backtest',
      feed,
      fromMs: Date.UTC(2023, 2, 1),
      toMs: Date.UTC(2023, 2, 25),
      // Entries at any positive net edge and full size, with a seed whose traders try to enter inside the gap
      // (seed 7 holds its short through it), so the gap meets entries to refuse.
      sizing: FULL_SIZE,
      seed: 2,
    });
    const deps = testDeps();
    const { state, reports } = await runFastBacktest(config, deps);
    const trades = reports.flatMap((r) => r.closedTrades);
    // Candles are stamped by their open: the bar closing at GAP_FROM (opened 4h before) is still in the file and
    // fresh (an entry there fills at its close); the closes from GAP_FROM + BAR to GAP_TO have no candle.
    const staleCloses = new Set(Array.from({ length: GAP_BARS }, (_, i) => GAP_FROM + (i + 1) * BAR));
    // The bar closing at GAP_TO + BAR is the first with a candle again, but the gap lies right behind it.
    staleCloses.add(GAP_TO + BAR);

    const staleReports = reports.filter((r) => staleCloses.has(r.barCloseMs));
    expect(staleReports).toHaveLength(GAP_BARS + 1);
    // No order fills at a stale bar close: neither the decision nor an order says long/short there.
    expect(
      staleReports.filter((r) => r.order !== null && r.order.status !== 'rejected').map((r) => r.barCloseMs),
    ).toEqual([]);
    expect(
      staleReports.filter((r) => r.decision === 'long' || r.decision === 'short').map((r) => r.barCloseMs),
    ).toEqual([]);
    // No trade's entry is stamped inside the gap or at a stale close.
    expect(
      trades
        .filter((t) => staleCloses.has(t.entryTimeMs) || (t.entryTimeMs > GAP_FROM && t.entryTimeMs <= GAP_TO))
        .map((t) => t.entryTimeMs),
    ).toEqual([]);
    // The desk still trades on the fresh bars around the gap: the test would be empty otherwise.
    expect(
      reports.some((r) => !staleCloses.has(r.barCloseMs) && (r.decision === 'long' || r.decision === 'short')),
    ).toBe(true);

    // The gap is reported: summary.json data_issues and report.html.
    const market = openMarketData(feed);
    const dataIssues = market instanceof CsvMarketData ? await market.reportIssues() : [];
    const out = mkdtempSync(join(tmpdir(), 'gap-out-'));
    const summary = await writeBacktestOutput(out, {
      state,
      reports,
      candles: await market.candles(config.toMs!, 1_000_000),
      funding: await market.funding(0, config.toMs!),
      riskLog: deps.riskLog,
      runner: 'fast',
      seconds: 1,
      dataIssues,
    });
    const written = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as {
      data_issues: { kind: string; file?: string; time?: string; message: string }[];
    };
    expect(written.data_issues).toEqual(summary.data_issues);
    expect(written.data_issues[0]).toEqual({
      file: feed.kind === 'csv' ? feed.candles : '',
      time: '2023-03-10T00:00:00.000Z',
      kind: 'gap',
      message: expect.stringMatching(
        /^18 missing bar\(s\) between the bars opening 2023-03-09T20:00:00.000Z and 2023-03-13T00:00:00.000Z/,
      ),
    });
    const stale = written.data_issues.find((i) => i.kind === 'stale');
    expect(stale?.message).toMatch(/^\d+ entr(y|ies) refused on stale or gapped snapshots between 2023-03-1/);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain(
      '<section id="data-issues"><h2>Data issues <small>2</small>',
    );
  });
});
