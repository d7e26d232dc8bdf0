import { z } from 'zod';
import { EpochMsSchema } from './market';
import { HOUR_MS } from '../market/time-grid';

/** How a session trades: on paper, on the venue, or over history. */
export const ModeSchema = z.enum(['paper', 'live', 'backtest']);
export type Mode = z.infer<typeof ModeSchema>;

/** The desk's bar: 4 hours. A session's `barMs` defaults to it. */
export const BAR_MS = 4 * HOUR_MS;
/** Default funding settlement interval of the venue (Binance USDⓈ-M BTCUSDT: every 8h from 00:00 UTC). */
export const FUNDING_INTERVAL_MS = 8 * HOUR_MS;

/** Where bars come from. Paths are resolved by the worker; the workflow only carries them. */
export const FeedSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('synthetic'),
    seed: z.number().int(),
    startMs: EpochMsSchema,
    bars: z.number().int().positive(),
  }),
  z.object({
    kind: z.literal('csv'),
    candles: z.string(),
    funding: z.string().nullable(),
    openInterest: z.string().nullable(),
    news: z.array(z.string()),
    /** A row whose prices jump more than any BTC market has in one bar: refuse the file, or report and skip the row. @default 'reject' */
    absurdPrices: z.enum(['reject', 'skip']).optional(),
  }),
  z.object({ kind: z.literal('live'), exchangeId: z.string(), symbol: z.string() }),
]);
export type Feed = z.infer<typeof FeedSchema>;

/** Limits of the risk inventory (M-A). */
export const RiskLimitsSchema = z.object({
  /** Leverage above this is a soft fail (regenerate with less). @default 5 */
  maxLeverage: z.number().min(1).default(5),
  /** Leverage above this is a hard fail. @default 20 */
  hardMaxLeverage: z.number().min(1).default(20),
  /** Max position notional as a multiple of equity. @default 3 */
  maxNotionalToEquity: z.number().positive().default(3),
  /** Max fraction of equity at risk between entry and stop. @default 0.02 */
  maxRiskPerTrade: z.number().positive().default(0.02),
  /** Max fraction of equity posted as margin. @default 0.5 */
  maxMarginUsage: z.number().positive().max(1).default(0.5),
  /** One-bar historical CVaR95 of the position, as a fraction of equity. @default 0.03 */
  cvarBudget: z.number().positive().default(0.03),
  /** Liquidation must lie beyond the stop by this many ATRs. @default 1 */
  liquidationBufferAtr: z.number().nonnegative().default(1),
  /** Minimum calibrated confidence to trade. @default 0.53 */
  minConfidence: z.number().min(0).max(1).default(0.53),
  maxOpenPositions: z.number().int().min(1).default(1),
  /** Daily loss (fraction of day-start equity) that trips the daily-loss breaker (`breakers.dailyLoss`). @default 0.05 */
  dailyLossLimit: z.number().positive().default(0.05),
  /** Drawdown from peak equity that halts trading until resumed. @default 0.25 */
  maxDrawdown: z.number().positive().default(0.25),
  /** Consecutive losing trades that trigger a cool-down. @default 3 */
  cooldownAfterLosses: z.number().int().min(1).default(3),
  /** Cool-down length in bars. @default 6 */
  cooldownBars: z.number().int().nonnegative().default(6),
});
export type RiskLimits = z.infer<typeof RiskLimitsSchema>;

export const ExchangeCostsSchema = z.object({
  /** Binance USDⓈ-M VIP0 maker fee. @default 0.0002 */
  makerFee: z.number().nonnegative().default(0.0002),
  /** Binance USDⓈ-M VIP0 taker fee. @default 0.0005 */
  takerFee: z.number().nonnegative().default(0.0005),
  /** Market-order slippage in basis points. @default 2 */
  slippageBps: z.number().nonnegative().default(2),
  /**
   * The venue's funding settlement grid: a settlement every interval from 00:00 UTC (Binance
   * USDⓈ-M: 00:00/08:00/16:00). Absent = {@link FUNDING_INTERVAL_MS}; read it with fundingIntervalOf.
   */
  fundingIntervalMs: z.number().int().positive().optional(),
});
export type ExchangeCosts = z.infer<typeof ExchangeCostsSchema>;

/**
 * What each circuit breaker does when it trips (docs/halts.md). `cooldown`: no new entries until the
 * cool-down ends (daily loss: the next UTC day; loss streak: `risk.cooldownBars` bars), open positions
 * keep their stops, trading resumes by itself. `halt`: the book is flattened and entries are refused
 * until the operator's `resume`. A drawdown cool-down would trip again at once (the peak stays), so the
 * drawdown breaker, like the kill switch and the failure streak, always halts.
 */
export const BreakerPolicySchema = z.object({
  /** @default 'cooldown' */
  dailyLoss: z.enum(['cooldown', 'halt']).default('cooldown'),
  /** @default 'cooldown' */
  lossStreak: z.enum(['cooldown', 'halt']).default('cooldown'),
  /** @default 'halt' */
  drawdown: z.literal('halt').default('halt'),
});
export type BreakerPolicy = z.infer<typeof BreakerPolicySchema>;

export const PopulationSizesSchema = z.object({
  analyst: z.number().int().min(1).default(3),
  researcher: z.number().int().min(1).default(3),
  trader: z.number().int().min(1).default(2),
  risk_manager: z.number().int().min(1).default(1),
});

/**
 * What the learning loop may do. Each switch exists so an experiment can turn one part off and
 * measure what it buys (`npm run experiment` arms: no-teaching, no-pruning, no-calibration).
 */
export const LearningSwitchesSchema = z.object({
  /** The proven leader of each role teaches the others at each knowledge transfer. @default true */
  teaching: z.boolean().default(true),
  /** Rarely used, under-performing methods are pruned at each knowledge transfer. @default true */
  pruning: z.boolean().default(true),
  /** R-C calibrates the forecast on the agent's matured forecasts (off: the raw probability passes through). @default true */
  calibration: z.boolean().default(true),
});
export type LearningSwitches = z.infer<typeof LearningSwitchesSchema>;

/** How position size follows the evidence (docs/sizing.md; arm no-skill-gate switches the skill gate off). */
export const SizingSchema = z.object({
  /** Size scales with the deciding agents' demonstrated skill; no demonstrated skill → minimal size or stand aside. @default true */
  skillGate: z.boolean().default(true),
  /** T-B proposes an entry only when the research's net edge (after round-trip costs and funding) exceeds this fraction of price (chosen on 2020–2022, docs/sizing.md). @default 0.005 */
  edgeMargin: z.number().nonnegative().default(0.005),
  /** Fraction of the Kelly notional (net edge / horizon variance × equity) a position may take; the risk budget still caps it. @default 0.25 */
  kellyFraction: z.number().positive().max(1).default(0.25),
  /** Size multiplier with no demonstrated skill (skill gate on); 0 = stand aside until skill is shown (chosen on 2020–2022). @default 0.25 */
  minSkillSize: z.number().min(0).max(1).default(0.25),
});
export type Sizing = z.infer<typeof SizingSchema>;

/** Longest an order may wait for the operator: the next 4h bar must not queue behind it. */
export const MAX_APPROVAL_TIMEOUT_MS = 3 * HOUR_MS;

/**
 * Human approval of large orders (docs/approval.md): an order whose notional exceeds `aboveNotional`
 * waits in its iteration for the operator's `approveOrder`/`rejectOrder` Update; after `timeoutMs`
 * it is not traded (logged, decision `approval_timed_out`). The fast runner has no operator: there such
 * an order is refused (decision `rejected_by_operator`, by `fast-runner`).
 */
export const ApprovalSchema = z.object({
  /** Notional (size × price, quote currency) above which an order needs approval; null = no approval asked. @default null */
  aboveNotional: z.number().positive().nullable().default(null),
  /** How long an order waits for a decision, then no trade. @default 900000 (15 minutes) */
  timeoutMs: z
    .number()
    .int()
    .positive()
    .max(MAX_APPROVAL_TIMEOUT_MS)
    .default(15 * 60_000),
});
export type ApprovalSettings = z.infer<typeof ApprovalSchema>;

/** The reasoners a session may ask for (adapters/llm supports each; `local` runs a GGUF model in the LLM worker). */
export const LLM_PROVIDERS = ['heuristic', 'openai', 'anthropic', 'local'] as const;

/**
 * The session's choice of LLM (a live change, docs/live-changes.md): provider and model only, never a
 * key (keys live in the LLM worker's environment). `model` null = that provider's default on the worker.
 */
export const LlmChoiceSchema = z.strictObject({
  provider: z.enum(LLM_PROVIDERS),
  model: z.string().trim().min(1).max(200).nullable().default(null),
});
export type LlmChoice = z.infer<typeof LlmChoiceSchema>;

/** The desk's market unless a setting says otherwise (workers/market-settings.ts): Binance USDⓈ-M, BTC/USDT perpetual. */
export const DEFAULT_VENUE = 'binanceusdm';
/** ccxt's unified symbol of the BTC/USDT perpetual. */
export const DEFAULT_SYMBOL = 'BTC/USDT:USDT';

export const SessionConfigSchema = z.object({
  sessionId: z.string(),
  venue: z.string().default(DEFAULT_VENUE),
  symbol: z.string().default(DEFAULT_SYMBOL),
  /** paper = simulated fills; live = ccxt orders (explicit flag); backtest = historical bars, no waiting. */
  mode: ModeSchema.default('paper'),
  feed: FeedSchema,
  initialEquity: z.number().positive().default(10_000),
  barMs: z.number().int().positive().default(BAR_MS),
  /** First bar close to trade (replay/backtest); null = the feed's first bar with enough history. */
  fromMs: EpochMsSchema.nullable().default(null),
  /** Last bar close to trade (backtest); null = the feed's end. */
  toMs: EpochMsSchema.nullable().default(null),
  populations: PopulationSizesSchema.prefault({}),
  /** Knowledge transfer every K rounds. @default 6 */
  knowledgeTransferEvery: z.number().int().min(1).default(6),
  /** Soft fails allowed before the order is hard-failed. @default 2 */
  maxSoftFails: z.number().int().min(0).default(2),
  /**
   * Which research and which trader's order decide: the role leader's, or a track-record- and
   * confidence-weighted vote of all of them (forecast combination; chosen on 2020–2022, docs/sizing.md). @default 'vote'
   */
  decisionRule: z.enum(['leader', 'vote']).default('vote'),
  seed: z.number().int().default(7),
  risk: RiskLimitsSchema.prefault({}),
  learning: LearningSwitchesSchema.prefault({}),
  sizing: SizingSchema.prefault({}),
  /** Cool down or halt, per circuit breaker. @default { dailyLoss: 'cooldown', lossStreak: 'cooldown', drawdown: 'halt' } */
  breakers: BreakerPolicySchema.prefault({}),
  costs: ExchangeCostsSchema.prefault({}),
  /** Human approval of orders above a notional (docs/approval.md). @default { aboveNotional: null, timeoutMs: 900000 } */
  approval: ApprovalSchema.prefault({}),
  /**
   * The session asks for the runner's fast path (the Temporal backtest's speed-up). Which steps that
   * makes local activities is the workflows' activity table's call, not the domain's; the flag rides in
   * the config because recorded sessions carry it here. @default false
   */
  localPureSteps: z.boolean().default(false),
  /** Stop after this many iterations (null = run until stopped or the feed ends). */
  maxIterations: z.number().int().positive().nullable().default(null),
  /** The LLM the reasoning steps ask (`setLlm`); null = the LLM worker's env default (LLM_PROVIDER, LLM_MODEL). @default null */
  llm: LlmChoiceSchema.nullable().default(null),
});
export type SessionConfig = z.infer<typeof SessionConfigSchema>;
export type SessionConfigInput = z.input<typeof SessionConfigSchema>;
