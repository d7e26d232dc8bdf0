import type { Account, ClosedTrade } from '../schemas/account';
import type { SessionConfig } from '../schemas/config';
import { EMPTY_LEARNING } from '../schemas/learning';
import { ZERO_USAGE } from '../schemas/llm';
import type { FlattenResult } from '../schemas/ops';
import type { FundState, SessionState } from '../schemas/session';
import type { ExecuteOrdersResult, RiskContext, StepContext, SyncAccountsResult } from '../schemas/steps';
import { closedTradesOf } from '../exchange/closed-trades';
import { createAccount, equityOf } from '../exchange/paper-exchange';
import { createPopulations } from '../population/create-populations';
import { applyBreakerPolicy, cooldownResumeAt } from '../risk/breaker-policy';
import { rollDay, updateLossStreak } from '../risk/circuit-breakers';
import { addHalts, haltTrading, isHalted, lastCooldownSource, settleTradingState } from './halt-events';
import { METHOD_CATALOG } from './method-catalog';

/** Iterations in a row that may end in an LLM or exchange failure before the breaker halts the desk. */
export const MAX_FAILURE_STREAK = 3;
/** Closed trades the session state keeps (every one is also in its bar's report). */
export const RECENT_TRADES = 50;
/** Teach/prune/restore events the session state keeps (every one is also in its bar's report). */
export const RECENT_LEARNING_EVENTS = 200;

/** A new fund: paper account, populations, nothing learned yet. */
export function initialSessionState(config: SessionConfig, startMs: number): SessionState {
  const populations = createPopulations(config.populations, METHOD_CATALOG, config.seed);
  const shadow = Object.fromEntries(
    populations.trader.map((t) => [t.id, createAccount(config.initialEquity, startMs)]),
  );
  return {
    config,
    round: 0,
    lastBarCloseMs: null,
    tradingState: 'active',
    tradingStateReason: null,
    paused: false,
    account: createAccount(config.initialEquity, startMs),
    shadow,
    populations,
    learning: EMPTY_LEARNING,
    events: [],
    recentTrades: [],
    usage: ZERO_USAGE,
    peakEquity: config.initialEquity,
    dayStartEquity: config.initialEquity,
    dayStartMs: startMs,
    consecutiveLosses: 0,
    cooldownUntilMs: 0,
    failureStreak: 0,
    lastDecision: null,
    llmAlert: null,
    halts: [],
  };
}

export function equityNow(account: Account): number {
  return equityOf(account, account.markPrice);
}

/**
 * What the kill switch's flatten (X-F) did to the fund: its account, and the trades it closed, kept
 * among the recent trades. One function for the iteration's flatten and the session's, so both book it alike.
 */
export function applyFlatten<S extends FundState>(state: S, flat: FlattenResult): { state: S; closed: ClosedTrade[] } {
  const closed = closedTradesOf(flat.events);
  return {
    state: { ...state, account: flat.account, recentTrades: [...state.recentTrades, ...closed].slice(-RECENT_TRADES) },
    closed,
  };
}

/**
 * Book what the closed bars did to the accounts, then let the circuit breakers speak and settle the
 * trading state (HALTED, REDUCING during a cool-down, else ACTIVE). The first
 * booking of a bar also records the end of a cool-down that ran out by this bar close.
 */
export function applySync<S extends FundState>(state: S, synced: SyncAccountsResult, ctx: StepContext): S {
  const resumed = cooldownResumeAt(
    { lastBarCloseMs: state.lastBarCloseMs, cooldownUntilMs: state.cooldownUntilMs, halted: isHalted(state) },
    ctx.barCloseMs,
    equityNow(synced.account),
    lastCooldownSource(state.halts),
  );
  return bookTrades(
    addHalts({ ...state, account: synced.account, shadow: synced.shadow }, resumed ? [resumed] : []),
    closedTradesOf(synced.events),
    ctx,
  );
}

export function applyExecution<S extends FundState>(state: S, executed: ExecuteOrdersResult, ctx: StepContext): S {
  return bookTrades(
    { ...state, account: executed.account, shadow: { ...state.shadow, ...executed.shadow } },
    closedTradesOf(executed.events),
    ctx,
  );
}

function bookTrades<S extends FundState>(state: S, closed: ClosedTrade[], ctx: StepContext): S {
  const equity = equityNow(state.account);
  const day = rollDay(
    { dayStartEquity: state.dayStartEquity, lastBarCloseMs: state.lastBarCloseMs, equity },
    ctx.barCloseMs,
  );
  const streak = updateLossStreak(
    state.consecutiveLosses,
    closed.map((t) => t.realizedPnl - t.fees + t.funding),
    ctx.barCloseMs,
    state.config.risk,
    state.config.barMs,
  );
  const next: S = {
    ...state,
    recentTrades: [...state.recentTrades, ...closed].slice(-RECENT_TRADES),
    peakEquity: Math.max(state.peakEquity, equity),
    dayStartMs: day.rolled ? ctx.barCloseMs : state.dayStartMs,
    dayStartEquity: day.dayStartEquity,
    consecutiveLosses: streak.consecutiveLosses,
  };
  if (isHalted(next)) return { ...next, cooldownUntilMs: Math.max(state.cooldownUntilMs, streak.cooldownUntilMs ?? 0) };
  const breakers = applyBreakerPolicy({
    barCloseMs: ctx.barCloseMs,
    equity,
    peakEquity: next.peakEquity,
    dayStartEquity: next.dayStartEquity,
    failureStreak: next.failureStreak,
    maxFailureStreak: MAX_FAILURE_STREAK,
    limits: state.config.risk,
    policy: state.config.breakers,
    cooldownUntilMs: state.cooldownUntilMs,
    lossStreakUntilMs: streak.cooldownUntilMs,
  });
  const booked = addHalts({ ...next, cooldownUntilMs: breakers.cooldownUntilMs }, breakers.events);
  return breakers.haltReason === null
    ? settleTradingState(booked, ctx.barCloseMs)
    : haltTrading(booked, breakers.haltReason);
}

export function riskContextOf(state: FundState, equity: number): RiskContext {
  return {
    equity,
    peakEquity: Math.max(state.peakEquity, equity),
    dayStartEquity: state.dayStartEquity,
    consecutiveLosses: state.consecutiveLosses,
    cooldownUntilMs: state.cooldownUntilMs,
    tradingState: state.tradingState,
  };
}
