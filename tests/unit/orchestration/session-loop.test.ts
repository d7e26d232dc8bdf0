import { EMPTY_LEARNING } from '../../../domain/schemas/learning';
import { BAR_MS, SessionConfigSchema } from '../../../domain/schemas/config';
import { resumeTrading } from '../../../domain/orchestration/halt-events';
import { initialSessionState } from '../../../domain/orchestration/session-state';
import {
  applyIteration,
  deltaOf,
  fundOf,
  hasExposure,
  nextBarFor,
  recordFailedIteration,
} from '../../../domain/orchestration/session-loop';
import type { IterationReport } from '../../../domain/schemas/session';
import { IterationFundSchema } from '../../../domain/schemas/steps';
import { diffJson } from '../../../domain/schemas/json-patch';
import { learningViewOf, populationsViewOf } from '../../../domain/orchestration/fund-view';
import { createAccount } from '../../../domain/exchange/paper-exchange';
import type { SessionState } from '../../../domain/schemas/session';
import { ZERO_USAGE } from '../../../domain/schemas/llm';

const T0 = Date.UTC(2024, 0, 10, 0);

function stateWith(feedKind: 'synthetic' | 'live', last: number | null, toMs: number | null = null): SessionState {
  const feed =
    feedKind === 'live'
      ? ({ kind: 'live', exchangeId: 'binanceusdm', symbol: 'BTC/USDT:USDT' } as const)
      : ({ kind: 'synthetic', seed: 1, startMs: 0, bars: 10 } as const);
  const config = SessionConfigSchema.parse({ sessionId: 's', feed, fromMs: T0, toMs });
  return {
    config,
    round: 0,
    lastBarCloseMs: last,
    tradingState: 'active',
    tradingStateReason: null,
    paused: false,
    account: createAccount(1000, T0),
    shadow: {},
    populations: { analyst: [], researcher: [], trader: [], risk_manager: [] } as never,
    learning: EMPTY_LEARNING,
    events: [],
    recentTrades: [],
    usage: ZERO_USAGE,
    peakEquity: 1000,
    dayStartEquity: 1000,
    dayStartMs: T0,
    consecutiveLosses: 0,
    cooldownUntilMs: 0,
    failureStreak: 0,
    lastDecision: null,
    halts: [],
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

/** The result an iteration that ended in `after` returns: its report and its changes. */
function outcomeOf(before: SessionState, after: SessionState, report: Partial<IterationReport> = {}) {
  const full: IterationReport = {
    iterationId: 'iter',
    barCloseMs: after.lastBarCloseMs ?? T0,
    round: after.round,
    decision: 'flat',
    reason: '',
    order: null,
    riskOutcome: 'skipped',
    riskAttempts: 0,
    equity: 1000,
    close: 100,
    closedTrades: [],
    usage: ZERO_USAGE,
    knowledgeTransfer: false,
    learningEvents: [],
    halts: [],
    open: null,
    ...report,
  };
  return {
    report: full,
    delta: deltaOf(before, after, {
      populations: diffJson(before.populations, after.populations),
      learning: diffJson(before.learning, after.learning),
    }),
  };
}

describe('applying an iteration to the session', () => {
  it('keeps an emergency stop or pause that arrived while the iteration ran', () => {
    const current = {
      ...stateWith('synthetic', T0),
      tradingState: 'halted' as const,
      tradingStateReason: 'operator',
      paused: true,
      failureStreak: 2,
    };
    const fromIteration = { ...stateWith('synthetic', T0 + BAR_MS), round: 1 };
    const merged = applyIteration(current, outcomeOf(current, fromIteration));
    expect(merged).toMatchObject({
      tradingState: 'halted',
      tradingStateReason: 'operator',
      paused: true,
      failureStreak: 0,
      round: 1,
      lastBarCloseMs: T0 + BAR_MS,
    });
  });

  it('a resume sent while a halted iteration ran stands: the inherited halt does not undo it', () => {
    const halt = {
      atMs: T0,
      kind: 'halt' as const,
      source: 'drawdown' as const,
      reason: 'drawdown 25%',
      equity: 750,
      untilMs: null,
    };
    const halted: SessionState = {
      ...stateWith('synthetic', T0),
      tradingState: 'halted',
      tradingStateReason: 'drawdown 25%',
      halts: [halt],
      peakEquity: 1000,
    };
    // The operator resumes while the bar T0+4h is in flight; the iteration started from the halted state.
    const current = resumeTrading(halted, T0 + 1000, 750);
    const fromIteration: SessionState = { ...halted, round: 1, lastBarCloseMs: T0 + BAR_MS };
    const merged = applyIteration(current, outcomeOf(current, fromIteration));
    expect(merged).toMatchObject({
      tradingState: 'active',
      tradingStateReason: null,
      round: 1,
      lastBarCloseMs: T0 + BAR_MS,
      peakEquity: 750,
      dayStartEquity: 750,
    });
    expect(merged.halts.map((e: { kind: string }) => e.kind)).toEqual(['halt', 'resume']);
  });

  it('a new halt the iteration tripped after an operator resume still halts', () => {
    const halt = {
      atMs: T0,
      kind: 'halt' as const,
      source: 'drawdown' as const,
      reason: 'drawdown 25%',
      equity: 750,
      untilMs: null,
    };
    const halted: SessionState = {
      ...stateWith('synthetic', T0),
      tradingState: 'halted',
      tradingStateReason: 'drawdown 25%',
      halts: [halt],
    };
    const current = resumeTrading(halted, T0 + 1000, 750);
    const again = { ...halt, atMs: T0 + BAR_MS, source: 'failures' as const, reason: '3 iterations failed in a row' };
    const fromIteration: SessionState = {
      ...halted,
      tradingStateReason: again.reason,
      halts: [halt, again],
      round: 1,
      lastBarCloseMs: T0 + BAR_MS,
    };
    expect(applyIteration(current, outcomeOf(current, fromIteration))).toMatchObject({
      tradingState: 'halted',
      tradingStateReason: '3 iterations failed in a row',
    });
  });

  it("appends the report's trades, learning events and usage to the session's bounded logs, and takes round and decision from it", () => {
    const trade = {
      tradeId: 't',
      clientOrderId: 'c',
      traderId: 'trader-1',
      side: 'long' as const,
      entryTimeMs: T0,
      entryPrice: 100,
      exitTimeMs: T0 + BAR_MS,
      exitPrice: 110,
      size: 1,
      leverage: 2,
      liquidationPrice: 50,
      exitReason: 'take_profit' as const,
      realizedPnl: 10,
      fees: 0.1,
      funding: 0,
      riskAmount: 5,
    };
    const event = {
      round: 1,
      type: 'teach' as const,
      role: 'analyst' as const,
      agent: 'analyst-2',
      teacher: 'analyst-1',
      method: null,
      reason: 'leader',
    };
    const usage = { ...ZERO_USAGE, calls: 2, costUsd: 0.5 };
    const current: SessionState = {
      ...stateWith('synthetic', T0),
      recentTrades: Array.from({ length: 50 }, (_, i) => ({ ...trade, tradeId: `old-${i}` })),
      usage: { ...ZERO_USAGE, calls: 1, costUsd: 1 },
    };
    const after = {
      ...current,
      round: 1,
      lastBarCloseMs: T0 + BAR_MS,
      account: { ...current.account, wallet: 1009.9 },
    };
    const merged = applyIteration(
      current,
      outcomeOf(current, after, { decision: 'long', closedTrades: [trade], learningEvents: [event], usage }),
    );
    expect(merged).toMatchObject({
      round: 1,
      lastBarCloseMs: T0 + BAR_MS,
      lastDecision: 'long',
      usage: { calls: 3, costUsd: 1.5 },
      events: [event],
    });
    expect(merged.account.wallet).toBe(1009.9);
    expect(merged.recentTrades).toHaveLength(50);
    expect(merged.recentTrades.at(-1)!.tradeId).toBe('t');
    expect(merged.recentTrades[0]!.tradeId).toBe('old-1');
  });

  it('an iteration result recorded before deltas existed (its whole state) applies alike', () => {
    const current = stateWith('synthetic', T0);
    const after = { ...current, round: 1, lastBarCloseMs: T0 + BAR_MS, peakEquity: 1200 };
    const { report, delta } = outcomeOf(current, after);
    expect(applyIteration(current, { report, state: after })).toEqual(applyIteration(current, { report, delta }));
  });

  it("the iteration's input is the fund only: the session's logs, totals, operator flags, populations and learning state stay behind", () => {
    const state = { ...initialSessionState(stateWith('synthetic', T0).config, T0), paused: true, lastDecision: 'long' };
    const fund = fundOf(state, {
      populations: populationsViewOf('state-p', state.populations, { round: 1, seed: 1, regime: null }),
      learning: learningViewOf('learning-x', state.populations, state.learning),
    });
    expect(IterationFundSchema.parse(fund)).toEqual(fund);
    for (const key of ['recentTrades', 'events', 'usage', 'paused', 'lastDecision'])
      expect(fund).not.toHaveProperty(key);
    // The learning state crosses by reference: the iteration gets its ref and view only.
    expect(fund.learning.ref).toBe('learning-x');
    for (const key of Object.keys(state.learning)) expect(fund.learning).not.toHaveProperty(key);
    expect(fund.populations.ref).toBe('state-p');
    expect(JSON.stringify(fund.populations)).not.toContain('inventory');
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
