import type { Populations } from '../schemas/agents';
import type { LearningState } from '../schemas/learning';
import type { Forecast } from '../schemas/research';
import type {
  ExecuteOrdersInput,
  ExecuteOrdersResult,
  ForecastRequest,
  EvaluateChanges,
  StoredStates,
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
  /** The session's populations and learning state into the shared blob store; their refs (a local activity: neither is recorded). */
  'O-L.storeState'(state: { populations: Populations; learning: LearningState }): Promise<{
    populations: string;
    learning: string;
  }>;
  /** What knowledge transfer reads of the stored states after E's changes (a local activity of its child). */
  'O-L.knowledgeTransferInput'(
    stored: StoredStates,
  ): Promise<{ populations: Populations; learning: LearningState; base: Populations }>;
  /** E's changes, read once by the session after the bar (a local activity: its marker is where they are recorded). */
  'O-L.loadChanges'(ref: string): Promise<EvaluateChanges>;
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
