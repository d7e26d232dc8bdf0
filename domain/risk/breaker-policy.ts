import type { BreakerPolicy, RiskLimits } from '../schemas/config';
import type { HaltEvent } from '../schemas/session';
import { DAY_MS } from '../market/time-grid';
import { getUtcDay, listBreakerTrips } from './circuit-breakers';

export interface BreakerPolicyInput {
  barCloseMs: number;
  equity: number;
  peakEquity: number;
  dayStartEquity: number;
  failureStreak: number;
  maxFailureStreak: number;
  limits: RiskLimits;
  policy: BreakerPolicy;
  /** The cool-down in force before this booking (0 = none). */
  cooldownUntilMs: number;
  /** End of the cool-down a losing streak just started (updateLossStreak), or null. */
  lossStreakUntilMs: number | null;
}

export interface BreakerDecision {
  /** Halt reason when a halting breaker tripped, else null. */
  haltReason: string | null;
  cooldownUntilMs: number;
  /** The halt or the cool-downs that started now; a cool-down already running is not repeated. */
  events: HaltEvent[];
}

/**
 * Applies the session's breaker policy to what tripped on this booking. A halt wins over cool-downs
 * (one halt event naming every breach); a cool-down extends the one in force, never shortens it.
 */
export function applyBreakerPolicy(s: BreakerPolicyInput): BreakerDecision {
  const trips = listBreakerTrips(s);
  const base = { atMs: s.barCloseMs, equity: s.equity };
  const streakReason = `${s.limits.cooldownAfterLosses} losing trades in a row`;
  const halting = [
    ...trips.filter(
      (t) =>
        t.source === 'drawdown' ||
        t.source === 'failures' ||
        (t.source === 'daily_loss' && s.policy.dailyLoss === 'halt'),
    ),
    ...(s.lossStreakUntilMs !== null && s.policy.lossStreak === 'halt'
      ? [{ source: 'loss_streak' as const, reason: streakReason }]
      : []),
  ];
  if (halting.length > 0) {
    const reason = halting.map((t) => t.reason).join('; ');
    return {
      haltReason: reason,
      cooldownUntilMs: s.cooldownUntilMs,
      events: [{ ...base, kind: 'halt', source: halting[0]!.source, reason, untilMs: null }],
    };
  }
  const events: HaltEvent[] = [];
  let until = s.cooldownUntilMs;
  const daily = trips.find((t) => t.source === 'daily_loss');
  if (daily) {
    const nextDayMs = (getUtcDay(s.barCloseMs) + 1) * DAY_MS;
    if (nextDayMs > until) {
      until = nextDayMs;
      events.push({
        ...base,
        kind: 'cooldown',
        source: 'daily_loss',
        reason: `${daily.reason}: no new entries until the next UTC day`,
        untilMs: nextDayMs,
      });
    }
  }
  if (s.lossStreakUntilMs !== null && s.lossStreakUntilMs > until) {
    until = s.lossStreakUntilMs;
    events.push({
      ...base,
      kind: 'cooldown',
      source: 'loss_streak',
      reason: `${streakReason}: no new entries for ${s.limits.cooldownBars} bars`,
      untilMs: s.lossStreakUntilMs,
    });
  }
  return { haltReason: null, cooldownUntilMs: until, events };
}

/**
 * The resume of a cool-down that ran out by this bar close (trading may enter again from this bar),
 * or null. `source` is the breaker of the cool-down, for the record.
 */
export function cooldownResumeAt(
  s: { lastBarCloseMs: number | null; cooldownUntilMs: number; halted: boolean },
  barCloseMs: number,
  equity: number,
  source: HaltEvent['source'],
): HaltEvent | null {
  if (s.halted || s.lastBarCloseMs === null) return null;
  if (!(s.cooldownUntilMs > s.lastBarCloseMs && s.cooldownUntilMs <= barCloseMs)) return null;
  return {
    atMs: barCloseMs,
    kind: 'resume',
    source,
    reason: 'cool-down over: entries allowed again',
    equity,
    untilMs: null,
  };
}
