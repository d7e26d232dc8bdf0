import { prepareBaselineWindow } from '../../../domain/baselines/baseline-window';
import { runRandomEntriesOnce } from '../../../domain/baselines/random-entries';
import { runBaselines, type BaselineResult } from '../../../domain/baselines/run-baselines';
import { createEmaCrossoverRule } from '../../../domain/baselines/rules';
import { walkPolicy } from '../../../domain/baselines/walk-policy';
import { BAR_MS, COSTS, loadRealYear2023 } from './fixtures';

describe('baselines on real 2023 BTCUSDT perp data', () => {
  const year = loadRealYear2023();
  const initialEquity = 10_000;
  const input = { ...year, barMs: BAR_MS, initialEquity, costs: COSTS, seeds: 5, targetExposure: 0.35 };
  const result = runBaselines(input);
  const window = prepareBaselineWindow(input);
  const bars = window.bars.length;
  const runs: BaselineResult[] = [
    result.buy_and_hold,
    result.ema_crossover,
    result.rsi_mean_reversion,
    runRandomEntriesOnce(window, 0, 0.35, 6),
    runRandomEntriesOnce(window, 1, 0.35, 6),
  ];

  it('trades every 4h close of 2023', () => {
    expect(bars).toBe(365 * 6);
    expect(window.bars[0]!.t + BAR_MS).toBe(year.fromMs);
    expect(window.bars.at(-1)!.t + BAR_MS).toBe(year.toMs);
  });

  it.each(runs.map((r) => [r.name, r] as const))(
    '%s: final − initial = Σ realizedPnl − Σ fees + Σ funding',
    (_name, r) => {
      const sum = r.trades.reduce((s, t) => s + t.realizedPnl - t.fees + t.funding, 0);
      const change = r.metrics.final_equity - initialEquity;
      expect(Math.abs(change - sum)).toBeLessThanOrEqual(1e-9 * initialEquity);
      expect(r.curve).toHaveLength(bars + 1);
      expect(r.curve.at(-1)!.equity).toBe(r.metrics.final_equity);
      expect(r.trades.at(-1)?.exitTimeMs ?? year.toMs).toBeLessThanOrEqual(year.toMs);
      expect(r.trades.length).toBeGreaterThan(0);
    },
  );

  it('charges 2023 funding to the positions (buy-and-hold pays: funding was mostly positive)', () => {
    expect(result.buy_and_hold.metrics.funding).toBeLessThan(0);
    expect(result.buy_and_hold.metrics.fees).toBeGreaterThan(0);
    // BTC went from about 16.5k to 42k in 2023.
    expect(result.buy_and_hold.metrics.total_return).toBeGreaterThan(1.3);
  });

  it('gives the same result whether or not bars that cannot change the account are skipped', () => {
    const rule = createEmaCrossoverRule(
      Float64Array.from(year.candles, (c) => c.close),
      window.offset,
    );
    const fast = walkPolicy(window, 'ema', rule);
    const full = walkPolicy(window, 'ema', rule, { applyEveryBar: true });
    expect(fast.curve).toEqual(full.curve);
    expect(fast.trades).toEqual(full.trades);
    expect(fast.trades.length).toBeGreaterThan(10);
  });
});
