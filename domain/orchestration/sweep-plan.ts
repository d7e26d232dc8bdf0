import { SweepArmSchema, type SweepArm, type SweepRunSpec, type SweepWindow } from '../schemas/sweep';

/** Every (window, seed, arm) once, in that nesting order; ids are readable and unique within the sweep. */
export function planSweepRuns(
  windows: readonly SweepWindow[],
  seeds: readonly number[],
  arms: readonly SweepArm[],
): SweepRunSpec[] {
  const names = new Set(arms.map((a) => a.name));
  if (names.size !== arms.length)
    throw new Error(`sweep arms need distinct names (got ${arms.map((a) => a.name).join(', ')})`);
  return windows.flatMap((window, w) =>
    seeds.flatMap((seed) =>
      arms.map((arm) => ({ id: `w${w}-s${seed}-${arm.name.replace(/[^A-Za-z0-9_-]+/g, '_')}`, window, seed, arm })),
    ),
  );
}

/** Mean figures per arm across its windows and seeds: what a comparison of arms reads first. */
export function summarizeArms(
  runs: ReadonlyArray<{ arm: string; total_return: number; sharpe: number; max_drawdown: number; n_trades: number }>,
) {
  const out: Record<
    string,
    { runs: number; mean_return: number; mean_sharpe: number; worst_drawdown: number; trades: number }
  > = {};
  for (const r of runs) {
    const a = (out[r.arm] ??= { runs: 0, mean_return: 0, mean_sharpe: 0, worst_drawdown: 0, trades: 0 });
    a.runs++;
    a.mean_return += (r.total_return - a.mean_return) / a.runs;
    a.mean_sharpe += (r.sharpe - a.mean_sharpe) / a.runs;
    a.worst_drawdown = Math.max(a.worst_drawdown, r.max_drawdown);
    a.trades += r.n_trades;
  }
  return out;
}

/** `{"arm name": {config overrides}, …}` (the --arms format of sweep and experiment) as arms; `source` names the flag or file in errors. */
export function parseArmsObject(raw: unknown, source: string): SweepArm[] {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw))
    throw new Error(`${source} must be a JSON object {"arm name": {config overrides}, …}`);
  return Object.entries(raw as Record<string, unknown>).map(([name, overrides]) => {
    const arm = SweepArmSchema.safeParse({ name, overrides });
    if (!arm.success) throw new Error(`${source} "${name}": overrides must be an object of session config fields`);
    return arm.data;
  });
}
