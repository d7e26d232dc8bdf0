import type { Feed } from '../schemas/config';
import type { SweepRunResult, SweepRunSpec } from '../schemas/sweep';

/** Input of the one activity a sweep run is: a whole fast-runner backtest on a research worker. */
export interface SweepRunInput {
  feed: Feed;
  run: SweepRunSpec;
  heartbeatEveryBars: number;
}

export interface SweepActivities {
  'S-W.runBacktest'(input: SweepRunInput): Promise<SweepRunResult>;
}

export const SWEEP_ACTIVITIES = ['S-W.runBacktest'] as const;

/**
 * Research runs get their own task queue: each worker takes one at a time (a fast backtest keeps a core
 * busy), and they never delay the trading queues' steps.
 */
export function researchQueueFor(baseQueue: string): string {
  return `${baseQueue}-research`;
}
