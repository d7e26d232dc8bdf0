import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryRiskLog } from '../../adapters/risk-log/risk-log';
import { summarizeSample } from '../../domain/metrics/paired-stats';
import type { ExperimentSummary } from '../../domain/metrics/experiment-summary';
import type { ExperimentRunResult } from '../../domain/schemas/experiment';
import { runExperiment, type ExperimentOptions } from '../../workers/experiment-runner';
import { runFastBacktest } from '../../workers/fast-runner';
import { buildSessionConfig, csvFeed } from '../../workers/session-config';
import {
  barsBreakingLedger,
  closeTo1e9,
  REAL_CANDLES,
  REAL_FUNDING,
  writeAndReadOutputs,
} from '../helpers/ledger-invariant';
import { testDeps } from '../helpers/temporal';

// Two three-week windows of real Binance 4h data (2023, long before the 2025-07-01 holdout) × 2 seeds × 2 arms.
const WINDOWS = ['2023-03-01/2023-03-22', '2023-05-01/2023-05-22'];

describe('npm run experiment on real data', () => {
  const root = mkdtempSync(join(tmpdir(), 'experiment-'));
  const logs: string[] = [];
  const options = (out: string, windows = WINDOWS): ExperimentOptions => ({
    windows,
    seeds: [1, 2],
    arms: ['default', 'no-teaching'],
    candles: REAL_CANDLES,
    funding: REAL_FUNDING,
    out: join(root, out),
    jobs: 2,
    cacheDir: join(root, 'cache'),
    env: { ...process.env, LLM_PROVIDER: 'heuristic' },
    progress: 'none',
    log: (l) => logs.push(l),
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  let first: Awaited<ReturnType<typeof runExperiment>>;
  let written: { executed: number; cached: number; runs: ExperimentRunResult[]; summary: ExperimentSummary };

  beforeAll(async () => {
    first = await runExperiment(options('first'));
    written = JSON.parse(readFileSync(join(root, 'first/experiment.json'), 'utf8')) as typeof written;
  });

  it('runs every (window, seed, arm) in child processes and writes experiment.json and the table', () => {
    expect(first.executed).toBe(8);
    expect(written.runs.map((r) => r.id).sort()).toEqual([
      '2023-03-01_2023-03-22-s1-default',
      '2023-03-01_2023-03-22-s1-no-teaching',
      '2023-03-01_2023-03-22-s2-default',
      '2023-03-01_2023-03-22-s2-no-teaching',
      '2023-05-01_2023-05-22-s1-default',
      '2023-05-01_2023-05-22-s1-no-teaching',
      '2023-05-01_2023-05-22-s2-default',
      '2023-05-01_2023-05-22-s2-no-teaching',
    ]);
    expect(readFileSync(join(root, 'first/experiment.md'), 'utf8')).toBe(first.table);
    // Something traded, so the reconciliation below is not 0 = 0.
    expect(written.runs.some((r) => r.n_trades > 0 && r.fees > 0)).toBe(true);
  });

  it('every run reconciles with its ledger: final − initial = realized − fees + funding', () => {
    for (const r of written.runs) {
      const gap = r.final_equity - r.initial_equity - (r.realized_pnl - r.fees + r.funding);
      expect({ id: r.id, gap: Math.abs(gap) <= 1e-9 * r.initial_equity }).toEqual({ id: r.id, gap: true });
      expect(r.total_return).toBeCloseTo(r.final_equity / r.initial_equity - 1, 12);
      expect(r.fees_pct).toBeCloseTo(r.fees / r.initial_equity, 15);
    }
  });

  it("a run's figures are those of the same backtest run in-process, whose ledger holds at every bar", async () => {
    const r = written.runs.find((x) => x.id === '2023-05-01_2023-05-22-s2-no-teaching')!;
    const config = await buildSessionConfig({
      mode: 'backtest',
      feed: csvFeed(REAL_CANDLES, { funding: REAL_FUNDING }),
      seed: 2,
      learning: { teaching: false },
      fromMs: Date.UTC(2023, 4, 1),
      toMs: Date.UTC(2023, 4, 22),
      sessionId: 'experiment-reference',
    });
    const result = await runFastBacktest(config, testDeps());
    expect(barsBreakingLedger(result.reports, config.initialEquity)).toEqual([]);
    const { summary, csvNet } = await writeAndReadOutputs({ ...result, riskLog: new MemoryRiskLog(), runner: 'fast' });
    expect(r.final_equity - r.initial_equity).toBeCloseTo(csvNet, 6);
    for (const key of [
      'final_equity',
      'total_return',
      'sharpe',
      'max_drawdown',
      'n_trades',
      'fees',
      'funding',
      'exposure',
      'bars',
    ] as const) {
      // To 1e-9 relative: summary.json sums each trade's net, the run sums realized, fees and funding apart.
      expect({ key, value: r[key], agrees: closeTo1e9(r[key], summary[key] as number) }).toMatchObject({
        key,
        agrees: true,
      });
    }
    const baselines = summary.baselines as {
      ema_crossover: { sharpe: number };
      buy_and_hold: { sharpe: number };
      random_entries: { sharpe: { p50: number } };
    };
    expect(r.baselines.ema_crossover_sharpe).toBe(baselines.ema_crossover.sharpe);
    expect(r.baselines.buy_and_hold_sharpe).toBe(baselines.buy_and_hold.sharpe);
    expect(r.baselines.random_entries_sharpe_p50).toBe(baselines.random_entries.sharpe.p50);
  });

  it('the aggregates are the means and sds of the runs they cover', () => {
    for (const cell of written.summary.by_arm_window) {
      const rs = written.runs.filter((r) => r.arm === cell.arm && (cell.window === 'all' || r.window === cell.window));
      expect(cell.runs).toBe(rs.length);
      expect(cell.metrics.sharpe.mean).toBeCloseTo(summarizeSample(rs.map((r) => r.sharpe)).mean, 12);
      expect(cell.metrics.fees_pct.sd).toBeCloseTo(summarizeSample(rs.map((r) => r.fees_pct)).sd, 12);
    }
    const paired = written.summary.paired.find((p) => p.window === 'all')!;
    const diffs = written.runs
      .filter((r) => r.arm === 'no-teaching')
      .map(
        (r) =>
          r.total_return -
          written.runs.find((d) => d.arm === 'default' && d.window === r.window && d.seed === r.seed)!.total_return,
      );
    expect(paired.metrics.total_return.n).toBe(4);
    expect(paired.metrics.total_return.mean).toBeCloseTo(summarizeSample(diffs).mean, 12);
  });

  it('a second run executes nothing: every run comes from the cache', async () => {
    const again = await runExperiment(options('second'));
    expect(again.executed).toBe(0);
    expect(again.cached).toBe(8);
    expect(again.runs).toEqual(first.runs);
    expect(JSON.parse(readFileSync(join(root, 'second/experiment.json'), 'utf8'))).toMatchObject({
      executed: 0,
      cached: 8,
    });
  });

  it("a rerun with another arm runs only that arm's runs", async () => {
    const changed = await runExperiment({ ...options('third'), arms: ['default', 'no-pruning'] });
    expect({ executed: changed.executed, cached: changed.cached }).toEqual({ executed: 4, cached: 4 });
    expect(changed.runs.filter((r) => r.arm === 'default')).toEqual(first.runs.filter((r) => r.arm === 'default'));
  });

  it('refuses an arm whose override the config does not have, before running anything', async () => {
    await expect(
      runExperiment({
        ...options('typo'),
        arms: ['default'],
        customArms: [{ name: 'typo', overrides: { learning: { teachin: false } } }],
      }),
    ).rejects.toThrow('arm "typo": unknown session config field(s) learning.teachin');
    expect(existsSync(join(root, 'typo'))).toBe(false);
  });

  it('refuses a window reaching the holdout before running anything', async () => {
    await expect(runExperiment(options('holdout', ['2024', '2025-01-01/2025-07-02']))).rejects.toThrow(
      /2025-01-01\/2025-07-02.*holdout/,
    );
    expect(existsSync(join(root, 'holdout'))).toBe(false);
  });
});
