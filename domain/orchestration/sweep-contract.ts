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
