import type { Account, ClosedTrade } from '../schemas/account';
import { BreakerPolicySchema } from '../schemas/config';
import { ZERO_USAGE } from '../schemas/llm';
import type { HaltEvent, IterationReport, OpenPositionPnl, SessionState } from '../schemas/session';
import { unrealizedPnl } from '../exchange/perp-math';

/** Halt events the session state keeps (every one also sits in its bar's report). */
export const MAX_HALT_EVENTS = 100;

/** Appends without trimming: an iteration's own events are `newHaltsOf(input, output)`. */
export function addHalts(state: SessionState, events: readonly HaltEvent[]): SessionState {
  return events.length === 0 ? state : { ...state, halts: [...state.halts, ...events] };
}

/** The events an iteration added to its input state. */
export function newHaltsOf(before: SessionState, after: SessionState): HaltEvent[] {
  return after.halts.slice(before.halts.length);
}

/**
 * The iteration's list plus the events the session recorded while it ran (kill switch, operator):
 * those come only from the session, so they are the ones the iteration's list lacks. Trimmed here.
 */
export function mergeHalts(current: readonly HaltEvent[], fromIteration: readonly HaltEvent[]): HaltEvent[] {
  const key = (e: HaltEvent) => `${e.atMs}|${e.kind}|${e.source}|${e.reason}`;
  const known = new Set(fromIteration.map(key));
  return [...fromIteration, ...current.filter((e) => !known.has(key(e)))].slice(-MAX_HALT_EVENTS);
}

/** The breaker of the newest cool-down, for its resume event. */
export function lastCooldownSource(halts: readonly HaltEvent[]): HaltEvent['source'] {
  for (let i = halts.length - 1; i >= 0; i--) if (halts[i]!.kind === 'cooldown') return halts[i]!.source;
  return 'loss_streak';
}

/** What the open position adds to equity beyond the closed trades, at the account's mark. */
export function openPnlOf(account: Account): OpenPositionPnl | null {
  const p = account.position;
  return p
    ? {
        unrealizedPnl: unrealizedPnl(p.side, p.size, p.entryPrice, account.markPrice),
        fees: p.fees,
        funding: p.funding,
      }
    : null;
}

/**
 * The report of a flatten the session did outside an iteration (kill switch between bars, or a
 * halt's flatten that the iteration could not finish): its trades reach the run log like any bar's.
 */
export function flattenReportOf(input: {
  iterationId: string;
  barCloseMs: number;
  round: number;
  reason: string;
  account: Account;
  equity: number;
  closed: ClosedTrade[];
  halts: HaltEvent[];
}): IterationReport {
  return {
    iterationId: input.iterationId,
    barCloseMs: input.barCloseMs,
    round: input.round,
    decision: 'halted',
    reason: input.reason,
    order: null,
    riskOutcome: 'skipped',
    riskAttempts: 0,
    equity: input.equity,
    close: input.account.markPrice,
    closedTrades: input.closed,
    usage: ZERO_USAGE,
    knowledgeTransfer: false,
    learningEvents: [],
    halts: input.halts,
    open: openPnlOf(input.account),
  };
}

/**
 * A state from before halt events and breaker policies existed (a continued fund, an iteration an
 * older session started): the documented default policy and an empty list. Idempotent.
 */
export function upgradeState(state: SessionState, config: SessionState['config'] = state.config): SessionState {
  const legacy = state as Partial<Pick<SessionState, 'halts'>> & Omit<SessionState, 'halts'>;
  const breakers =
    (config as Partial<Pick<SessionState['config'], 'breakers'>>).breakers ?? BreakerPolicySchema.parse({});
  return { ...state, config: { ...config, breakers }, halts: legacy.halts ?? [] };
}

/**
 * The operator's resume: trading allowed again, recorded when it lifts a halt. The drawdown and
 * daily-loss breakers are re-armed from the current equity: measured from the old peak or day start
 * they would trip again at the next bar, and a halt that cannot be lifted is no halt "until resume".
 */
export function resumeTrading(state: SessionState, atMs: number, equity: number): SessionState {
  // An operator's resume also lifts an LLM credentials alert: they say the key is fixed.
  if (!state.halted) return { ...state, paused: false, failureStreak: 0, llmAlert: null };
  const resumed: HaltEvent = {
    atMs,
    kind: 'resume',
    source: 'operator',
    reason: `resumed after: ${state.haltReason ?? 'halt'}`,
    equity,
    untilMs: null,
  };
  return {
    ...addHalts(state, [resumed]),
    halted: false,
    haltReason: null,
    paused: false,
    failureStreak: 0,
    llmAlert: null,
    peakEquity: equity,
    dayStartEquity: equity,
  };
}
