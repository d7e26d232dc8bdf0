import type { Account } from '../schemas/account';
import { applyPatch, diffJson, type JsonPatch } from '../schemas/json-patch';
import { addUsage, ZERO_USAGE } from '../schemas/llm';
import type { FundState, HaltEvent, IterationDelta, IterationReport, SessionState } from '../schemas/session';
import type { EvaluateChanges, IterationFund, LearningView, PopulationsView, StoreState } from '../schemas/steps';
import { findCurrentRegime } from '../population/current-regime';
import { learningViewOf, populationsViewOf } from './fund-view';
import { isHalted, mergeHalts, settleTradingState, upgradeState, withTradingState } from './halt-events';
import { RECENT_LEARNING_EVENTS, RECENT_TRADES } from './session-state';
import { gridAtOrBefore } from '../market/time-grid';

/** Anything the kill switch must undo: an open position or a resting order. */
export function hasExposure(account: Account): boolean {
  return account.position !== null || account.openOrders.length > 0;
}

/**
 * The bar a schedule tick stands for. Live: the last 4h close at or before the fire time. Replay:
 * the next bar after the last one traded or queued. Null when there is nothing new (a late or
 * duplicate fire, or the end of the replay).
 */
export function nextBarFor(state: SessionState, pending: readonly number[], firedAtMs: number): number | null {
  const { barMs, feed, fromMs, toMs } = state.config;
  const last = pending.at(-1) ?? state.lastBarCloseMs;
  const next =
    feed.kind === 'live'
      ? gridAtOrBefore(firedAtMs, barMs)
      : last === null
        ? (fromMs ?? gridAtOrBefore(firedAtMs, barMs))
        : last + barMs;
  if (last !== null && next <= last) return null;
  if (feed.kind !== 'live' && toMs !== null && next > toMs) return null;
  return next;
}

/**
 * What an iteration changed in the fund (IterationDeltaSchema): from its working state before and
 * after, and the learning state's changes (E's patch: the iteration never holds the state itself).
 */
export function deltaOf(
  before: FundState,
  after: FundState,
  stored: { changes?: string | null; populations?: JsonPatch | null; learning?: JsonPatch | null },
): IterationDelta {
  return {
    account: after.account,
    shadow: after.shadow,
    tradingState: after.tradingState,
    tradingStateReason: after.tradingStateReason,
    peakEquity: after.peakEquity,
    dayStartEquity: after.dayStartEquity,
    dayStartMs: after.dayStartMs,
    consecutiveLosses: after.consecutiveLosses,
    cooldownUntilMs: after.cooldownUntilMs,
    llmAlert: after.llmAlert ?? null,
    halts: after.halts,
    ...stored,
  };
}

/**
 * The delta with E's changes read in (`load`: `O-L.loadChanges`, after the bar): a patch the delta
 * gives itself wins (knowledge transfer's populations, results recorded before the changes were stored).
 * If the changes cannot be read, the bar's accounts still count and its learning is lost; `onLost` says so.
 */
export async function withStoredChanges<O extends { delta: IterationDelta }>(
  outcome: O,
  load: (ref: string) => Promise<EvaluateChanges>,
  onLost: (err: unknown) => void,
): Promise<O> {
  const { changes: ref, ...delta } = outcome.delta;
  let changes: EvaluateChanges | null = null;
  if (ref)
    try {
      changes = await load(ref);
    } catch (err) {
      onLost(err);
    }
  return {
    ...outcome,
    delta: {
      ...delta,
      populations: delta.populations !== undefined ? delta.populations : (changes?.populations ?? null),
      learning: delta.learning !== undefined ? delta.learning : (changes?.learning ?? null),
    },
  };
}

/** An iteration result recorded before iterations returned a delta (replayed or continued histories). */
interface LegacyIterationOutcome {
  report: IterationReport;
  state: SessionState;
}

/**
 * The one place an iteration's result enters the fund. The iteration's changes win, and the report
 * adds the bar's round, decision, closed trades, learning events and usage to the session's logs,
 * except for operator decisions taken while it ran: a stop or pause stands; so does a resume, unless
 * the iteration tripped a new halt of its own. The iteration started from the state before the
 * resume, so without this its inherited halt would undo the operator.
 */
export function applyIteration(
  current: SessionState,
  outcome: { report: IterationReport; delta: IterationDelta } | LegacyIterationOutcome,
): SessionState {
  if ('delta' in outcome && outcome.delta.changes)
    throw new Error("applyIteration: read the Evaluator's changes first (withStoredChanges)");
  const now = upgradeState(current);
  const { report } = outcome;
  // A delta an older iteration returned carries `halted`/`haltReason`: read as the trading state.
  const delta =
    'delta' in outcome
      ? withTradingState(outcome.delta, { cooldownUntilMs: outcome.delta.cooldownUntilMs, atMs: report.barCloseMs })
      : deltaOf(now, upgradeState(outcome.state), {
          populations: diffJson(now.populations, outcome.state.populations),
          learning: diffJson(now.learning, outcome.state.learning),
        });
  const { changes: _changes, ...fields } = delta;
  const fromIteration: SessionState = {
    ...now,
    ...fields,
    // The iteration diffed against its input, which is the session's: the session changes neither while it runs.
    populations: applyPatch(now.populations, delta.populations ?? null),
    learning: applyPatch(now.learning, delta.learning ?? null),
    round: report.round,
    lastBarCloseMs: report.barCloseMs,
    lastDecision: report.decision,
    recentTrades: [...now.recentTrades, ...report.closedTrades].slice(-RECENT_TRADES),
    events: [...now.events, ...report.learningEvents].slice(-RECENT_LEARNING_EVENTS),
    usage: addUsage(now.usage, report.usage),
  };
  const merged: SessionState = {
    ...fromIteration,
    // A halt the session recorded while the iteration ran (kill switch) stands.
    ...(isHalted(now) ? { tradingState: now.tradingState, tradingStateReason: now.tradingStateReason } : {}),
    paused: now.paused,
    failureStreak: 0,
    halts: mergeHalts(now.halts, fromIteration.halts),
  };
  if (isHalted(now) || !resumedWhileRunning(now, fromIteration)) return merged;
  // The resume re-armed the breakers' references and lifted any LLM alert: keep what it set. The
  // inherited halt is lifted; a cool-down still running at the bar close leaves the desk REDUCING.
  return settleTradingState(
    {
      ...merged,
      tradingState: 'active',
      llmAlert: now.llmAlert ?? null,
      peakEquity: now.peakEquity,
      dayStartEquity: now.dayStartEquity,
    },
    report.barCloseMs,
  );
}

/**
 * The iteration's working copy of its fund: the fund without the learning view (which the iteration
 * reads as it came), its state upgraded from older histories. It returns only its changes.
 */
export function workingStateOf(fund: IterationFund): FundState {
  const { learning: _learning, populations: _populations, ...state } = fund;
  return upgradeState({ ...state, paused: false, events: [], recentTrades: [], usage: ZERO_USAGE, lastDecision: null });
}

/**
 * What an iteration reads of the fund (IterationFundSchema): the session keeps its logs and totals, and
 * the learning state stays in the blob store under `learning.ref`; the iteration gets its view.
 */
export function fundOf(
  state: SessionState,
  views: { populations: PopulationsView; learning: LearningView },
): IterationFund {
  return {
    config: state.config,
    round: state.round,
    lastBarCloseMs: state.lastBarCloseMs,
    tradingState: state.tradingState,
    tradingStateReason: state.tradingStateReason,
    account: state.account,
    shadow: state.shadow,
    populations: views.populations,
    learning: views.learning,
    peakEquity: state.peakEquity,
    dayStartEquity: state.dayStartEquity,
    dayStartMs: state.dayStartMs,
    consecutiveLosses: state.consecutiveLosses,
    cooldownUntilMs: state.cooldownUntilMs,
    failureStreak: state.failureStreak,
    llmAlert: state.llmAlert ?? null,
    halts: state.halts,
  };
}

/**
 * The fund an iteration starts from: the populations and the learning state stored first (`store`: the
 * `O-L.storeState` activity; the session runs it local, so neither enters a history), then their views
 * (`populationsViewOf` with this round's method choices, `learningViewOf`). Both runners call it, so
 * both store, view and load the same way.
 */
export async function iterationFundOf(state: SessionState, store: StoreState): Promise<IterationFund> {
  const refs = await store({ populations: state.populations, learning: state.learning });
  const regime = findCurrentRegime(state.learning);
  return fundOf(state, {
    populations: populationsViewOf(refs.populations, state.populations, {
      round: state.round + 1,
      seed: state.config.seed,
      regime,
    }),
    learning: learningViewOf(refs.learning, state.populations, state.learning),
  });
}

/** The session recorded a resume the iteration never saw, and the iteration added no halt of its own. */
function resumedWhileRunning(current: SessionState, fromIteration: SessionState): boolean {
  const key = (e: HaltEvent) => `${e.atMs}|${e.kind}|${e.source}|${e.reason}`;
  const seenByIteration = new Set(fromIteration.halts.map(key));
  const seenBySession = new Set(current.halts.map(key));
  const resumed = current.halts.some(
    (e) => e.kind === 'resume' && e.source === 'operator' && !seenByIteration.has(key(e)),
  );
  const newHalt = fromIteration.halts.some((e) => e.kind === 'halt' && !seenBySession.has(key(e)));
  return resumed && !newHalt;
}

/** A failed iteration: no trade, the bar is consumed, the failure streak feeds the circuit breaker. */
export function recordFailedIteration(state: SessionState, barCloseMs: number): SessionState {
  return { ...state, lastBarCloseMs: barCloseMs, failureStreak: state.failureStreak + 1, lastDecision: 'failed' };
}
