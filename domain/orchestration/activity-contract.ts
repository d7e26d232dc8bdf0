import type { FlattenInput, FlattenResult, RecordIterationInput, SchedulePauseInput, WriteLessonsInput, WriteLessonsResult } from '../schemas/ops';
import type { ActivitySteps, STEP_CODES, StepName } from './steps';

/** Operational activities outside the per-bar pipeline. */
export interface OpsActivities {
  'X-F.flattenAccount'(input: FlattenInput): Promise<FlattenResult>;
  'O-S.setSchedulePaused'(input: SchedulePauseInput): Promise<void>;
  'K-T.writeLessons'(input: WriteLessonsInput): Promise<WriteLessonsResult>;
  'O-R.recordIteration'(input: RecordIterationInput): Promise<void>;
}

/** Every activity the worker registers, keyed by its type name (`<step code>.<step>`). */
export type ActivityContract = { [K in StepName as `${(typeof STEP_CODES)[K]}.${K}`]: ActivitySteps[K] } & OpsActivities;

/** Steps that call the shared LLM run on the LLM task queue (its worker concurrency matches the provider's limits). */
export const LLM_ACTIVITIES = ['R-A.forecast', 'T-A.chooseStyle', 'M-A.analyseRisk', 'K-T.writeLessons'] as const;
/** Steps that touch the exchange run on the exchange task queue (the only workers holding exchange keys). */
export const EXCHANGE_ACTIVITIES = ['X-S.syncAccounts', 'X-E.executeOrders', 'X-F.flattenAccount'] as const;

export interface TaskQueues {
  orchestration: string;
  llm: string;
  exchange: string;
}

export function taskQueuesFor(base: string): TaskQueues {
  return { orchestration: base, llm: `${base}-llm`, exchange: `${base}-exchange` };
}
