import { EMPTY_LEARNING } from '../../../domain/schemas/learning';
import { BAR_MS, SessionConfigSchema } from '../../../domain/schemas/config';
import { resumeTrading } from '../../../domain/orchestration/halt-events';
import { hasExposure, mergeIterationState, nextBarFor, recordFailedIteration } from '../../../domain/orchestration/session-loop';
import { createAccount } from '../../../domain/exchange/paper-exchange';
import type { SessionState } from '../../../domain/schemas/session';
import { ZERO_USAGE } from '../../../domain/schemas/llm';

const T0 = Date.UTC(2024, 0, 10, 0);

function stateWith(feedKind: 'synthetic' | 'live', last: number | null, toMs: number | null = null): SessionState {
  const feed = feedKind === 'live' ? { kind: 'live', exchangeId: 'binanceusdm', symbol: 'BTC/USDT:USDT' } as const : { kind: 'synthetic', seed: 1, startMs: 0, bars: 10 } as const;
  const config = SessionConfigSchema.parse({ sessionId: 's', feed, fromMs: T0, toMs });
  return {
    config, round: 0, lastBarCloseMs: last, halted: false, haltReason: null, paused: false, account: createAccount(1000, T0), shadow: {},
    populations: { analyst: [], researcher: [], trader: [], risk_manager: [] } as never, learning: EMPTY_LEARNING, events: [], recentTrades: [],
    usage: ZERO_USAGE, peakEquity: 1000, dayStartEquity: 1000, dayStartMs: T0, consecutiveLosses: 0, cooldownUntilMs: 0, failureStreak: 0, lastDecision: null, halts: [],
  };
}

describe('which bar a schedule tick stands for', () => {
  it('live: the last 4h close at or before the fire time, once', () => {
    const s = stateWith('live', T0);
    expect(nextBarFor(s, [], T0 + BAR_MS + 30_000)).toBe(T0 + BAR_MS);
    expect(nextBarFor(s, [], T0 + 30_000)).toBeNull(); // a duplicate fire for the bar already traded
    expect(nextBarFor(s, [], T0 - BAR_MS)).toBeNull(); // a late fire for an older bar
  });

  it('replay: the bar after the last one traded or queued; nothing past the end of the data', () => {
    const s = stateWith('synthetic', null, T0 + 2 * BAR_MS);
    expect(nextBarFor(s, [], 123)).toBe(T0);
    expect(nextBarFor({ ...s, lastBarCloseMs: T0 }, [], 123)).toBe(T0 + BAR_MS);
    expect(nextBarFor({ ...s, lastBarCloseMs: T0 }, [T0 + BAR_MS], 123)).toBe(T0 + 2 * BAR_MS);
    expect(nextBarFor({ ...s, lastBarCloseMs: T0 + 2 * BAR_MS }, [], 123)).toBeNull();
  });
});

describe('merging an iteration into the session', () => {
  it('keeps an emergency stop or pause that arrived while the iteration ran', () => {
    const current = { ...stateWith('synthetic', T0), halted: true, haltReason: 'operator', paused: true, failureStreak: 2 };
    const fromIteration = { ...stateWith('synthetic', T0 + BAR_MS), round: 1 };
    const merged = mergeIterationState(current, fromIteration);
    expect(merged).toMatchObject({ halted: true, haltReason: 'operator', paused: true, failureStreak: 0, round: 1, lastBarCloseMs: T0 + BAR_MS });
  });

  it('a resume sent while a halted iteration ran stands: the inherited halt does not undo it', () => {
    const halt = { atMs: T0, kind: 'halt' as const, source: 'drawdown' as const, reason: 'drawdown 25%', equity: 750, untilMs: null };
    const halted: SessionState = { ...stateWith('synthetic', T0), halted: true, haltReason: 'drawdown 25%', halts: [halt], peakEquity: 1000 };
    // The operator resumes while the bar T0+4h is in flight; the iteration started from the halted state.
    const current = resumeTrading(halted, T0 + 1000, 750);
    const fromIteration: SessionState = { ...halted, round: 1, lastBarCloseMs: T0 + BAR_MS };
    const merged = mergeIterationState(current, fromIteration);
    expect(merged).toMatchObject({ halted: false, haltReason: null, round: 1, lastBarCloseMs: T0 + BAR_MS, peakEquity: 750, dayStartEquity: 750 });
    expect(merged.halts.map((e) => e.kind)).toEqual(['halt', 'resume']);
  });

  it('a new halt the iteration tripped after an operator resume still halts', () => {
    const halt = { atMs: T0, kind: 'halt' as const, source: 'drawdown' as const, reason: 'drawdown 25%', equity: 750, untilMs: null };
    const halted: SessionState = { ...stateWith('synthetic', T0), halted: true, haltReason: 'drawdown 25%', halts: [halt] };
    const current = resumeTrading(halted, T0 + 1000, 750);
    const again = { ...halt, atMs: T0 + BAR_MS, source: 'failures' as const, reason: '3 iterations failed in a row' };
    const fromIteration: SessionState = { ...halted, haltReason: again.reason, halts: [halt, again], round: 1, lastBarCloseMs: T0 + BAR_MS };
    expect(mergeIterationState(current, fromIteration)).toMatchObject({ halted: true, haltReason: '3 iterations failed in a row' });
  });

  it('a failed iteration consumes the bar and feeds the failure streak', () => {
    const s = recordFailedIteration(stateWith('synthetic', T0), T0 + BAR_MS);
    expect(s).toMatchObject({ lastBarCloseMs: T0 + BAR_MS, failureStreak: 1, lastDecision: 'failed' });
  });

  it('exposure means a position or a resting order', () => {
    const flat = createAccount(1000, T0);
    expect(hasExposure(flat)).toBe(false);
    expect(hasExposure({ ...flat, openOrders: [{} as never] })).toBe(true);
  });
});
