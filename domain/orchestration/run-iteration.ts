import type { Account, ClosedTrade } from '../schemas/account';
import type { LearningEvent, MethodStep } from '../schemas/agents';
import type { FeatureTable, TrendCall } from '../schemas/analysis';
import { addUsage, type LlmUsage, ZERO_USAGE } from '../schemas/llm';
import type { JsonPatch } from '../schemas/json-patch';
import type { SnapshotSummary } from '../schemas/market';
import type { ResearchReport } from '../schemas/research';
import type { RiskReviewResult } from '../schemas/risk';
import type { FundState, IterationDelta, IterationReport } from '../schemas/session';
import type {
  Analysis,
  ExecuteOrdersResult,
  IterationFund,
  LearningView,
  MethodChoice,
  MethodUse,
  StepAgent,
  StepContext,
  SyncAccountsResult,
} from '../schemas/steps';
import type { ExecutionStyle, Order, TradeProposal } from '../schemas/trade';
import { llmAlertOf } from '../llm/llm-alert';
import { formatIsoUtc } from '../metrics/civil-time';
import { combineResearch } from '../research/package-research';
import { withLlmFallback } from './llm-fallback';
import {
  type ApprovalDecision,
  type ApprovalRequest,
  approvalRequestOf,
  approvalSettingsOf,
  needsApproval,
  noTradeDecisionOf,
  noTradeReasonOf,
} from './approval';
import { closedTradesOf } from '../exchange/closed-trades';
import { applyExecution, applyFlatten, applySync, equityNow, riskContextOf } from './session-state';
import { isHalted, MAX_HALT_EVENTS, newHaltsOf, openPnlOf } from './halt-events';
import { deltaOf, hasExposure, workingStateOf } from './session-loop';
import type { IsCancellation, Steps } from './steps';

/** Iteration workflow id: `iter-<session>-<bar close ISO>` (docs/architecture.md); client order ids derive from it. */
export function iterationIdFor(sessionId: string, barCloseMs: number): string {
  return `iter-${sessionId}-${formatIsoUtc(barCloseMs)}`;
}

export interface BarToTrade {
  iterationId: string;
  barCloseMs: number;
}

/** What one bar did: its report, and what it changed in the fund (applied by `applyIteration`). */
export interface IterationOutcome {
  report: IterationReport;
  delta: IterationDelta;
}

/**
 * One closed bar through the whole desk, as in docs/architecture.md:
 * A-A → X-S → analysts (A-B → A-C) → researchers (R-A ∥ R-B → R-C → R-D) → traders (T-A → T-B)
 * → risk review (M-A/M-B soft-fail loop) → X-E → E → every K rounds knowledge transfer.
 * Agents of a role run in parallel. Pure orchestration over `steps`: no I/O of its own. It reads only
 * the fund (`IterationFund`) and returns its report and the fund's changes (`IterationDelta`); each
 * step gets what it reads: an agent's id, model and notes. The learning state stays in the blob store:
 * the iteration reads its view (leaders, vote weights, regime, skill) and the steps that need the state
 * itself (R-A, R-C, E, knowledge transfer) load it by `learning.ref`.
 */
export async function runIteration(
  steps: Steps,
  fund: IterationFund,
  bar: BarToTrade,
  isCancellation: IsCancellation,
): Promise<IterationOutcome> {
  // The working copy: the session appends this bar's trades, learning events and usage from the report.
  const state = workingStateOf(fund);
  const view = fund.learning;
  const agents = fund.populations.agents;
  const cfg = state.config;
  const ctx: StepContext = {
    sessionId: cfg.sessionId,
    iterationId: bar.iterationId,
    barCloseMs: bar.barCloseMs,
    round: state.round + 1,
    symbol: cfg.symbol,
    // Only when the session chose one: the steps of a session on the worker's default carry nothing new.
    ...(cfg.llm ? { llm: cfg.llm } : {}),
  };
  const usage: LlmUsage[] = [];

  const snapshot = await steps.alignData({ ctx, feed: cfg.feed });
  const synced = await steps.syncAccounts({
    ctx,
    snapshotRef: snapshot.ref,
    mode: cfg.mode,
    costs: cfg.costs,
    account: state.account,
    shadow: state.shadow,
  });
  let s = applySync(state, synced, ctx);

  if (isHalted(s)) {
    const flat = await flattenIfHalted(steps, s, ctx, isCancellation);
    return finish(state, flat.state, ctx, snapshot, {
      decision: 'halted',
      reason: s.tradingStateReason ?? 'halted',
      order: null,
      review: null,
      closed: [...closedTradesOf(synced.events), ...flat.closed],
      usage,
      kt: false,
      learningEvents: [],
      changes: null,
    });
  }

  // The session chose each agent's methods for this round (populationsViewOf); E records the uses.
  const uses: MethodUse[] = [];
  const choose = (agent: StepAgent, step: MethodStep): MethodChoice => {
    const choice = fund.populations.methods[agent.id]?.[step];
    if (!choice) throw new Error(`no ${step} method chosen for ${agent.id} in round ${ctx.round}`);
    uses.push({ agentId: agent.id, step, methodId: choice.id });
    return choice;
  };

  // Analysts: A-B then A-C, each analyst in parallel.
  const analysts = agents.analyst;
  const analystMethods = analysts.map((a) => ({ ab: choose(a, 'A-B'), ac: choose(a, 'A-C') }));
  const analyses = await Promise.all(
    analysts.map(async (agent, i) => {
      const m = analystMethods[i]!;
      const features = await steps.buildFeatures({
        ctx,
        agent,
        method: m.ab,
        snapshotRef: snapshot.ref,
      });
      const trend = await steps.detectTrend({
        ctx,
        agent,
        method: m.ac,
        snapshotRef: snapshot.ref,
        features,
      });
      return { agent, features, trend };
    }),
  );
  const analysis = combineAnalyses(snapshot, analyses, view.leaders.analyst);

  // Researchers: R-A ∥ R-B, then R-C, then R-D.
  const researchers = agents.researcher;
  const researchMethods = researchers.map((a) => ({
    ra: choose(a, 'R-A'),
    rb: choose(a, 'R-B'),
    rc: choose(a, 'R-C'),
  }));
  const research = await Promise.all(
    researchers.map(async (agent, i) => {
      const m = researchMethods[i]!;
      const who = agent;
      const learningRef = view.ref;
      const [forecast, uncertainty] = await Promise.all([
        withLlmFallback((x) => steps.forecast(x), { ctx, agent: who, method: m.ra, analysis, learningRef }),
        steps.quantifyUncertainty({ ctx, agent: who, method: m.rb, snapshotRef: snapshot.ref, analysis }),
      ]);
      usage.push(forecast.provenance.usage);
      const calibration = await steps.calibrate({
        ctx,
        agent: who,
        method: m.rc,
        forecast,
        learningRef,
        enabled: cfg.learning.calibration,
      });
      const report = await steps.packageResearch({
        ctx,
        agent: who,
        analysis,
        forecast,
        uncertainty,
        calibration,
        limits: cfg.risk,
        costs: cfg.costs,
      });
      return { agent, forecast, uncertainty, calibration, report };
    }),
  );
  const consensus = decideResearch(
    cfg.decisionRule,
    research.map((r) => ({ id: r.agent.id, report: r.report })),
    view,
  );

  // Traders: T-A then T-B (attempt 0), each trader in parallel; shadows keep their own accounts.
  const traders = agents.trader;
  const styleMethods = traders.map((a) => choose(a, 'T-A'));
  const risk = riskContextOf(s, synced.equity);
  // Size by evidence: the deciding researcher's and each trader's demonstrated skill (confidence bounds).
  const skillOf = (traderId: string) => view.skill[traderId];
  const proposals = await Promise.all(
    traders.map(async (agent, i) => {
      const account = accountFor(s, view, agent.id);
      const who = agent;
      const style = await withLlmFallback((x) => steps.chooseStyle(x), {
        ctx,
        agent: who,
        method: styleMethods[i]!,
        research: consensus,
        snapshot,
        feedback: [],
      });
      usage.push(style.provenance.usage);
      const proposal = await steps.buildOrder({
        ctx,
        agent: who,
        attempt: 0,
        research: consensus,
        style,
        account,
        limits: cfg.risk,
        costs: cfg.costs,
        feedback: [],
        sizing: cfg.sizing,
        skill: skillOf(agent.id),
      });
      return { agent, style, proposal, methodIndex: i };
    }),
  );
  const deciderId = decideTrader(cfg.decisionRule, proposals, view);
  const decider = proposals.find((p) => p.agent.id === deciderId) ?? proposals[0]!;

  // Risk manager: the soft-fail loop on the deciding trader's order.
  const riskManager = agents.risk_manager.find((a) => a.id === view.leaders.risk_manager) ?? agents.risk_manager[0]!;
  const review: RiskReviewResult = await noTradeOnFailure(
    isCancellation,
    steps.reviewRisk({
      ctx,
      trader: decider.agent,
      riskManager,
      riskMethod: choose(riskManager, 'M-A'),
      styleMethod: styleMethods[decider.methodIndex]!,
      research: consensus,
      style: decider.style,
      snapshot,
      firstProposal: decider.proposal,
      account: s.account,
      risk,
      limits: cfg.risk,
      costs: cfg.costs,
      maxSoftFails: cfg.maxSoftFails,
      sizing: cfg.sizing,
      skill: skillOf(decider.agent.id),
    }),
  );
  usage.push(review.usage ?? ZERO_USAGE);

  // Operator: an approved order above the approval threshold waits for a human decision (docs/approval.md).
  const approval = await awaitApprovalIfNeeded(steps, review, snapshot.bar.close, cfg, ctx);
  const notApproved = approval ? noTradeDecisionOf(approval.decision) : null;

  // Execution: the approved order on the fund's account; every other trader's order on its shadow account.
  const shadowOrders = Object.fromEntries(
    proposals.flatMap((p) => {
      const account = s.shadow[p.agent.id];
      return account ? [[p.agent.id, { account, order: orderOf(p.proposal) }] as const] : [];
    }),
  );
  const executed = await steps.executeOrders({
    ctx,
    snapshotRef: snapshot.ref,
    mode: cfg.mode,
    costs: cfg.costs,
    account: s.account,
    order: notApproved === null ? review.order : null,
    shadow: shadowOrders,
  });
  s = applyExecution(s, executed, ctx);

  // Evaluator.
  const firstOrder = orderOf(decider.proposal);
  const evaluated = await steps.evaluate({
    ctx,
    close: snapshot.bar.close,
    learningRef: view.ref,
    populationsRef: fund.populations.ref,
    uses,
    forecasts: research.map((r) => ({ forecast: r.forecast, calibration: r.calibration })),
    trends: analyses.map((a) => a.trend),
    closedTrades: closedForEvaluator(synced, executed),
    riskDecision: firstOrder
      ? { riskManagerId: riskManager.id, vetoed: review.outcome === 'rejected', order: firstOrder }
      : null,
    regime: analysis.consensus.regime,
    horizonBars: consensus.Forecast.horizonBars,
    barMs: cfg.barMs,
  });
  // E's changes to both stored states stay in the blob store: the session reads them once, after the bar.
  const stored = { populations: fund.populations.ref, learning: view.ref, changes: evaluated.changes };
  let populations: JsonPatch | null | undefined;

  // Every K rounds: knowledge transfer (teaching and pruning).
  const kt = ctx.round % cfg.knowledgeTransferEvery === 0;
  const learningEvents: LearningEvent[] = [];
  if (kt) {
    try {
      const transfer = await steps.transferKnowledge({
        ctx,
        stored,
        every: cfg.knowledgeTransferEvery,
        traderEvery: cfg.knowledgeTransferEvery * 2,
        switches: { teaching: cfg.learning.teaching, pruning: cfg.learning.pruning },
      });
      usage.push(transfer.usage);
      learningEvents.push(...transfer.events);
      // Its changes are against the stored populations, so they include E's (and replace them).
      populations = transfer.populations;
    } catch (err) {
      // Teaching is an improvement, never a reason to lose the bar: keep the populations as they are.
      if (isCancellation(err)) throw err;
    }
  }

  const decision =
    notApproved !== null
      ? notApproved
      : review.outcome === 'approved' && review.order
        ? review.order.direction
        : review.outcome === 'rejected'
          ? 'rejected'
          : s.account.position
            ? 'hold'
            : 'flat';
  // A breaker that tripped on this bar's booking flattens the book now: one flatten, in this bar's report.
  const flat = await flattenIfHalted(steps, s, ctx, isCancellation);
  return finish(state, flat.state, ctx, snapshot, {
    decision,
    reason: approval && notApproved !== null ? noTradeReasonOf(approval.request, approval.decision) : review.reason,
    order: executed.order,
    review,
    closed: [...closedTradesOf(synced.events), ...closedTradesOf(executed.events), ...flat.closed],
    usage,
    kt,
    learningEvents,
    changes: evaluated.changes,
    populations,
    ...(approval ? { approval: approval.decision } : {}),
  });
}

interface Outcome {
  decision: IterationReport['decision'];
  reason: string;
  order: Order | null;
  review: RiskReviewResult | null;
  closed: ClosedTrade[];
  usage: LlmUsage[];
  kt: boolean;
  learningEvents: LearningEvent[];
  /** The ref of E's changes to the stored states (null = no E this bar). */
  changes: string | null;
  /** Knowledge transfer's changes to the stored populations, E's included (undefined = it did not run). */
  populations?: JsonPatch | null | undefined;
  /** The operator's decision, when the order needed approval. */
  approval?: ApprovalDecision;
}

function finish(
  input: FundState,
  state: FundState,
  ctx: StepContext,
  snapshot: SnapshotSummary,
  o: Outcome,
): IterationOutcome {
  const iterationUsage = o.usage.reduce(addUsage, ZERO_USAGE);
  const halts = newHaltsOf(input, state);
  const next: FundState = {
    ...state,
    halts: state.halts.slice(-MAX_HALT_EVENTS),
    llmAlert: state.llmAlert ?? llmAlertOf(iterationUsage, ctx.barCloseMs),
  };
  const report: IterationReport = {
    iterationId: ctx.iterationId,
    barCloseMs: ctx.barCloseMs,
    round: ctx.round,
    decision: o.decision,
    reason: o.reason,
    order: o.order,
    riskOutcome: o.review ? o.review.outcome : 'skipped',
    riskAttempts: o.review?.attempts ?? 0,
    equity: equityNow(next.account),
    close: snapshot.bar.close,
    closedTrades: o.closed,
    usage: iterationUsage,
    knowledgeTransfer: o.kt,
    learningEvents: o.learningEvents,
    halts,
    open: openPnlOf(next.account),
    ...(o.approval ? { approval: o.approval } : {}),
  };
  // Report first: the UI's result panel opens on the decision, not on the fund's changes.
  return {
    report,
    delta: deltaOf(input, next, {
      changes: o.changes,
      ...(o.populations !== undefined ? { populations: o.populations } : {}),
    }),
  };
}

/**
 * A halted fund with exposure: cancel its orders and close its position reduce-only at market. A
 * flatten that fails for good leaves the exposure to the session, whose kill-switch path retries it.
 */
async function flattenIfHalted(
  steps: Steps,
  s: FundState,
  ctx: StepContext,
  isCancellation: IsCancellation,
): Promise<{ state: FundState; closed: ClosedTrade[] }> {
  if (!isHalted(s) || !hasExposure(s.account)) return { state: s, closed: [] };
  try {
    const flat = await steps.flattenAccount({
      ctx,
      mode: s.config.mode,
      account: s.account,
      costs: s.config.costs,
      reason: s.tradingStateReason ?? 'halted',
      atMs: ctx.barCloseMs,
    });
    return applyFlatten(s, flat);
  } catch (err) {
    if (isCancellation(err)) throw err;
    return { state: s, closed: [] };
  }
}

/** The risk-approved order waits for the operator when its notional exceeds the session's threshold; null = it needs no approval. */
async function awaitApprovalIfNeeded(
  steps: Steps,
  review: RiskReviewResult,
  close: number,
  cfg: FundState['config'],
  ctx: StepContext,
): Promise<{ request: ApprovalRequest; decision: ApprovalDecision } | null> {
  const settings = approvalSettingsOf(cfg);
  if (review.outcome !== 'approved' || !needsApproval(review.order, close, settings.aboveNotional)) return null;
  const request = approvalRequestOf(review.order, close, settings, ctx);
  return { request, decision: await steps.awaitApproval(request) };
}

/** A failed risk review never leaves the fund without a decision: no trade, with the reason. Cancellation still propagates. */
async function noTradeOnFailure(
  isCancellation: IsCancellation,
  review: Promise<RiskReviewResult>,
): Promise<RiskReviewResult> {
  try {
    return await review;
  } catch (err) {
    if (isCancellation(err)) throw err;
    return {
      outcome: 'no_trade',
      order: null,
      attempts: 0,
      verdicts: [],
      reason: `risk review failed, no trade: ${String(err)}`,
    };
  }
}

/** Every trade closed this bar that the Evaluator scores: the fund's and the shadows', at X-S then at X-E. */
export function closedForEvaluator(synced: SyncAccountsResult, executed: ExecuteOrdersResult): ClosedTrade[] {
  // `?? []`: X-E results recorded before shadowClosed existed (replayed histories) lack it.
  return [
    ...closedTradesOf(synced.events),
    ...synced.shadowClosed,
    ...closedTradesOf(executed.events),
    ...(executed.shadowClosed ?? []),
  ];
}

function orderOf(p: TradeProposal): Order | null {
  return p.kind === 'order' ? p.order : null;
}

/** The role leader sizes against the fund's account; every other trader against its own shadow account. */
function accountFor(s: FundState, view: LearningView, traderId: string): Account {
  const shadow = s.shadow[traderId];
  return shadow && view.leaders.trader !== traderId ? shadow : s.account;
}

function combineAnalyses(
  snapshot: SnapshotSummary,
  analyses: { agent: StepAgent; features: FeatureTable; trend: TrendCall }[],
  leaderId: string,
): Analysis {
  const leader = analyses.find((a) => a.agent.id === leaderId) ?? analyses[0]!;
  return { snapshot, features: leader.features, trends: analyses.map((a) => a.trend), consensus: leader.trend };
}

function decideResearch(
  rule: 'leader' | 'vote',
  reports: { id: string; report: ResearchReport }[],
  view: LearningView,
): ResearchReport {
  if (rule === 'vote') {
    const w = view.voteWeights.researcher;
    return combineResearch(
      reports.map((r) => r.report),
      reports.map((r) => w[r.id] ?? 1),
    );
  }
  const leaderId = view.leaders.researcher;
  return (reports.find((r) => r.id === leaderId) ?? reports[0]!).report;
}

function decideTrader(
  rule: 'leader' | 'vote',
  proposals: { agent: StepAgent; proposal: TradeProposal; style: ExecutionStyle }[],
  view: LearningView,
): string {
  const leaderId = view.leaders.trader;
  if (rule === 'leader') return leaderId;
  // Vote: the side with the larger track-record × confidence weight wins; its best-weighted trader decides.
  const w = view.voteWeights.trader;
  const score = (p: (typeof proposals)[number]) =>
    p.proposal.kind === 'order' ? (w[p.agent.id] ?? 1) * p.proposal.order.confidence : 0;
  const best = [...proposals].sort((a, b) => score(b) - score(a) || a.agent.id.localeCompare(b.agent.id))[0];
  return best && score(best) > 0 ? best.agent.id : leaderId;
}
