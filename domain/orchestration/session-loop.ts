import type { Account } from '../schemas/account';
import type { SessionState } from '../schemas/session';
import { mergeHalts, upgradeState } from './halt-events';

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
  const next = feed.kind === 'live'
    ? Math.floor(firedAtMs / barMs) * barMs
    : last === null ? (fromMs ?? Math.floor(firedAtMs / barMs) * barMs) : last + barMs;
  if (last !== null && next <= last) return null;
  if (feed.kind !== 'live' && toMs !== null && next > toMs) return null;
  return next;
}

/** The iteration's state wins, except for operator decisions taken while it ran (stop, pause). */
export function mergeIterationState(current: SessionState, iterationState: SessionState): SessionState {
  const fromIteration = upgradeState(iterationState);
  return {
    ...fromIteration,
    halted: current.halted || fromIteration.halted,
    haltReason: current.halted ? current.haltReason : fromIteration.haltReason,
    paused: current.paused,
    failureStreak: 0,
    halts: mergeHalts(upgradeState(current).halts, fromIteration.halts),
  };
}

/** A failed iteration: no trade, the bar is consumed, the failure streak feeds the circuit breaker. */
export function recordFailedIteration(state: SessionState, barCloseMs: number): SessionState {
  return { ...state, lastBarCloseMs: barCloseMs, failureStreak: state.failureStreak + 1, lastDecision: 'failed' };
}
