import type { ExperimentRunResult } from '../schemas/experiment';
import { computePairedDifference, summarizeSample, type MeanInterval, type SampleSummary } from './paired-stats';

/** The figures compared across arms: per run, then mean and sd per arm and window. */
export const EXPERIMENT_METRICS = [
  'total_return',
  'sharpe',
  'max_drawdown',
  'fees_pct',
  'n_trades',
  'exposure',
] as const;
export type ExperimentMetric = (typeof EXPERIMENT_METRICS)[number];

/** The label of the pooled rows: every window together. */
export const ALL_WINDOWS = 'all';

export interface ArmWindowStats {
  arm: string;
  window: string;
  runs: number;
  /** Runs that ended halted for good. */
  halted: number;
  metrics: Record<ExperimentMetric, SampleSummary>;
}

/** arm − control on the same window and seed, per metric, with the mean's 95% t interval. */
export interface PairedStats {
  arm: string;
  control: string;
  window: string;
  metrics: Record<ExperimentMetric, MeanInterval>;
}

/** What simple strategies scored on the window (from the control arm's runs: same bars, costs, simulator). */
export interface WindowBaselines {
  window: string;
  runs: number;
  /** Mean over the control runs of the random-entry median Sharpe (random entries match each run's exposure). */
  random_entries_sharpe_p50: number;
  ema_crossover_sharpe: number;
  buy_and_hold_sharpe: number;
}

export interface ExperimentSummary {
  control: string | null;
  by_arm_window: ArmWindowStats[];
  paired: PairedStats[];
  baselines: WindowBaselines[];
  /** Arms whose every run has exactly the figures of its control partner: the overrides changed nothing (is the switch read?). */
  identical_to_control: string[];
}

const mapMetrics = <T>(f: (m: ExperimentMetric) => T) =>
  Object.fromEntries(EXPERIMENT_METRICS.map((m) => [m, f(m)])) as Record<ExperimentMetric, T>;
const average = (xs: readonly number[]) => summarizeSample(xs).mean;

/**
 * Aggregates an experiment's runs per arm and window (and pooled over windows as `all`), the paired
 * differences of every arm against `control` (matched on window and seed), and the baselines per window.
 * Thrown when a run of an arm has no control partner (the paired mean would be biased).
 */
export function summarizeExperiment(
  runs: readonly ExperimentRunResult[],
  opts: { arms: readonly string[]; windows: readonly string[]; control?: string },
): ExperimentSummary {
  const control = opts.arms.includes(opts.control ?? 'default') ? (opts.control ?? 'default') : null;
  const windows = opts.windows.length > 1 ? [...opts.windows, ALL_WINDOWS] : [...opts.windows];
  const select = (arm: string, window: string) =>
    runs.filter((r) => r.arm === arm && (window === ALL_WINDOWS || r.window === window));
  const byArmWindow = opts.arms.flatMap((arm) =>
    windows.map((window): ArmWindowStats => {
      const rs = select(arm, window);
      return {
        arm,
        window,
        runs: rs.length,
        halted: rs.filter((r) => r.halted).length,
        metrics: mapMetrics((m) => summarizeSample(rs.map((r) => r[m]))),
      };
    }),
  );
  const keyed = (rs: readonly ExperimentRunResult[], m: ExperimentMetric) =>
    new Map(rs.map((r) => [`${r.window}/s${r.seed}`, r[m]]));
  const paired =
    control === null
      ? []
      : opts.arms
          .filter((a) => a !== control)
          .flatMap((arm) =>
            windows.map((window): PairedStats => {
              const treated = select(arm, window);
              const base = select(control, window);
              return {
                arm,
                control,
                window,
                metrics: mapMetrics((m) => computePairedDifference(keyed(treated, m), keyed(base, m))),
              };
            }),
          );
  const reference = control ?? opts.arms[0];
  const baselines = opts.windows.map((window): WindowBaselines => {
    const rs = reference === undefined ? [] : select(reference, window);
    return {
      window,
      runs: rs.length,
      random_entries_sharpe_p50: average(rs.map((r) => r.baselines.random_entries_sharpe_p50)),
      ema_crossover_sharpe: average(rs.map((r) => r.baselines.ema_crossover_sharpe)),
      buy_and_hold_sharpe: average(rs.map((r) => r.baselines.buy_and_hold_sharpe)),
    };
  });
  const identical =
    control === null
      ? []
      : opts.arms.filter(
          (arm) =>
            arm !== control &&
            paired.some((p) => p.arm === arm) &&
            paired
              .filter((p) => p.arm === arm)
              .every((p) =>
                EXPERIMENT_METRICS.every((m) => p.metrics[m].n > 0 && p.metrics[m].mean === 0 && p.metrics[m].sd === 0),
              ),
        );
  return { control, by_arm_window: byArmWindow, paired, baselines, identical_to_control: identical };
}
