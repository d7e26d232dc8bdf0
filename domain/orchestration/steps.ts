import type { RiskLogEntry, RiskReviewResult, RiskVerdict } from '../schemas/risk';
import type { FeatureTable, TrendCall } from '../schemas/analysis';
import type { SnapshotSummary } from '../schemas/market';
import type { Calibration, Forecast, ResearchReport, Uncertainty } from '../schemas/research';
import type {
  AlignDataInput,
  AnalyseRiskInput,
  BuildFeaturesInput,
  BuildOrderInput,
  CalibrateRequest,
  ChooseStyleInput,
  DetectTrendInput,
  Evaluated,
  EvaluateRequest,
  ExecuteOrdersInput,
  ExecuteOrdersResult,
  ForecastRequest,
  KnowledgeTransferRequest,
  KnowledgeTransferResult,
  PackageResearchInput,
  RiskReviewInput,
  SyncAccountsInput,
  SyncAccountsResult,
  UncertaintyInput,
} from '../schemas/steps';
import type { ExecutionStyle, TradeProposal } from '../schemas/trade';
import type { FlattenInput, FlattenResult } from '../schemas/ops';
import type { ApprovalDecision, ApprovalRequest } from '../schemas/approval';

/**
 * Every step of one iteration, as the orchestration sees it. The Temporal iteration workflow passes
 * activity proxies and child-workflow launchers; the fast backtest runner passes direct calls.
 * Same code, same decisions.
 */
export interface Steps {
  /** A-A: every stream as of the bar close. */
  alignData(input: AlignDataInput): Promise<SnapshotSummary>;
  /** X-S: mark the accounts to the closed bars (fills, TP/SL, liquidation, funding) or reconcile live. */
  syncAccounts(input: SyncAccountsInput): Promise<SyncAccountsResult>;
  /** A-B (M). */
  buildFeatures(input: BuildFeaturesInput): Promise<FeatureTable>;
  /** A-C (M). */
  detectTrend(input: DetectTrendInput): Promise<TrendCall>;
  /** R-A (M). */
  forecast(input: ForecastRequest): Promise<Forecast>;
  /** R-B (M). */
  quantifyUncertainty(input: UncertaintyInput): Promise<Uncertainty>;
  /** R-C (M). */
  calibrate(input: CalibrateRequest): Promise<Calibration>;
  /** R-D. */
  packageResearch(input: PackageResearchInput): Promise<ResearchReport>;
  /** T-A (M). */
  chooseStyle(input: ChooseStyleInput): Promise<ExecutionStyle>;
  /** T-B. */
  buildOrder(input: BuildOrderInput): Promise<TradeProposal>;
  /** M-A (M). */
  analyseRisk(input: AnalyseRiskInput): Promise<RiskVerdict>;
  /** M-B. */
  logRisk(input: RiskLogEntry): Promise<{ written: boolean }>;
  /**
   * An order above `approval.aboveNotional` waits for the operator (docs/approval.md): the iteration
   * workflow's `approveOrder`/`rejectOrder` Updates or its timeout; the fast runner refuses it.
   */
  awaitApproval(request: ApprovalRequest): Promise<ApprovalDecision>;
  /** X-E: execute the approved order and the shadow orders. */
  executeOrders(input: ExecuteOrdersInput): Promise<ExecuteOrdersResult>;
  /** E: the Evaluator on the stored learning state; returns its changes to the populations and the learning state. */
  evaluate(input: EvaluateRequest): Promise<Evaluated>;
  /** The soft-fail loop (riskReviewWorkflow in Temporal). */
  reviewRisk(input: RiskReviewInput): Promise<RiskReviewResult>;
  /** Every K rounds (knowledgeTransferWorkflow in Temporal). */
  transferKnowledge(input: KnowledgeTransferRequest): Promise<KnowledgeTransferResult>;
  /** X-F: a halt's flatten (the kill switch's activity), only on a bar that halts with exposure. */
  flattenAccount(input: FlattenInput): Promise<FlattenResult>;
}

/**
 * Tells a runner's cancellation from a step's failure: a cancellation must propagate, a failure may
 * fall back. What a cancellation looks like belongs to the runner, so the orchestration is handed it.
 */
export type IsCancellation = (err: unknown) => boolean;

/** The per-bar activity steps: everything but the two child workflows, the halt's flatten and the operator's approval. */
export type ActivitySteps = Omit<Steps, 'reviewRisk' | 'transferKnowledge' | 'flattenAccount' | 'awaitApproval'>;

/** Step code of each activity, so the Temporal UI's event history names the step. */
export const STEP_CODES = {
  alignData: 'A-A',
  syncAccounts: 'X-S',
  buildFeatures: 'A-B',
  detectTrend: 'A-C',
  forecast: 'R-A',
  quantifyUncertainty: 'R-B',
  calibrate: 'R-C',
  packageResearch: 'R-D',
  chooseStyle: 'T-A',
  buildOrder: 'T-B',
  analyseRisk: 'M-A',
  logRisk: 'M-B',
  executeOrders: 'X-E',
  evaluate: 'E',
} as const satisfies Record<keyof ActivitySteps, string>;

export type StepName = keyof typeof STEP_CODES;

/** Activity type name of each step, e.g. `A-B.buildFeatures` for `buildFeatures`. */
export type ActivityTypeOf = { [S in StepName]: `${(typeof STEP_CODES)[S]}.${S}` };

/** Activity type name as registered with the worker, e.g. `A-B.buildFeatures`. */
export function activityTypeOf<S extends StepName>(step: S): ActivityTypeOf[S] {
  return `${STEP_CODES[step]}.${step}` as ActivityTypeOf[S];
}

export const STEP_NAMES = Object.keys(STEP_CODES) as StepName[];
