import type { RiskLimits } from '../schemas/config';
import { formatNumber as n, formatPercent as pct } from './risk-math';
import { DAY_MS } from '../market/time-grid';

export interface CircuitBreakerState {
  equity: number;
  peakEquity: number;
  dayStartEquity: number;
  /** Consecutive LLM/exchange step failures that the retries could not absorb. */
  failureStreak: number;
  limits: RiskLimits;
  maxFailureStreak: number;
}

/** Which breaker tripped, and why (with the numbers). */
export interface BreakerTrip {
  source: 'daily_loss' | 'drawdown' | 'failures';
  reason: string;
}

/**
 * Account-level breakers, checked after every booking: the daily loss limit, the max drawdown from
 * peak, and a streak of repeated LLM/exchange failures. What a trip does is the session's breaker
 * policy (breaker-policy.ts).
 */
export function listBreakerTrips(s: CircuitBreakerState): BreakerTrip[] {
  const trips: BreakerTrip[] = [];
  const dailyLoss = s.dayStartEquity > 0 ? (s.dayStartEquity - s.equity) / s.dayStartEquity : 0;
  if (dailyLoss >= s.limits.dailyLossLimit) {
    trips.push({
      source: 'daily_loss',
      reason: `daily loss ${pct(dailyLoss)} (equity ${n(s.equity)} vs day start ${n(s.dayStartEquity)}) reached limit ${pct(s.limits.dailyLossLimit)}`,
    });
  }
  const drawdown = s.peakEquity > 0 ? (s.peakEquity - s.equity) / s.peakEquity : 0;
  if (drawdown >= s.limits.maxDrawdown) {
    trips.push({
      source: 'drawdown',
      reason: `drawdown ${pct(drawdown)} (equity ${n(s.equity)} vs peak ${n(s.peakEquity)}) reached max ${pct(s.limits.maxDrawdown)}`,
    });
  }
  if (s.failureStreak >= s.maxFailureStreak) {
    trips.push({
      source: 'failures',
      reason: `${s.failureStreak} consecutive LLM/exchange failures reached max ${s.maxFailureStreak}`,
    });
  }
  return trips;
}

/** Every breaker as a halt: the reasons of all trips, joined. */
export function checkCircuitBreakers(s: CircuitBreakerState): { halt: boolean; reason: string | null } {
  const trips = listBreakerTrips(s);
  return trips.length > 0
    ? { halt: true, reason: trips.map((t) => t.reason).join('; ') }
    : { halt: false, reason: null };
}

/** UTC day number of an epoch time. */
export function getUtcDay(ms: number): number {
  return Math.floor(ms / DAY_MS);
}

/**
 * Resets the day-start equity at the first bar close of a new UTC day (a bar closing at 00:00 UTC
 * opens the new day). `lastBarCloseMs` null = first bar of the session: the day starts now.
 */
export function rollDay(
  s: { dayStartEquity: number; lastBarCloseMs: number | null; equity: number },
  barCloseMs: number,
): { dayStartEquity: number; rolled: boolean } {
  if (s.lastBarCloseMs === null || getUtcDay(barCloseMs) !== getUtcDay(s.lastBarCloseMs)) {
    return { dayStartEquity: s.equity, rolled: true };
  }
  return { dayStartEquity: s.dayStartEquity, rolled: false };
}

/**
 * Counts consecutive losing trades (in close order; pass net PnL after fees and funding). A win
 * resets the streak, a flat trade leaves it. Reaching `cooldownAfterLosses` starts a cool-down of
 * `cooldownBars` bars from this bar close and resets the streak, so the next cool-down needs a new streak.
 * `cooldownUntilMs` is null when no new cool-down started (keep the current one).
 */
export function updateLossStreak(
  consecutiveLosses: number,
  closedTradePnls: readonly number[],
  barCloseMs: number,
  limits: RiskLimits,
  barMs: number,
): { consecutiveLosses: number; cooldownUntilMs: number | null } {
  let streak = consecutiveLosses;
  let cooldownUntilMs: number | null = null;
  for (const pnl of closedTradePnls) {
    if (pnl > 0) streak = 0;
    else if (pnl < 0) streak += 1;
    if (streak >= limits.cooldownAfterLosses) {
      cooldownUntilMs = barCloseMs + limits.cooldownBars * barMs;
      streak = 0;
    }
  }
  return { consecutiveLosses: streak, cooldownUntilMs };
}
