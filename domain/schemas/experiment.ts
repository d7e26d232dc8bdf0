import { z } from 'zod';
import { RunFiguresSchema, SweepArmSchema, SweepRunSpecSchema } from './sweep';

/**
 * An arm of an experiment: a sweep arm (name + session-config overrides) that may also ask for the
 * configured LLM instead of the offline heuristic reasoner every other arm runs on.
 */
export const ExperimentArmSchema = SweepArmSchema.extend({
  /** Run on the environment's LLM (LLM_PROVIDER ≠ heuristic) rather than the heuristic reasoner. @default false */
  llm: z.boolean().default(false),
});
export type ExperimentArm = z.infer<typeof ExperimentArmSchema>;

/** A window with the label the table prints (`2020`, or `FROM/TO`). */
export const ExperimentWindowSchema = z
  .object({ label: z.string().min(1), fromMs: z.number().int(), toMs: z.number().int() })
  .refine((w) => w.toMs > w.fromMs, 'a window ends after it starts');
export type ExperimentWindow = z.infer<typeof ExperimentWindowSchema>;

/** One (window, seed, arm) run: a sweep run spec plus the window's label and the arm's reasoner. */
export const ExperimentRunSpecSchema = SweepRunSpecSchema.extend({
  window: ExperimentWindowSchema,
  arm: ExperimentArmSchema,
});
export type ExperimentRunSpec = z.infer<typeof ExperimentRunSpecSchema>;

/** What the run's baselines (same bars, costs and simulator) scored over the same window. */
export const ExperimentBaselinesSchema = z.object({
  /** Median Sharpe of the 50 random-entry runs at the desk's own exposure. */
  random_entries_sharpe_p50: z.number(),
  random_entries_exposure: z.number(),
  ema_crossover_sharpe: z.number(),
  buy_and_hold_sharpe: z.number(),
});

/**
 * One run's figures (summary.json names). They reconcile: final − initial = realized − fees + funding;
 * fees_pct = fees / initial_equity; n_trades counts round trips (closed trades).
 */
export const ExperimentRunResultSchema = RunFiguresSchema.extend({
  window: z.string(),
  fees_pct: z.number(),
  exposure: z.number(),
  baselines: ExperimentBaselinesSchema,
  seconds: z.number(),
});
export type ExperimentRunResult = z.infer<typeof ExperimentRunResultSchema>;
