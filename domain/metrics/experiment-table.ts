import type { ExperimentMetric, ExperimentSummary } from './experiment-summary';
import type { MeanInterval, SampleSummary } from './paired-stats';

const pct = (x: number, digits = 1) => `${(x * 100).toFixed(digits)}%`;
const signed = (s: string) => (s.startsWith('-') ? s : `+${s}`);

/** How each figure prints: fractions as percentages, Sharpe with two decimals, trades whole. */
const FORMAT: Record<ExperimentMetric, { head: string; fmt: (x: number) => string }> = {
  total_return: { head: 'return', fmt: (x) => pct(x) },
  sharpe: { head: 'Sharpe', fmt: (x) => x.toFixed(2) },
  max_drawdown: { head: 'max DD', fmt: (x) => pct(x) },
  fees_pct: { head: 'fees (% of equity)', fmt: (x) => pct(x, 2) },
  n_trades: { head: 'round trips', fmt: (x) => x.toFixed(1) },
  exposure: { head: 'exposure', fmt: (x) => pct(x, 0) },
};
const COLUMNS = Object.keys(FORMAT) as ExperimentMetric[];

const meanSd = (m: ExperimentMetric, s: SampleSummary) =>
  s.n === 0 ? '–' : `${FORMAT[m].fmt(s.mean)} ± ${FORMAT[m].fmt(s.sd)}`;
const interval = (m: ExperimentMetric, s: MeanInterval) => {
  const f = (x: number) => signed(FORMAT[m].fmt(x));
  return s.low === null || s.high === null ? `${f(s.mean)} (n < 2)` : `${f(s.mean)} [${f(s.low)}, ${f(s.high)}]`;
};
const row = (cells: readonly (string | number)[]) => `| ${cells.join(' | ')} |`;
const rule = (n: number) => row(Array.from({ length: n }, () => '---'));

/** The experiment as markdown: Sharpe by arm × window, every figure as mean ± sd, paired differences with 95% intervals, baselines. */
export function renderExperimentTable(s: ExperimentSummary): string {
  const arms = [...new Set(s.by_arm_window.map((r) => r.arm))];
  const windows = [...new Set(s.by_arm_window.map((r) => r.window))];
  const cell = (arm: string, window: string) => s.by_arm_window.find((r) => r.arm === arm && r.window === window);
  const out: string[] = [];

  out.push('Mean Sharpe over seeds (arms × windows):', '', row(['arm', ...windows]), rule(windows.length + 1));
  for (const arm of arms)
    out.push(
      row([
        arm,
        ...windows.map((w) => {
          const c = cell(arm, w);
          return c && c.runs > 0 ? c.metrics.sharpe.mean.toFixed(2) : '–';
        }),
      ]),
    );

  out.push(
    '',
    'Per arm and window, mean ± sd over seeds (fees and round trips per window):',
    '',
    row(['arm', 'window', 'runs', ...COLUMNS.map((m) => FORMAT[m].head), 'halted']),
    rule(COLUMNS.length + 4),
  );
  for (const r of s.by_arm_window)
    out.push(row([r.arm, r.window, r.runs, ...COLUMNS.map((m) => meanSd(m, r.metrics[m])), r.halted]));

  if (s.control !== null && s.paired.length > 0) {
    out.push(
      '',
      `Paired difference arm − ${s.control} (same window and seed): mean [95% t interval, df = n − 1]:`,
      '',
      row(['arm', 'window', 'n', ...COLUMNS.map((m) => `Δ ${FORMAT[m].head}`)]),
      rule(COLUMNS.length + 3),
    );
    for (const p of s.paired)
      out.push(row([p.arm, p.window, p.metrics.sharpe.n, ...COLUMNS.map((m) => interval(m, p.metrics[m]))]));
    if (s.identical_to_control.length > 0) {
      out.push(
        '',
        `Note: ${s.identical_to_control.join(', ')} gave exactly the figures of ${s.control} in every run: the decision logic measured does not act on ${s.identical_to_control.length === 1 ? 'that override' : 'those overrides'}.`,
      );
    }
  } else {
    out.push(
      '',
      s.control === null
        ? 'No paired differences: the experiment has no `default` arm to pair against.'
        : `No paired differences: ${s.control} is the only arm.`,
    );
  }

  out.push(
    '',
    `Baselines per window (same bars, costs and simulator; random entries at the ${s.control ?? arms[0] ?? ''} runs' exposure, median of 50 seeds, mean over runs):`,
    '',
    row([
      'window',
      `${s.control ?? arms[0] ?? ''} Sharpe`,
      'random-entry median Sharpe',
      'EMA 21/55 Sharpe',
      'buy & hold Sharpe',
    ]),
    rule(5),
  );
  for (const b of s.baselines) {
    const desk = cell(s.control ?? arms[0] ?? '', b.window);
    out.push(
      row([
        b.window,
        desk ? desk.metrics.sharpe.mean.toFixed(2) : '–',
        b.random_entries_sharpe_p50.toFixed(2),
        b.ema_crossover_sharpe.toFixed(2),
        b.buy_and_hold_sharpe.toFixed(2),
      ]),
    );
  }
  return `${out.join('\n')}\n`;
}
