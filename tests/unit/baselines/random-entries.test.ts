import { prepareBaselineWindow } from '../../../domain/baselines/baseline-window';
import { summariseDistribution } from '../../../domain/baselines/distribution';
import { buildRandomSchedule, runRandomEntries, runRandomEntriesOnce } from '../../../domain/baselines/random-entries';
import { BaselineInputError, runBaselines } from '../../../domain/baselines/run-baselines';
import { createRng } from '../../../domain/random/prng';
import { BAR_MS, COSTS, loadRealYear2023 } from './fixtures';

describe('random-entries schedule', () => {
  it('holds exactly round(target · (bars + 1)) slots and is flat at the last close', () => {
    for (const target of [0, 0.1, 0.35, 0.8, 1]) {
      const s = buildRandomSchedule(createRng(3), 500, target, 6);
      const held = s.reduce((n, x) => n + (x === 0 ? 0 : 1), 0);
      expect(held).toBe(Math.min(499, Math.round(target * 501)));
      expect(s[499]).toBe(0);
    }
  });

  it('cuts the held slots into about held / meanHoldBars trades with both sides', () => {
    const s = buildRandomSchedule(createRng(5), 2000, 0.5, 10);
    let entries = 0;
    for (let i = 0; i < s.length; i++) if (s[i] !== 0 && s[i] !== (s[i - 1] ?? 0)) entries++;
    expect(entries).toBeGreaterThan(50);
    expect(entries).toBeLessThanOrEqual(100);
    expect(s.includes(1) && s.includes(-1)).toBe(true);
  });
});

describe('random-entries baseline on real 2023 data', () => {
  const year = loadRealYear2023();
  const input = { ...year, barMs: BAR_MS, initialEquity: 10_000, costs: COSTS };
  const window = prepareBaselineWindow(input);

  it('is deterministic per seed and differs between seeds', () => {
    const a = runRandomEntriesOnce(window, 7, 0.3, 6);
    const b = runRandomEntriesOnce(window, 7, 0.3, 6);
    const c = runRandomEntriesOnce(window, 8, 0.3, 6);
    expect(b.trades).toEqual(a.trades);
    expect(b.metrics).toEqual(a.metrics);
    expect(c.trades.map((t) => t.entryTimeMs)).not.toEqual(a.trades.map((t) => t.entryTimeMs));
  });

  it('matches the target exposure in every run to within one mark', () => {
    const marks = window.bars.length + 1;
    for (let seed = 0; seed < 10; seed++) {
      expect(Math.abs(runRandomEntriesOnce(window, seed, 0.3, 6).metrics.exposure - 0.3)).toBeLessThanOrEqual(
        1 / marks,
      );
    }
  });

  it('reports the distribution across seeds, ordered p05 ≤ p50 ≤ p95', () => {
    const summary = runRandomEntries(window, { runs: 20, targetExposure: 0.3 });
    expect(summary.runs).toBe(20);
    expect(summary.exposure).toBeCloseTo(0.3, 3);
    for (const d of [summary.total_return, summary.sharpe, summary.max_drawdown]) {
      expect(d.p05).toBeLessThanOrEqual(d.p50);
      expect(d.p50).toBeLessThanOrEqual(d.p95);
      expect(d.p05).toBeLessThan(d.p95);
    }
    expect(runRandomEntries(window, { runs: 20, targetExposure: 0.3 })).toEqual(summary);
  });

  it('refuses unusable seeds and exposures', () => {
    expect(() => runBaselines({ ...input, seeds: 0 })).toThrow(BaselineInputError);
    expect(() => runBaselines({ ...input, targetExposure: 1.5 })).toThrow(BaselineInputError);
  });
});

describe('summariseDistribution', () => {
  it('interpolates percentiles linearly between order statistics (numpy default)', () => {
    const xs = Array.from({ length: 21 }, (_, i) => 20 - i);
    expect(summariseDistribution(xs)).toEqual({ mean: 10, p05: 1, p50: 10, p95: 19 });
    expect(summariseDistribution([0, 10]).p05).toBeCloseTo(0.5, 12);
  });
});
