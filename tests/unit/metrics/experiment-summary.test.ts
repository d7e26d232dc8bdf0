import { summarizeExperiment } from '../../../domain/metrics/experiment-summary';
import { renderExperimentTable } from '../../../domain/metrics/experiment-table';
import type { ExperimentRunResult } from '../../../domain/schemas/experiment';

function fakeRun(
  arm: string,
  window: string,
  seed: number,
  sharpe: number,
  extra: Partial<ExperimentRunResult> = {},
): ExperimentRunResult {
  return {
    id: `${window}-s${seed}-${arm}`,
    window,
    arm,
    seed,
    from: '',
    to: '',
    bars: 100,
    initial_equity: 10_000,
    final_equity: 10_000,
    total_return: sharpe / 10,
    sharpe,
    max_drawdown: 0.1,
    n_trades: 10 + seed,
    realized_pnl: 0,
    fees: 50,
    fees_pct: 0.005,
    funding: 0,
    exposure: 0.5,
    liquidations: 0,
    llm_calls: 0,
    halted: false,
    baselines: {
      random_entries_sharpe_p50: -seed / 10,
      random_entries_exposure: 0.5,
      ema_crossover_sharpe: 0.7,
      buy_and_hold_sharpe: 1.5,
    },
    seconds: 1,
    ...extra,
  };
}

const runs = [
  fakeRun('default', '2020', 1, 0.1),
  fakeRun('default', '2020', 2, 0.3),
  fakeRun('default', '2020', 3, 0.5, { halted: true }),
  fakeRun('no-teaching', '2020', 1, 0.2),
  fakeRun('no-teaching', '2020', 2, 0.5),
  fakeRun('no-teaching', '2020', 3, 0.8),
  fakeRun('default', '2021', 1, -0.2),
  fakeRun('no-teaching', '2021', 1, -0.1),
];

describe('experiment summary', () => {
  const s = summarizeExperiment(runs, { arms: ['default', 'no-teaching'], windows: ['2020', '2021'] });

  it('gives mean and sd per arm and window, and pooled over windows', () => {
    const d2020 = s.by_arm_window.find((r) => r.arm === 'default' && r.window === '2020')!;
    expect(d2020.runs).toBe(3);
    expect(d2020.halted).toBe(1);
    expect(d2020.metrics.sharpe.mean).toBeCloseTo(0.3, 12);
    expect(d2020.metrics.sharpe.sd).toBeCloseTo(0.2, 12);
    expect(d2020.metrics.n_trades.mean).toBeCloseTo(12, 12);
    const all = s.by_arm_window.find((r) => r.arm === 'default' && r.window === 'all')!;
    expect(all.runs).toBe(4);
    expect(all.metrics.sharpe.mean).toBeCloseTo((0.1 + 0.3 + 0.5 - 0.2) / 4, 12);
  });

  it('pairs every arm with default on the same window and seed', () => {
    const p = s.paired.find((r) => r.arm === 'no-teaching' && r.window === '2020')!;
    // Differences 0.1, 0.2, 0.3: mean 0.2, sd 0.1, t(0.975, 2) = 4.302652729749464.
    expect(p.metrics.sharpe.n).toBe(3);
    expect(p.metrics.sharpe.mean).toBeCloseTo(0.2, 12);
    expect(p.metrics.sharpe.low).toBeCloseTo(0.2 - (4.302652729749464 * 0.1) / Math.sqrt(3), 9);
    const all = s.paired.find((r) => r.arm === 'no-teaching' && r.window === 'all')!;
    expect(all.metrics.sharpe.n).toBe(4);
    expect(all.metrics.sharpe.mean).toBeCloseTo(0.175, 12);
    expect(s.paired.find((r) => r.arm === 'no-teaching' && r.window === '2021')!.metrics.sharpe.low).toBeNull();
  });

  it('reads the baselines per window from the default runs', () => {
    expect(s.baselines).toEqual([
      {
        window: '2020',
        runs: 3,
        random_entries_sharpe_p50: expect.closeTo(-0.2, 12),
        ema_crossover_sharpe: expect.closeTo(0.7, 12),
        buy_and_hold_sharpe: expect.closeTo(1.5, 12),
      },
      {
        window: '2021',
        runs: 1,
        random_entries_sharpe_p50: expect.closeTo(-0.1, 12),
        ema_crossover_sharpe: expect.closeTo(0.7, 12),
        buy_and_hold_sharpe: expect.closeTo(1.5, 12),
      },
    ]);
  });

  it('refuses an arm run without its default partner', () => {
    expect(() =>
      summarizeExperiment(runs.slice(0, 7), { arms: ['default', 'no-teaching'], windows: ['2020', '2021'] }),
    ).toThrow(/no partner for 2021\/s1/);
  });

  it('names an arm whose runs equal their default partners in every figure', () => {
    const copy = runs
      .filter((r) => r.arm === 'default')
      .map((r) => ({ ...r, arm: 'no-pruning', id: r.id.replace('default', 'no-pruning') }));
    const t = summarizeExperiment([...runs, ...copy], {
      arms: ['default', 'no-teaching', 'no-pruning'],
      windows: ['2020', '2021'],
    });
    expect(t.identical_to_control).toEqual(['no-pruning']);
    expect(renderExperimentTable(t)).toContain('Note: no-pruning gave exactly the figures of default in every run');
    expect(s.identical_to_control).toEqual([]);
  });

  it('has no paired rows without a default arm', () => {
    const only = summarizeExperiment(
      runs.filter((r) => r.arm === 'no-teaching'),
      { arms: ['no-teaching'], windows: ['2020'] },
    );
    expect(only.control).toBeNull();
    expect(only.paired).toEqual([]);
    expect(renderExperimentTable(only)).toContain('No paired differences: the experiment has no `default` arm');
    const alone = summarizeExperiment(
      runs.filter((r) => r.arm === 'default'),
      { arms: ['default'], windows: ['2020', '2021'] },
    );
    expect(renderExperimentTable(alone)).toContain('No paired differences: default is the only arm.');
  });

  it('prints the arms × windows Sharpe table, the mean ± sd rows, the intervals and the baselines', () => {
    const table = renderExperimentTable(s);
    expect(table).toContain('| arm | 2020 | 2021 | all |');
    expect(table).toContain('| default | 0.30 | -0.20 | 0.17 |');
    expect(table).toContain('| default | 2020 | 3 | 3.0% ± 2.0% | 0.30 ± 0.20 |');
    expect(table).toContain('| no-teaching | 2020 | 3 | +2.0% [-0.5%, +4.5%] | +0.20 [-0.05, +0.45] |');
    expect(table).toContain('| 2020 | 0.30 | -0.20 | 0.70 | 1.50 |');
  });
});
