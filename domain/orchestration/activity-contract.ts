import type { LearningState } from '../schemas/learning';
import type { Forecast } from '../schemas/research';
import type {
  ExecuteOrdersInput,
  ExecuteOrdersResult,
  ForecastRequest,
  LearningAfter,
  SyncAccountsInput,
  SyncAccountsResult,
} from '../schemas/steps';
import type {
  FlattenInput,
  FlattenResult,
  RecordIterationInput,
  SchedulePauseInput,
  WriteLessonsInput,
  WriteLessonsResult,
} from '../schemas/ops';
import type { ActivitySteps, ActivityTypeOf, StepName } from './steps';

/** Operational activities outside the per-bar pipeline. */
export interface OpsActivities {
  'X-F.flattenAccount'(input: FlattenInput): Promise<FlattenResult>;
  'O-S.setSchedulePaused'(input: SchedulePauseInput): Promise<void>;
  'K-T.writeLessons'(input: WriteLessonsInput): Promise<WriteLessonsResult>;
  'O-R.recordIteration'(input: RecordIterationInput): Promise<void>;
  /** The session's learning state into the shared blob store; returns its ref (a local activity: the state is not recorded). */
  'O-L.storeLearning'(learning: LearningState): Promise<string>;
  /** What knowledge transfer reads of the stored learning state after E's changes (a local activity of its child). */
  'O-L.knowledgeTransferSlice'(input: LearningAfter): Promise<LearningState>;
}

/**
 * Steps scheduled under a second type where they need neither the LLM nor a venue: R-A's quant
 * methods, and X-S/X-E of a paper or backtest fund (the paper simulator), run as pure steps.
 */
export interface RoutedActivities {
  'R-A.forecastQuant'(input: ForecastRequest): Promise<Forecast>;
  'X-S.syncAccountsPaper'(input: SyncAccountsInput): Promise<SyncAccountsResult>;
  'X-E.executeOrdersPaper'(input: ExecuteOrdersInput): Promise<ExecuteOrdersResult>;
}

/** Every activity the worker registers, keyed by its type name (`<step code>.<step>`). */
export type ActivityContract = { [K in StepName as ActivityTypeOf[K]]: ActivitySteps[K] } & RoutedActivities &
  OpsActivities;
