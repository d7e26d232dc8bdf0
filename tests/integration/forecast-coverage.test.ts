import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { countForecastCoverage } from '../../domain/metrics/forecast-coverage';
import { openMarketData } from '../../adapters/market/market-data';
import { writeBacktestOutput } from '../../workers/backtest-output';
import { runFastBacktest } from '../../workers/fast-runner';
import { buildSessionConfig, csvFeed } from '../../workers/session-config';
import { testDeps } from '../helpers/temporal';

const DATA = resolve(__dirname, '../../../shared/data');
const feed = csvFeed(`${DATA}/candles/binance_usdm_btcusdt_perp_4h_2023-2025.csv`, {
  funding: `${DATA}/funding/binance_usdm_btcusdt_funding_8h.csv`,
});

describe('backtest output on real data (April 2023, fast runner)', () => {
  // 181 bars: fewer matured forecasts than the 200 the Evaluator keeps, so every one is plotted.
  const run = (async () => {
    const config = await buildSessionConfig({
      sessionId: 'coverage',
      mode: 'backtest',
      feed,
      fromMs: Date.UTC(2023, 3, 1),
      toMs: Date.UTC(2023, 4, 1),
    });
    const deps = testDeps();
    const result = await runFastBacktest(config, deps, () => undefined);
    const md = openMarketData(feed);
    const dir = mkdtempSync(join(tmpdir(), 'bt-output-'));
    const summary = await writeBacktestOutput(dir, {
      ...result,
      candles: await md.candles(config.toMs!, 1_000_000),
      funding: await md.funding(0, config.toMs!),
      riskLog: deps.riskLog,
      runner: 'fast',
      seconds: 1,
    });
    return { ...result, summary, html: readFileSync(join(dir, 'report.html'), 'utf8') };
  })();

  it('reports calibration coverage that reconciles with the Evaluator ledger: matured = plotted under the bound, issued − matured = pending', async () => {
    const { state, reports, summary } = await run;
    const coverage = countForecastCoverage(state.populations, state.learning);
    expect(summary['calibration_coverage']).toEqual(coverage);
    expect(Object.keys(coverage).sort()).toEqual(state.populations.researcher.map((a) => a.id).sort());
    for (const [id, c] of Object.entries(coverage)) {
      const pending = state.learning.pendingForecasts.filter((f) => f.agentId === id).length;
      expect({ id, plotted: c.plotted, pending: c.issued - c.matured }).toEqual({ id, plotted: c.matured, pending });
      expect(c.issued).toBe(reports.filter((r) => r.decision !== 'halted').length);
      expect(c.matured).toBeGreaterThan(100);
      expect(c.plotted).toBe(
        (summary['calibration'] as Record<string, { n: number }[]>)[id]!.reduce((a, b) => a + b.n, 0),
      );
    }
  });

  it('renders the report with its coverage captions, one month of returns and no "method null" rows', async () => {
    const { html, state } = await run;
    const first = Object.values(countForecastCoverage(state.populations, state.learning))[0]!;
    expect(html).toContain(`${first.plotted} of ${first.matured} matured forecasts`);
    expect(html).toContain('id="walk-forward"');
    expect(html).not.toMatch(/>null</);
    // From 2023-04-01 to 2023-05-01 the month grid has April 2023 only.
    const monthly = html.slice(
      html.indexOf('<table class="monthly">'),
      html.indexOf('</table>', html.indexOf('<table class="monthly">')),
    );
    expect(monthly.match(/<th scope="row">/g)).toHaveLength(1);
    expect(monthly).toContain('<th scope="row">2023</th>');
    const cells = monthly.slice(monthly.indexOf('<th scope="row">')).split('<td').slice(1);
    // Twelve month cells and the year total; only April (index 3) has a return.
    expect(cells.map((c, i) => (c.startsWith(' class="num cell" ') ? i : -1)).filter((i) => i >= 0)).toEqual([3]);
  });

  it('says why the desk did not enter: reasons of the flat and hold bars add up to those decisions, the edge gate among them', async () => {
    const { summary, html, reports } = await run;
    const rows = summary['no_entry_reasons'] as { reason: string; flat: number; hold: number }[];
    const decisions = summary['decisions'] as Record<string, number>;
    expect(rows.reduce((a, r) => a + r.flat, 0)).toBe(decisions['flat'] ?? 0);
    expect(rows.reduce((a, r) => a + r.hold, 0)).toBe(decisions['hold'] ?? 0);
    expect(rows.length).toBeGreaterThan(1);
    for (const r of rows) expect(r.reason).not.toMatch(/\d/);
    // Each template stands for the bars whose reason it is.
    const gate = rows.find((r) => r.reason.includes('does not exceed the margin'));
    expect(gate).toBeDefined();
    expect(gate!.flat + gate!.hold).toBe(reports.filter((r) => r.reason.includes('does not exceed the margin')).length);
    expect(html).toContain('id="no-entry"');
    expect(html).toContain('does not exceed the margin');
  });
});
