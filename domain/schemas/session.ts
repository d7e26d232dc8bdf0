import { z } from 'zod';
import { AccountSchema, ClosedTradeSchema } from './account';
import { LearningEventSchema, PopulationsSchema } from './agents';
import { ApprovalDecisionSchema } from './approval';
import { SessionConfigSchema } from './config';
import { LearningStateSchema } from './learning';
import { LlmUsageSchema } from './llm';
import { EpochMsSchema } from './market';
import { JsonPatchSchema } from './json-patch';
import { OrderSchema } from './trade';

/**
 * Trading states (nautilus_trader): ACTIVE trades, REDUCING only closes (a breaker's cool-down runs until
 * `cooldownUntilMs`), HALTED refuses every entry and flattens the book until the operator resumes.
 * docs/halts.md maps the breakers onto them.
 */
export const TradingStateSchema = z.enum(['active', 'reducing', 'halted']);
export type TradingState = z.infer<typeof TradingStateSchema>;

/**
 * A circuit breaker, the kill switch or the operator changed whether the desk may trade: `halt` (until
 * resume), `cooldown` (until `untilMs`), `resume` (a halt lifted or a cool-down over).
 */
export const HaltEventSchema = z.object({
  atMs: EpochMsSchema,
  kind: z.enum(['halt', 'cooldown', 'resume']),
  source: z.enum(['daily_loss', 'loss_streak', 'drawdown', 'failures', 'kill_switch', 'operator']),
  reason: z.string(),
  /** Equity when it happened. */
  equity: z.number(),
  /** End of a cool-down; null for halts and resumes. */
  untilMs: EpochMsSchema.nullable(),
});
export type HaltEvent = z.infer<typeof HaltEventSchema>;

/** What the open position adds to equity beyond the closed trades: the bar's invariant needs it. */
export const OpenPositionPnlSchema = z.object({
  /** Mark-to-market PnL at the bar close. */
  unrealizedPnl: z.number(),
  /** Entry fees paid so far (positive = paid). */
  fees: z.number(),
  /** Funding so far (positive = received). */
  funding: z.number(),
});
export type OpenPositionPnl = z.infer<typeof OpenPositionPnlSchema>;

/** The fund's durable state, held by tradingSessionWorkflow. Plain JSON. */
export const SessionStateSchema = z.object({
  config: SessionConfigSchema,
  round: z.number().int().nonnegative(),
  lastBarCloseMs: EpochMsSchema.nullable(),
  /** Whether the desk may open positions; set at each booking of a bar, by the kill switch and by resume. */
  tradingState: TradingStateSchema,
  /** Why the desk is not active (the halt's or the cool-down's reason); null when active. */
  tradingStateReason: z.string().nullable(),
  /** The operator paused the schedule (the `pause` signal): no bar runs until resume. A schedule concept, not a trading state. */
  paused: z.boolean(),
  account: AccountSchema,
  /** Per non-deciding trader, its shadow paper account: every trader gets a track record. */
  shadow: z.record(z.string(), AccountSchema),
  populations: PopulationsSchema,
  learning: LearningStateSchema,
  /** Recent teach/prune events (bounded; the full log goes to the report). */
  events: z.array(LearningEventSchema),
  /** Recent closed trades of the live/paper account (bounded). */
  recentTrades: z.array(ClosedTradeSchema),
  usage: LlmUsageSchema,
  peakEquity: z.number(),
  dayStartEquity: z.number(),
  dayStartMs: EpochMsSchema,
  consecutiveLosses: z.number().int().nonnegative(),
  cooldownUntilMs: EpochMsSchema,
  /** Consecutive iterations that ended in an LLM or exchange failure (circuit breaker). */
  failureStreak: z.number().int().nonnegative(),
  lastDecision: z.string().nullable(),
  /** Set when the LLM provider refused the credentials: LLM use is halted until an operator resumes. */
  llmAlert: z.string().nullable().optional(),
  /** Recent halts, cool-downs and resumes (bounded; every one is also in its iteration's report). */
  halts: z.array(HaltEventSchema).default([]),
});
export type SessionState = z.infer<typeof SessionStateSchema>;

/**
 * The fund as an iteration works on it: the session state without the populations and the learning
 * state, which stay in the blob store (the iteration reads views of them, IterationFundSchema in steps.ts).
 */
export type FundState = Omit<SessionState, 'learning' | 'populations'>;

/**
 * What an iteration changes in the fund; its report carries the rest (round, decision, closed trades,
 * learning events, usage). The populations and the learning state come as changes to the iteration's
 * input (JsonPatch, null = unchanged). Applied by `applyIteration` (domain/orchestration/session-loop.ts).
 */
export const IterationDeltaSchema = SessionStateSchema.pick({
  account: true,
  shadow: true,
  tradingState: true,
  tradingStateReason: true,
  peakEquity: true,
  dayStartEquity: true,
  dayStartMs: true,
  consecutiveLosses: true,
  cooldownUntilMs: true,
  llmAlert: true,
  halts: true,
}).extend({
  /** The changes to the stored states; absent = E's, read from `changes` (knowledge transfer's populations patch wins). */
  populations: JsonPatchSchema.nullable().optional(),
  learning: JsonPatchSchema.nullable().optional(),
  /** The ref of E's changes (EvaluateChanges) in the blob store; null = no E this bar. Absent in results recorded before it. */
  changes: z.string().nullable().optional(),
});
export type IterationDelta = z.infer<typeof IterationDeltaSchema>;

/** What one iteration decided, for the session, the UI and the reports. */
export const IterationReportSchema = z.object({
  iterationId: z.string(),
  barCloseMs: EpochMsSchema,
  round: z.number().int(),
  /** `rejected_by_operator` / `approval_timed_out`: the risk manager approved an order the operator did not (docs/approval.md). */
  decision: z.enum([
    'long',
    'short',
    'flat',
    'hold',
    'halted',
    'rejected',
    'rejected_by_operator',
    'approval_timed_out',
  ]),
  reason: z.string(),
  order: OrderSchema.nullable(),
  riskOutcome: z.enum(['approved', 'rejected', 'no_trade', 'skipped']),
  riskAttempts: z.number().int().nonnegative(),
  equity: z.number(),
  close: z.number(),
  closedTrades: z.array(ClosedTradeSchema),
  usage: LlmUsageSchema,
  knowledgeTransfer: z.boolean(),
  /** Teach/prune/restore events of this round (the session keeps only the recent ones). */
  learningEvents: z.array(LearningEventSchema),
  /** Halts, cool-downs and resumes of this bar. */
  halts: z.array(HaltEventSchema).default([]),
  /** The open position at the bar close after everything this bar did; null when flat. */
  open: OpenPositionPnlSchema.nullable().default(null),
  /** The operator's decision on an order that needed approval; absent when none did. */
  approval: ApprovalDecisionSchema.optional(),
});
export type IterationReport = z.infer<typeof IterationReportSchema>;
