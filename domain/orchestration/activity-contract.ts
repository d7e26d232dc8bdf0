import type { FlattenInput, FlattenResult, RecordIterationInput, SchedulePauseInput, WriteLessonsInput, WriteLessonsResult } from '../schemas/ops';
import type { ActivitySteps, ActivityTypeOf, StepName } from './steps';

/** Operational activities outside the per-bar pipeline. */
export interface OpsActivities {
  'X-F.flattenAccount'(input: FlattenInput): Promise<FlattenResult>;
  'O-S.setSchedulePaused'(input: SchedulePauseInput): Promise<void>;
  'K-T.writeLessons'(input: WriteLessonsInput): Promise<WriteLessonsResult>;
  'O-R.recordIteration'(input: RecordIterationInput): Promise<void>;
}

/** Every activity the worker registers, keyed by its type name (`<step code>.<step>`). */
export type ActivityContract = { [K in StepName as ActivityTypeOf[K]]: ActivitySteps[K] } & OpsActivities;
