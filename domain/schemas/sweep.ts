import { z } from 'zod';
import { FeedSchema } from './config';

/**
 * An arm of a sweep: a name and a plain session-config override (any SessionConfigInput fields,
 * e.g. `{ "decisionRule": "vote" }`), so a later `npm run experiment` can plug its arms in as they are.
 */
export const SweepArmSchema = z.object({
  name: z.string().min(1),
  overrides: z.record(z.string(), z.unknown()).default({}),
});
export type SweepArm = z.infer<typeof SweepArmSchema>;

export const SweepWindowSchema = z
  .object({ fromMs: z.number().int(), toMs: z.number().int() })
  .refine((w) => w.toMs > w.fromMs, 'a window ends after it starts');
export type SweepWindow = z.infer<typeof SweepWindowSchema>;

/** One fast-runner backtest of the sweep: (window, seed, arm). */
export const SweepRunSpecSchema = z.object({
  id: z.string().min(1),
  window: SweepWindowSchema,
  seed: z.number().int(),
  arm: SweepArmSchema,
});
export type SweepRunSpec = z.infer<typeof SweepRunSpecSchema>;

export const SweepInputSchema = z.object({
  sweepId: z.string().min(1),
  feed: FeedSchema,
  runs: z.array(SweepRunSpecSchema).min(1),
  /** Heartbeat (progress and liveness) every N bars. @default 25 */
  heartbeatEveryBars: z.number().int().positive().default(25),
});
export type SweepInputArgs = z.input<typeof SweepInputSchema>;
export type SweepInput = z.infer<typeof SweepInputSchema>;

/**
 * The figures every fast-runner run reports, sweep or experiment (summary.json names); they reconcile:
 * final − initial = realized − fees + funding.
 */
export const RunFiguresSchema = z.object({
  id: z.string(),
  arm: z.string(),
  seed: z.number().int(),
  from: z.string(),
  to: z.string(),
  bars: z.number().int(),
  initial_equity: z.number(),
  final_equity: z.number(),
  total_return: z.number(),
  sharpe: z.number(),
  max_drawdown: z.number(),
  n_trades: z.number().int(),
  realized_pnl: z.number(),
  fees: z.number(),
  funding: z.number(),
  liquidations: z.number().int(),
  llm_calls: z.number().int(),
  halted: z.boolean(),
});

/** The gathered figures of one sweep run. */
export const SweepRunResultSchema = RunFiguresSchema.extend({
  /** The activity attempt that produced it: > 1 when a worker died mid-run and the run started over. */
  attempt: z.number().int(),
  worker: z.string(),
  seconds: z.number(),
});
export type SweepRunResult = z.infer<typeof SweepRunResultSchema>;
