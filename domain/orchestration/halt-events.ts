import type { Account, ClosedTrade } from '../schemas/account';
import { BreakerPolicySchema } from '../schemas/config';
import { ZERO_USAGE } from '../schemas/llm';
import type {
  FundState,
  HaltEvent,
  IterationReport,
  OpenPositionPnl,
  SessionState,
  TradingState,
} from '../schemas/session';
import { unrealizedPnl } from '../exchange/perp-math';

/** Halt events the session state keeps (every one also sits in its bar's report). */
export const MAX_HALT_EVENTS = 100;

/** Appends without trimming: an iteration's own events are `newHaltsOf(input, output)`. */
export function addHalts<S extends FundState>(state: S, events: readonly HaltEvent[]): S {
  return events.length === 0 ? state : { ...state, halts: [...state.halts, ...events] };
}

/** The events an iteration added to its input state. */
export function newHaltsOf(before: FundState, after: FundState): HaltEvent[] {
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

/** The newest cool-down event, or null. */
function lastCooldown(halts: readonly HaltEvent[]): HaltEvent | null {
  for (let i = halts.length - 1; i >= 0; i--) if (halts[i]!.kind === 'cooldown') return halts[i]!;
  return null;
}

/** The breaker of the newest cool-down, for its resume event. */
export function lastCooldownSource(halts: readonly HaltEvent[]): HaltEvent['source'] {
  return lastCooldown(halts)?.source ?? 'loss_streak';
}

/** The trading state and its reason: the fields that replace the `halted`/`haltReason` booleans. */
export type TradingStateFields = Pick<SessionState, 'tradingState' | 'tradingStateReason'>;

export function isHalted(state: TradingStateFields): boolean {
  return state.tradingState === 'halted';
}

/** HALTED with its reason: no entries, the book is flattened, until the operator resumes. */
export function haltTrading<S extends TradingStateFields>(state: S, reason: string): S {
  return { ...state, tradingState: 'halted', tradingStateReason: reason };
}

/**
 * A desk that is not halted is REDUCING while a cool-down runs past `atMs` (the bar close it was
 * booked at, or the resume), else ACTIVE. The same comparison as the risk check `cooldown`.
 */
export function settleTradingState<S extends FundState>(state: S, atMs: number): S {
  if (isHalted(state)) return state;
  if (state.cooldownUntilMs > atMs)
    return {
      ...state,
      tradingState: 'reducing',
      tradingStateReason: lastCooldown(state.halts)?.reason ?? 'breaker cool-down',
    };
  return { ...state, tradingState: 'active', tradingStateReason: null };
}

/** Fields of a state, fund or delta recorded before TradingState existed (`halted`, `haltReason`). */
interface LegacyTradingFields {
  halted?: boolean;
  haltReason?: string | null;
  tradingState?: TradingState;
  tradingStateReason?: string | null;
}

/**
 * The trading state of a value recorded with or without it: older ones carry `halted`/`haltReason`,
 * read as HALTED or, with a cool-down still running at `atMs`, REDUCING. The legacy keys are dropped.
 */
export function withTradingState<S extends object>(
  value: S,
  cooldown: { cooldownUntilMs: number; atMs: number | null },
): Omit<S, 'halted' | 'haltReason'> & TradingStateFields {
  const { halted, haltReason, ...rest } = value as S & LegacyTradingFields;
  if ((value as LegacyTradingFields).tradingState !== undefined)
    return rest as Omit<S, 'halted' | 'haltReason'> & TradingStateFields;
  const reducing = cooldown.cooldownUntilMs > (cooldown.atMs ?? 0);
  const tradingState: TradingState = halted ? 'halted' : reducing ? 'reducing' : 'active';
  return {
    ...rest,
    tradingState,
    tradingStateReason: halted ? (haltReason ?? 'halted') : reducing ? 'breaker cool-down' : null,
  };
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
 * A state from before halt events, breaker policies and the trading state existed (a continued fund,
 * an iteration an older session started): the documented default policy, an empty list, and the
 * trading state read from the `halted`/`haltReason` booleans. Idempotent.
 */
export function upgradeState<S extends FundState>(state: S, config: SessionState['config'] = state.config): S {
  const legacy = state as Partial<Pick<SessionState, 'halts'>> & Omit<S, 'halts'>;
  const breakers =
    (config as Partial<Pick<SessionState['config'], 'breakers'>>).breakers ?? BreakerPolicySchema.parse({});
  const traded = withTradingState(state, { cooldownUntilMs: state.cooldownUntilMs, atMs: state.lastBarCloseMs });
  // The fields withTradingState drops (halted/haltReason) are the legacy ones S never declares.
  return { ...traded, config: { ...config, breakers }, halts: legacy.halts ?? [] } as S;
}

/**
 * The operator's resume: trading allowed again, recorded when it lifts a halt. The drawdown and
 * daily-loss breakers are re-armed from the current equity: measured from the old peak or day start
 * they would trip again at the next bar, and a halt that cannot be lifted is no halt "until resume".
 */
export function resumeTrading(state: SessionState, atMs: number, equity: number): SessionState {
  // An operator's resume also lifts an LLM credentials alert: they say the key is fixed.
  if (!isHalted(state)) return { ...state, paused: false, failureStreak: 0, llmAlert: null };
  const resumed: HaltEvent = {
    atMs,
    kind: 'resume',
    source: 'operator',
    reason: `resumed after: ${state.tradingStateReason ?? 'halt'}`,
    equity,
    untilMs: null,
  };
  // A cool-down that still runs outlives the halt: the desk goes back to REDUCING, not ACTIVE.
  const lifted = settleTradingState({ ...state, tradingState: 'active' }, atMs);
  return {
    ...addHalts(lifted, [resumed]),
    paused: false,
    failureStreak: 0,
    llmAlert: null,
    peakEquity: equity,
    dayStartEquity: equity,
  };
}
