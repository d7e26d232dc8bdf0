import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { resolve } from 'node:path';
import { MemoryRiskLog } from '../../adapters/risk-log/risk-log';
import { summarizeRun } from '../../domain/metrics/run-summary';
import { writeBacktestOutput } from '../../workers/backtest-output';
import { runFastBacktest } from '../../workers/fast-runner';
import { buildSessionConfig, csvFeed } from '../../workers/session-config';
import { testDeps } from '../helpers/temporal';

const DATA = resolve(__dirname, '../../../shared/data');
const feed = csvFeed(`${DATA}/candles/binance_usdm_btcusdt_perp_4h_resampled_from_1h.csv`, {
  funding: `${DATA}/funding/binance_usdm_btcusdt_funding_8h.csv`,
});

describe('the figures a sweep gathers for a run', () => {
  it('equal summary.json of the same backtest and reconcile with its ledger', async () => {
    const config = await buildSessionConfig({
      sessionId: 'sweep-figures',
      mode: 'backtest',
      feed,
      fromMs: Date.UTC(2023, 2, 1),
      toMs: Date.UTC(2023, 4, 1),
      risk: { minConfidence: 0.5 },
    });
    const result = await runFastBacktest(config, testDeps());
    const figures = summarizeRun(result.state, result.reports);
    expect(figures.n_trades).toBeGreaterThan(0);

    const dir = mkdtempSync(resolve(tmpdir(), 'sweep-figures-'));
    try {
      await writeBacktestOutput(dir, {
        ...result,
        candles: [],
        funding: [],
        riskLog: new MemoryRiskLog(),
        runner: 'fast',
        seconds: 1,
      });
      const summary = JSON.parse(readFileSync(resolve(dir, 'summary.json'), 'utf8')) as Record<string, number>;
      for (const key of [
        'initial_equity',
        'final_equity',
        'total_return',
        'sharpe',
        'max_drawdown',
        'n_trades',
        'fees',
        'funding',
        'liquidations',
        'bars',
      ] as const) {
        expect({ key, value: figures[key] }).toEqual({ key, value: summary[key] });
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const tol = 1e-9 * figures.initial_equity;
    expect(
      Math.abs(figures.final_equity - figures.initial_equity - (figures.realized_pnl - figures.fees + figures.funding)),
    ).toBeLessThanOrEqual(tol);
  });
});
