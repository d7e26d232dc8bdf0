import { civilFromDays, daysFromCivil, formatIsoUtc } from '../metrics/civil-time';
import type { ExperimentArm, ExperimentRunSpec, ExperimentWindow } from '../schemas/experiment';
import type { SweepArm } from '../schemas/sweep';
import { planSweepRuns } from './sweep-plan';
import { DAY_MS } from '../market/time-grid';

/** Bars from this instant on are the project's holdout: never run, tuned or reported on. */
export const HOLDOUT_START_MS = daysFromCivil({ year: 2025, month: 7, day: 1 }) * DAY_MS;

/** `YYYY-MM-DD` → epoch ms at 00:00 UTC; null for text that is not a real calendar date. */
function parseIsoDate(text: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return null;
  const date = { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
  const days = daysFromCivil(date);
  const back = civilFromDays(days);
  return back.year === date.year && back.month === date.month && back.day === date.day ? days * DAY_MS : null;
}

/** The experiment's named arms: each turns one part of the learning loop off (`llm`: the configured LLM instead of the heuristic reasoner). */
export const ARM_PRESETS = {
  default: { overrides: {} },
  'no-teaching': { overrides: { learning: { teaching: false } } },
  'no-pruning': { overrides: { learning: { pruning: false } } },
  'no-calibration': { overrides: { learning: { calibration: false } } },
  'no-skill-gate': { overrides: { sizing: { skillGate: false } } },
  llm: { overrides: {}, llm: true },
} as const satisfies Record<string, { overrides: Record<string, unknown>; llm?: boolean }>;

export const DEFAULT_EXPERIMENT_ARMS = [
  'default',
  'no-teaching',
  'no-pruning',
  'no-calibration',
  'no-skill-gate',
] as const;
export const DEFAULT_EXPERIMENT_WINDOWS = ['2020', '2021', '2022', '2023', '2024'] as const;

/** Session-config fields the experiment sets per run; an arm may not override them. */
export const RUN_FIXED_FIELDS = ['mode', 'feed', 'seed', 'fromMs', 'toMs', 'sessionId'] as const;

/** Thrown when a window, seed list or arm of an experiment cannot be run as asked. */
export class ExperimentPlanError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExperimentPlanError';
  }
}

/**
 * `2020` → bar closes 2020-01-01 00:00 → 2021-01-01 00:00 UTC (as `npm run backtest --from 2020-01-01 --to 2021-01-01`);
 * `FROM/TO` (`YYYY-MM-DD` dates, 00:00 UTC) → that range. A window whose last bar close reaches 2025-07-01 is refused: holdout.
 */
export function parseExperimentWindow(text: string): ExperimentWindow {
  const t = text.trim();
  const [from, to, ...rest] = /^\d{4}$/.test(t) ? [`${t}-01-01`, `${Number(t) + 1}-01-01`] : t.split('/');
  const fromMs = parseIsoDate(from ?? '');
  const toMs = parseIsoDate(to ?? '');
  if (rest.length > 0 || fromMs === null || toMs === null)
    throw new ExperimentPlanError(`window "${t}" is neither a year (2020) nor FROM/TO dates (2023-03-01/2023-04-01)`);
  if (toMs <= fromMs) throw new ExperimentPlanError(`window "${t}" ends before it starts`);
  if (toMs >= HOLDOUT_START_MS) {
    throw new ExperimentPlanError(
      `window "${t}" reaches ${formatIsoUtc(toMs)}: bars from 2025-07-01 on are the holdout and are never run (end windows before 2025-07-01)`,
    );
  }
  return { label: t, fromMs, toMs };
}

/** `8` → seeds 1 … 8; `3,7,11` → those seeds. */
export function parseSeeds(text: string): number[] {
  const parts = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (parts.length === 0 || parts.some((s) => !/^-?\d+$/.test(s)))
    throw new ExperimentPlanError(`--seeds "${text}" is neither a count (8) nor a list of integers (3,7,11)`);
  if (parts.length === 1) {
    const n = Number(parts[0]);
    if (n < 1) throw new ExperimentPlanError(`--seeds ${n}: a count of seeds is at least 1`);
    return Array.from({ length: n }, (_, i) => i + 1);
  }
  const seeds = parts.map(Number);
  if (new Set(seeds).size !== seeds.length) throw new ExperimentPlanError(`--seeds "${text}" repeats a seed`);
  return seeds;
}

/** The named presets (in the order asked), then the custom arms; `llm` only when a real LLM is configured. */
export function resolveExperimentArms(
  names: readonly string[],
  custom: readonly SweepArm[],
  opts: { llmProvider: string },
): ExperimentArm[] {
  const presets = names.map((name): ExperimentArm => {
    const preset = (ARM_PRESETS as Record<string, { overrides: Record<string, unknown>; llm?: boolean }>)[name];
    if (!preset)
      throw new ExperimentPlanError(
        `unknown arm "${name}" (presets: ${Object.keys(ARM_PRESETS).join(', ')}; custom arms: --arms-json FILE)`,
      );
    if (preset.llm && opts.llmProvider === 'heuristic')
      throw new ExperimentPlanError(
        'arm "llm" needs an LLM: set OPENAI_API_KEY or ANTHROPIC_API_KEY (or LLM_PROVIDER with LLM_BASE_URL)',
      );
    return { name, overrides: structuredClone(preset.overrides), llm: preset.llm ?? false };
  });
  const arms = [...presets, ...custom.map((a) => ({ ...a, llm: false }))];
  for (const arm of arms) {
    const fixed = RUN_FIXED_FIELDS.filter((f) => f in arm.overrides);
    if (fixed.length > 0)
      throw new ExperimentPlanError(
        `arm "${arm.name}" overrides ${fixed.join(', ')}, which the experiment sets per run`,
      );
  }
  return arms;
}

/**
 * Override paths that the parsed config does not have (zod drops unknown keys, so a typo such as
 * `learning.teachin` would otherwise run the default silently). Empty = every override landed.
 */
export function findUnknownOverrideKeys(overrides: Record<string, unknown>, parsed: object, prefix = ''): string[] {
  return Object.entries(overrides).flatMap(([key, value]) => {
    const path = `${prefix}${key}`;
    if (!(key in parsed)) return [path];
    const inner: unknown = (parsed as Record<string, unknown>)[key];
    if (
      value &&
      typeof value === 'object' &&
      !Array.isArray(value) &&
      inner &&
      typeof inner === 'object' &&
      !Array.isArray(inner)
    ) {
      return findUnknownOverrideKeys(value as Record<string, unknown>, inner, `${path}.`);
    }
    return [];
  });
}

/** Every (window, seed, arm) once (the sweep's plan), with ids that name the window: `2020-s3-no-teaching`. */
export function planExperimentRuns(
  windows: readonly ExperimentWindow[],
  seeds: readonly number[],
  arms: readonly ExperimentArm[],
): ExperimentRunSpec[] {
  const labels = new Set(windows.map((w) => w.label));
  if (labels.size !== windows.length)
    throw new ExperimentPlanError(`windows repeat: ${windows.map((w) => w.label).join(', ')}`);
  return planSweepRuns(windows, seeds, arms).map((run) => {
    const window = run.window as ExperimentWindow;
    const arm = run.arm as ExperimentArm;
    return {
      ...run,
      window,
      arm,
      id: `${window.label.replace(/[^A-Za-z0-9_-]+/g, '_')}-s${run.seed}-${arm.name.replace(/[^A-Za-z0-9_-]+/g, '_')}`,
    };
  });
}
