import type { Forecast } from '../schemas/research';
import type { ForecastInput } from '../schemas/steps';
import type { FlattenInput, FlattenResult, RecordIterationInput, SchedulePauseInput, WriteLessonsInput, WriteLessonsResult } from '../schemas/ops';
import type { ActivitySteps, ActivityTypeOf, StepName } from './steps';

/** Operational activities outside the per-bar pipeline. */
export interface OpsActivities {
  'X-F.flattenAccount'(input: FlattenInput): Promise<FlattenResult>;
  'O-S.setSchedulePaused'(input: SchedulePauseInput): Promise<void>;
  'K-T.writeLessons'(input: WriteLessonsInput): Promise<WriteLessonsResult>;
  'O-R.recordIteration'(input: RecordIterationInput): Promise<void>;
}

/** A step scheduled under a second type where it needs no LLM: R-A's quant methods run as a pure step. */
export interface RoutedActivities {
  'R-A.forecastQuant'(input: ForecastInput): Promise<Forecast>;
}

/** Every activity the worker registers, keyed by its type name (`<step code>.<step>`). */
export type ActivityContract = { [K in StepName as ActivityTypeOf[K]]: ActivitySteps[K] } & RoutedActivities & OpsActivities;
