import { resolve } from 'node:path';
import { countForecastCoverage } from '../../domain/metrics/forecast-coverage';
import { runFastBacktest } from '../../workers/fast-runner';
import { buildSessionConfig, csvFeed } from '../../workers/session-config';
import { testDeps } from '../helpers/temporal';

const DATA = resolve(__dirname, '../../../shared/data');
const feed = csvFeed(`${DATA}/candles/binance_usdm_btcusdt_perp_4h_2023-2025.csv`, { funding: `${DATA}/funding/binance_usdm_btcusdt_funding_8h.csv` });

describe('calibration coverage counts on real data', () => {
  it('reconciles with the Evaluator ledger: matured = plotted under the history bound, issued − matured = pending', async () => {
    // April 2023: 181 bars, fewer matured forecasts than the 200 the Evaluator keeps, so every one is plotted.
    const config = await buildSessionConfig({ sessionId: 'coverage', mode: 'backtest', feed, fromMs: Date.UTC(2023, 3, 1), toMs: Date.UTC(2023, 4, 1) });
    const { state, reports } = await runFastBacktest(config, testDeps(), () => undefined);
    const coverage = countForecastCoverage(state.populations, state.learning);
    expect(Object.keys(coverage).sort()).toEqual(state.populations.researcher.map((a) => a.id).sort());
    for (const [id, c] of Object.entries(coverage)) {
      const pending = state.learning.pendingForecasts.filter((f) => f.agentId === id).length;
      expect({ id, plotted: c.plotted, pending: c.issued - c.matured }).toEqual({ id, plotted: c.matured, pending });
      expect(c.issued).toBe(reports.filter((r) => r.decision !== 'halted').length);
      expect(c.matured).toBeGreaterThan(100);
    }
  });
});
