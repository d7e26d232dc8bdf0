import type { Duration, RetryPolicy } from '@temporalio/common';
import type { ActivityContract } from '../domain/orchestration/activity-contract';
import { STEP_RETRY_POLICY } from '../domain/orchestration/retry-policy';
import type { SweepActivities } from '../domain/orchestration/sweep-contract';
import { NON_RETRYABLE_FAILURES } from '../domain/failures';
import type { QueueKind } from './task-queues';

/** Every activity a desk worker registers, keyed by its type name. */
export type DeskActivities = ActivityContract & SweepActivities;
export type ActivityName = keyof DeskActivities;

/** How one activity is scheduled: where, for how long, how often it is retried, and whether it may run local. */
export interface ActivityRow {
  queue: QueueKind;
  startToCloseTimeout: Duration;
  /** Only long activities heartbeat: a killed worker's run is retried elsewhere after this. */
  heartbeatTimeout?: Duration;
  retry: RetryPolicy;
  /**
   * A pure step (no I/O, short): a session that asks for it runs these as local activities, markers in
   * the history instead of a server round trip per step, for fast backtests through the real workflows.
   * `'always'`: always local, because its input must stay out of the history (the populations and learning state).
   */
  local: boolean | 'always';
}

/** The shared step policy (the fast runner follows the same one); durations in ms. */
const STEP_RETRY: RetryPolicy = {
  initialInterval: STEP_RETRY_POLICY.initialIntervalMs,
  backoffCoefficient: STEP_RETRY_POLICY.backoffCoefficient,
  maximumInterval: STEP_RETRY_POLICY.maximumIntervalMs,
  maximumAttempts: STEP_RETRY_POLICY.maximumAttempts,
  nonRetryableErrorTypes: [...STEP_RETRY_POLICY.nonRetryableErrorTypes],
};

// Pure steps are short (a killed worker's attempt is retried after 10 s); LLM calls get minutes;
// exchange calls 30 s, and retries that reconcile before resending.
const PURE: ActivityRow = { queue: 'orchestration', startToCloseTimeout: '10s', retry: STEP_RETRY, local: true };
const LLM: ActivityRow = { queue: 'llm', startToCloseTimeout: '3m', retry: STEP_RETRY, local: false };
const EXCHANGE: ActivityRow = { queue: 'exchange', startToCloseTimeout: '30s', retry: STEP_RETRY, local: false };
/** Session bookkeeping: cheap and idempotent, a few quick retries. */
const CONTROL: ActivityRow = {
  queue: 'orchestration',
  startToCloseTimeout: '10s',
  retry: { maximumAttempts: 5 },
  local: false,
};

/** Claim-check reads and writes of the populations and learning state: short, content-addressed (a retry writes the same bytes). */
const STORED_STATE: ActivityRow = {
  queue: 'orchestration',
  startToCloseTimeout: '10s',
  retry: STEP_RETRY,
  local: 'always',
};

/** The one table of the desk's activities: proxies, the worker's queue split and every workflow derive from it. */
export const ACTIVITY_TABLE = {
  'A-A.alignData': PURE,
  'X-S.syncAccounts': EXCHANGE,
  // A paper or backtest fund's X-S/X-E run the paper simulator: pure steps (activity-proxies.ts routes by mode).
  'X-S.syncAccountsPaper': PURE,
  'A-B.buildFeatures': PURE,
  'A-C.detectTrend': PURE,
  'R-A.forecast': LLM,
  // The quant forecast methods never ask the LLM: a pure step (activity-proxies.ts routes by method).
  'R-A.forecastQuant': PURE,
  'R-B.quantifyUncertainty': PURE,
  'R-C.calibrate': PURE,
  'R-D.packageResearch': PURE,
  'T-A.chooseStyle': LLM,
  'T-B.buildOrder': PURE,
  'M-A.analyseRisk': LLM,
  'M-B.logRisk': PURE,
  'X-E.executeOrders': EXCHANGE,
  'X-E.executeOrdersPaper': PURE,
  'E.evaluate': PURE,
  // A kill switch closes the book while the venue may be slow: a minute per attempt.
  'X-F.flattenAccount': { ...EXCHANGE, startToCloseTimeout: '1m' },
  'O-S.setSchedulePaused': CONTROL,
  'O-R.recordIteration': CONTROL,
  // The populations and learning state by reference (claim check): local, so neither enters the
  // iteration's history; the markers record only the refs (or, in the knowledge-transfer child, its input). docs/architecture.md.
  'O-L.storeState': STORED_STATE,
  'O-L.knowledgeTransferInput': STORED_STATE,
  'O-L.loadChanges': STORED_STATE,
  // Lessons are an improvement, not a requirement: a few attempts, then the blended preferences stand.
  'K-T.writeLessons': { ...LLM, retry: { maximumAttempts: 3 } },
  'S-W.runBacktest': {
    queue: 'research',
    startToCloseTimeout: '4h',
    heartbeatTimeout: '15s',
    local: false,
    retry: { initialInterval: '1s', maximumAttempts: 5, nonRetryableErrorTypes: [...NON_RETRYABLE_FAILURES] },
  },
} as const satisfies Record<ActivityName, ActivityRow>;

/** The queue an activity runs on; anything the table does not name (a test hook's extra) stays with the workflows. */
export function queueKindOf(name: string): QueueKind {
  const row: ActivityRow | undefined = (ACTIVITY_TABLE as Record<string, ActivityRow>)[name];
  return row?.queue ?? 'orchestration';
}
