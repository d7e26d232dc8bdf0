import { z } from 'zod';
import { AccountEventSchema, AccountSchema, ClosedTradeSchema } from './account';
import { AgentSchema, LearningEventSchema, MethodStepSchema, PopulationsSchema, RoleSchema } from './agents';
import { FeatureTableSchema, TrendCallSchema } from './analysis';
import {
  ExchangeCostsSchema,
  FeedSchema,
  LearningSwitchesSchema,
  LlmChoiceSchema,
  ModeSchema,
  RiskLimitsSchema,
  SizingSchema,
} from './config';
import { LearningStateSchema, ScoredForecastSchema } from './learning';
import { JsonPatchSchema } from './json-patch';
import { LlmUsageSchema } from './llm';
import { EpochMsSchema, SnapshotSummarySchema } from './market';
import { CalibrationSchema, ForecastSchema, ResearchReportSchema, UncertaintySchema } from './research';
import { RiskVerdictSchema } from './risk';
import { SessionStateSchema, TradingStateSchema } from './session';
import { ExecutionStyleSchema, OrderSchema, TradeProposalSchema } from './trade';

/** Context every step carries: who, when, which bar. Small on purpose (it is in every history event). */
export const StepContextSchema = z.object({
  sessionId: z.string(),
  iterationId: z.string(),
  barCloseMs: EpochMsSchema,
  round: z.number().int().nonnegative(),
  symbol: z.string(),
  /** Set by the orchestration after an LLM step failed for good: answer with the offline reasoner. */
  heuristicOnly: z.boolean().optional(),
  /** The session's LLM choice (`setLlm`); absent or null = the LLM worker's env default. */
  llm: LlmChoiceSchema.nullable().optional(),
});
export type StepContext = z.infer<typeof StepContextSchema>;

/**
 * What a step knows of its agent: who it is, which model it asks and the lessons it was taught. The
 * inventory and track record stay with the orchestration, which chose the method already.
 */
export const StepAgentSchema = AgentSchema.pick({ id: true, model: true, notes: true });
export type StepAgent = z.infer<typeof StepAgentSchema>;

/** The agent's own matured forecasts, newest last: all R-A and R-C read of the learning state. */
export const OwnForecastHistorySchema = z.array(ScoredForecastSchema);

/** A method chosen by the orchestration for an agent's (M) step. */
export const MethodChoiceSchema = z.object({ id: z.string(), params: z.record(z.string(), z.number()) });
export type MethodChoice = z.infer<typeof MethodChoiceSchema>;

// A-A
export const AlignDataInputSchema = z.object({ ctx: StepContextSchema, feed: FeedSchema });
export type AlignDataInput = z.infer<typeof AlignDataInputSchema>;

// X-S: mark accounts to the bars since the last sync (fills, TP/SL, liquidation, funding).
export const SyncAccountsInputSchema = z.object({
  ctx: StepContextSchema,
  snapshotRef: z.string(),
  mode: ModeSchema,
  costs: ExchangeCostsSchema,
  account: AccountSchema,
  shadow: z.record(z.string(), AccountSchema),
});
export type SyncAccountsInput = z.infer<typeof SyncAccountsInputSchema>;
export const SyncAccountsResultSchema = z.object({
  account: AccountSchema,
  shadow: z.record(z.string(), AccountSchema),
  events: z.array(AccountEventSchema),
  shadowClosed: z.array(ClosedTradeSchema),
  equity: z.number(),
  /** Differences found between our record and the venue (live mode). */
  drift: z.array(z.string()),
});
export type SyncAccountsResult = z.infer<typeof SyncAccountsResultSchema>;

// A-B
export const BuildFeaturesInputSchema = z.object({
  ctx: StepContextSchema,
  agent: StepAgentSchema,
  method: MethodChoiceSchema,
  snapshotRef: z.string(),
});
export type BuildFeaturesInput = z.infer<typeof BuildFeaturesInputSchema>;

// A-C
export const DetectTrendInputSchema = z.object({
  ctx: StepContextSchema,
  agent: StepAgentSchema,
  method: MethodChoiceSchema,
  snapshotRef: z.string(),
  features: FeatureTableSchema,
});
export type DetectTrendInput = z.infer<typeof DetectTrendInputSchema>;

/** What the analysts hand to the researchers: the leading analyst's features plus every trend call. */
export const AnalysisSchema = z.object({
  snapshot: SnapshotSummarySchema,
  features: FeatureTableSchema,
  trends: z.array(TrendCallSchema),
  consensus: TrendCallSchema,
});
export type Analysis = z.infer<typeof AnalysisSchema>;

// R-A
export const ForecastInputSchema = z.object({
  ctx: StepContextSchema,
  agent: StepAgentSchema,
  method: MethodChoiceSchema,
  analysis: AnalysisSchema,
  history: OwnForecastHistorySchema,
});
export type ForecastInput = z.infer<typeof ForecastInputSchema>;
/**
 * What the iteration schedules for R-A: the input without the history, which the activity reads from
 * the stored learning state by `learningRef` (its agent's own forecast history), so it never crosses the history.
 */
export const ForecastRequestSchema = ForecastInputSchema.omit({ history: true }).extend({ learningRef: z.string() });
export type ForecastRequest = z.infer<typeof ForecastRequestSchema>;
// R-B
export const UncertaintyInputSchema = z.object({
  ctx: StepContextSchema,
  agent: StepAgentSchema,
  method: MethodChoiceSchema,
  snapshotRef: z.string(),
  analysis: AnalysisSchema,
});
export type UncertaintyInput = z.infer<typeof UncertaintyInputSchema>;
// R-C
export const CalibrateInputSchema = z.object({
  ctx: StepContextSchema,
  agent: StepAgentSchema,
  method: MethodChoiceSchema,
  forecast: ForecastSchema,
  history: OwnForecastHistorySchema,
  /** config.learning.calibration; false = the raw probability passes through (arm no-calibration). Absent = true. */
  enabled: z.boolean().optional(),
});
export type CalibrateInput = z.infer<typeof CalibrateInputSchema>;
/** What the iteration schedules for R-C: as for R-A, the history is read by `learningRef` inside the activity. */
export const CalibrateRequestSchema = CalibrateInputSchema.omit({ history: true }).extend({ learningRef: z.string() });
export type CalibrateRequest = z.infer<typeof CalibrateRequestSchema>;
// R-D
export const PackageResearchInputSchema = z.object({
  ctx: StepContextSchema,
  agent: StepAgentSchema,
  analysis: AnalysisSchema,
  forecast: ForecastSchema,
  uncertainty: UncertaintySchema,
  calibration: CalibrationSchema,
  limits: RiskLimitsSchema,
  /** The session's costs the net edge is stated after; absent (older histories) = the schema defaults. */
  costs: ExchangeCostsSchema.optional(),
});
export type PackageResearchInput = z.infer<typeof PackageResearchInputSchema>;

// T-A
export const ChooseStyleInputSchema = z.object({
  ctx: StepContextSchema,
  agent: StepAgentSchema,
  method: MethodChoiceSchema,
  research: ResearchReportSchema,
  snapshot: SnapshotSummarySchema,
  feedback: z.array(z.string()),
});
export type ChooseStyleInput = z.infer<typeof ChooseStyleInputSchema>;
/**
 * The deciding agents' demonstrated skill as T-B reads it (domain/population/skill.ts): `factor` 0 = no
 * skill shown by the confidence bounds, 1 = fully shown; `note` states the bounds behind it.
 */
export const SkillSummarySchema = z.object({ factor: z.number().min(0).max(1), note: z.string() });
export type SkillSummary = z.infer<typeof SkillSummarySchema>;

// T-B
export const BuildOrderInputSchema = z.object({
  ctx: StepContextSchema,
  agent: StepAgentSchema,
  attempt: z.number().int().nonnegative(),
  research: ResearchReportSchema,
  style: ExecutionStyleSchema,
  account: AccountSchema,
  limits: RiskLimitsSchema,
  costs: ExchangeCostsSchema,
  feedback: z.array(z.string()),
  /** config.sizing; absent (older histories) = the schema defaults. */
  sizing: SizingSchema.optional(),
  /** Absent = no skill evidence supplied (the orchestration always supplies it): sized as if fully shown. */
  skill: SkillSummarySchema.optional(),
});
export type BuildOrderInput = z.infer<typeof BuildOrderInputSchema>;

/**
 * Account-level facts the risk checks need beyond the order itself. An input an older session
 * scheduled carries `halted` instead of `tradingState`: read as HALTED or ACTIVE (the cool-down has
 * its own check on `cooldownUntilMs`), so a retried activity still runs.
 */
export const RiskContextSchema = z.preprocess(
  (v) =>
    v !== null && typeof v === 'object' && !('tradingState' in v) && 'halted' in v
      ? { ...v, tradingState: v.halted === true ? 'halted' : 'active' }
      : v,
  z.object({
    equity: z.number(),
    peakEquity: z.number(),
    dayStartEquity: z.number(),
    consecutiveLosses: z.number().int().nonnegative(),
    cooldownUntilMs: EpochMsSchema,
    /** The fund's trading state at the bar close; HALTED fails every entry. */
    tradingState: TradingStateSchema,
  }),
);
export type RiskContext = z.infer<typeof RiskContextSchema>;
// M-A
export const AnalyseRiskInputSchema = z.object({
  ctx: StepContextSchema,
  agent: StepAgentSchema,
  method: MethodChoiceSchema,
  order: OrderSchema,
  research: ResearchReportSchema,
  style: ExecutionStyleSchema,
  account: AccountSchema,
  risk: RiskContextSchema,
  limits: RiskLimitsSchema,
  snapshotRef: z.string(),
});
export type AnalyseRiskInput = z.infer<typeof AnalyseRiskInputSchema>;

/** Input of riskReviewWorkflow (the soft-fail loop). */
export const RiskReviewInputSchema = z.object({
  ctx: StepContextSchema,
  trader: StepAgentSchema,
  riskManager: StepAgentSchema,
  riskMethod: MethodChoiceSchema,
  styleMethod: MethodChoiceSchema,
  research: ResearchReportSchema,
  style: ExecutionStyleSchema,
  snapshot: SnapshotSummarySchema,
  firstProposal: TradeProposalSchema,
  account: AccountSchema,
  risk: RiskContextSchema,
  limits: RiskLimitsSchema,
  costs: ExchangeCostsSchema,
  maxSoftFails: z.number().int().nonnegative(),
  /** Passed on to every regenerated T-B order, so a retry sizes by the same evidence as the first. */
  sizing: SizingSchema.optional(),
  skill: SkillSummarySchema.optional(),
});
export type RiskReviewInput = z.infer<typeof RiskReviewInputSchema>;

// X-E: execute the approved order (real/paper account) and the shadow orders.
export const ExecuteOrdersInputSchema = z.object({
  ctx: StepContextSchema,
  snapshotRef: z.string(),
  mode: ModeSchema,
  costs: ExchangeCostsSchema,
  account: AccountSchema,
  order: OrderSchema.nullable(),
  shadow: z.record(z.string(), z.object({ account: AccountSchema, order: OrderSchema.nullable() })),
});
export type ExecuteOrdersInput = z.infer<typeof ExecuteOrdersInputSchema>;
export const ExecuteOrdersResultSchema = z.object({
  account: AccountSchema,
  order: OrderSchema.nullable(),
  shadow: z.record(z.string(), AccountSchema),
  events: z.array(AccountEventSchema),
  /** Shadow positions X-E closed (an opposite order closes first): the Evaluator scores them like X-S's. */
  shadowClosed: z.array(ClosedTradeSchema).default([]),
});
export type ExecuteOrdersResult = z.infer<typeof ExecuteOrdersResultSchema>;

// E
export const EvaluateInputSchema = z.object({
  ctx: StepContextSchema,
  close: z.number().positive(),
  populations: PopulationsSchema,
  learning: LearningStateSchema,
  forecasts: z.array(z.object({ forecast: ForecastSchema, calibration: CalibrationSchema })),
  trends: z.array(TrendCallSchema),
  closedTrades: z.array(ClosedTradeSchema),
  riskDecision: z.object({ riskManagerId: z.string(), vetoed: z.boolean(), order: OrderSchema }).nullable(),
  regime: z.string(),
  horizonBars: z.number().int().positive(),
  barMs: z.number().int().positive(),
});
export type EvaluateInput = z.infer<typeof EvaluateInputSchema>;
/** An (M) step's method the iteration ran for an agent this round: E records the use (recordUse) on the stored populations. */
export const MethodUseSchema = z.object({ agentId: z.string(), step: MethodStepSchema, methodId: z.string() });
export type MethodUse = z.infer<typeof MethodUseSchema>;
/**
 * What the iteration schedules for E: the learning state and the populations by ref (loaded inside the
 * activity) and the method uses of this bar, in the order the iteration chose them. E returns its changes
 * to both stored states (the populations' including the uses).
 */
export const EvaluateRequestSchema = EvaluateInputSchema.omit({ learning: true, populations: true }).extend({
  learningRef: z.string(),
  populationsRef: z.string(),
  uses: z.array(MethodUseSchema),
});
export type EvaluateRequest = z.infer<typeof EvaluateRequestSchema>;
export const EvaluateResultSchema = z.object({ populations: PopulationsSchema, learning: LearningStateSchema });
export type EvaluateResult = z.infer<typeof EvaluateResultSchema>;
/** E's changes to the stored populations and learning state (null = unchanged): what E stores in the blob store. */
export const EvaluateChangesSchema = z.object({
  populations: JsonPatchSchema.nullable(),
  learning: JsonPatchSchema.nullable(),
});
export type EvaluateChanges = z.infer<typeof EvaluateChangesSchema>;
/**
 * What E returns: the ref of its changes (EvaluateChanges) in the blob store. The session loads them once,
 * after the bar (`O-L.loadChanges`), so they are recorded once, in its history, not in E's marker and again
 * in the iteration's result.
 */
export const EvaluatedSchema = z.object({ changes: z.string() });
export type Evaluated = z.infer<typeof EvaluatedSchema>;

/** Input/output of knowledgeTransferWorkflow. */
export const KnowledgeTransferInputSchema = z.object({
  ctx: StepContextSchema,
  populations: PopulationsSchema,
  /** What the plan reads of the learning state (knowledgeTransferSliceOf): ranking windows, regime counts, risk scores. */
  learning: LearningStateSchema,
  traderEvery: z.number().int().min(1),
  every: z.number().int().min(1),
  /** config.learning's teaching/pruning switches; absent (histories recorded before them) = both on. */
  switches: LearningSwitchesSchema.pick({ teaching: true, pruning: true }).optional(),
});
export type KnowledgeTransferInput = z.infer<typeof KnowledgeTransferInputSchema>;

/** The stored states an iteration started from and E's changes to them this bar, all refs in the blob store. */
export const StoredStatesSchema = z.object({ populations: z.string(), learning: z.string(), changes: z.string() });
export type StoredStates = z.infer<typeof StoredStatesSchema>;
/** The session's populations and learning state into the shared blob store (`O-L.storeState`): their refs. */
export type StoreState = (state: {
  populations: z.infer<typeof PopulationsSchema>;
  learning: z.infer<typeof LearningStateSchema>;
}) => Promise<{ populations: string; learning: string }>;
/**
 * What the iteration hands the knowledge-transfer child: the populations and the learning state by
 * reference. The child reads them (the learning state as knowledgeTransferSliceOf) through the local
 * activity `O-L.knowledgeTransferInput`, and returns its changes to the stored populations.
 */
export const KnowledgeTransferRequestSchema = KnowledgeTransferInputSchema.omit({
  learning: true,
  populations: true,
}).extend({ stored: StoredStatesSchema });
export type KnowledgeTransferRequest = z.infer<typeof KnowledgeTransferRequestSchema>;
export const KnowledgeTransferResultSchema = z.object({
  /** The populations' changes against the input's (applyPatch); null = unchanged. */
  populations: JsonPatchSchema.nullable(),
  events: z.array(LearningEventSchema),
  usage: LlmUsageSchema,
});
export type KnowledgeTransferResult = z.infer<typeof KnowledgeTransferResultSchema>;

/**
 * What the iteration's own code reads of the learning state (learningViewOf, domain/orchestration/fund-view.ts),
 * computed by the session from the state it stored under `ref`. Steps that need more load the state by `ref`.
 */
export const LearningViewSchema = z.object({
  /** Key of the session's learning state in the shared blob store (content hash of its JSON text). */
  ref: z.string(),
  /** The newest pending trend call's regime (findCurrentRegime); null before any. */
  regime: z.string().nullable(),
  /** Each role's leader (leaderOf). */
  leaders: z.record(RoleSchema, z.string()),
  /** The vote weights of the roles a vote decides (voteWeights). */
  voteWeights: z.object({
    researcher: z.record(z.string(), z.number()),
    trader: z.record(z.string(), z.number()),
  }),
  /** Per trader: the skill T-B sizes by, with the leading researcher (summarizeSkill). */
  skill: z.record(z.string(), SkillSummarySchema),
});
export type LearningView = z.infer<typeof LearningViewSchema>;

/**
 * What the iteration's own code reads of the populations (populationsViewOf, domain/orchestration/fund-view.ts):
 * each role's agents as steps know them, and the method each agent's (M) steps run this round, chosen by
 * the session from the populations it stored under `ref` (E and knowledge transfer load them by `ref`).
 */
export const PopulationsViewSchema = z.object({
  ref: z.string(),
  agents: z.record(RoleSchema, z.array(StepAgentSchema)),
  methods: z.record(z.string(), z.partialRecord(MethodStepSchema, MethodChoiceSchema)),
});
export type PopulationsView = z.infer<typeof PopulationsViewSchema>;

/**
 * What an iteration reads of the fund: the accounts, the breakers' references, and views of the
 * populations and the learning state (both stay in the blob store). The session's own logs and
 * totals (recent trades, learning events, LLM usage, last decision) and the operator's pause stay in the session.
 */
export const IterationFundSchema = SessionStateSchema.pick({
  config: true,
  round: true,
  lastBarCloseMs: true,
  tradingState: true,
  tradingStateReason: true,
  account: true,
  shadow: true,
  peakEquity: true,
  dayStartEquity: true,
  dayStartMs: true,
  consecutiveLosses: true,
  cooldownUntilMs: true,
  failureStreak: true,
  llmAlert: true,
  halts: true,
}).extend({ populations: PopulationsViewSchema, learning: LearningViewSchema });
export type IterationFund = z.infer<typeof IterationFundSchema>;

export {
  ExecutionStyleSchema,
  ForecastSchema,
  UncertaintySchema,
  CalibrationSchema,
  ResearchReportSchema,
  RiskVerdictSchema,
  TradeProposalSchema,
  FeatureTableSchema,
  TrendCallSchema,
};
