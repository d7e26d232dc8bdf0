import {
  collapseBarReports,
  collectHalts,
  countHaltedBars,
  describeHaltEvent,
  describeHaltedBars,
  toHaltRows,
} from '../../../domain/metrics/halt-summary';
import { createHaltPrinter } from '../../../workers/halt-printer';
import {
  MAX_HALT_EVENTS,
  mergeHalts,
  resumeTrading,
  settleTradingState,
  upgradeState,
  withTradingState,
} from '../../../domain/orchestration/halt-events';
import { applySync, initialSessionState } from '../../../domain/orchestration/session-state';
import { BAR_MS, SessionConfigSchema } from '../../../domain/schemas/config';
import { ZERO_USAGE } from '../../../domain/schemas/llm';
import type { HaltEvent, IterationReport, SessionState } from '../../../domain/schemas/session';

const T = Date.UTC(2024, 0, 10);
const H = BAR_MS;
const event = (atMs: number, kind: HaltEvent['kind'], source: HaltEvent['source'], reason = 'r'): HaltEvent => ({
  atMs,
  kind,
  source,
  reason,
  equity: 9_000,
  untilMs: null,
});
const report = (barCloseMs: number, extra: Partial<IterationReport> = {}): IterationReport => ({
  iterationId: `i-${barCloseMs}`,
  barCloseMs,
  round: 1,
  decision: 'flat',
  reason: '',
  order: null,
  riskOutcome: 'skipped',
  riskAttempts: 0,
  equity: 10_000,
  close: 100,
  closedTrades: [],
  usage: ZERO_USAGE,
  knowledgeTransfer: false,
  learningEvents: [],
  halts: [],
  open: null,
  ...extra,
});

describe('mergeHalts', () => {
  test('keeps the iteration list and adds what the session recorded meanwhile (kill switch, resume), once', () => {
    const breaker = event(T, 'halt', 'drawdown');
    const stop = event(T, 'halt', 'kill_switch', 'operator stop');
    expect(mergeHalts([stop], [breaker])).toEqual([breaker, stop]);
    expect(mergeHalts([breaker, stop], [breaker, stop])).toEqual([breaker, stop]);
  });
  test('stays bounded', () => {
    const many = Array.from({ length: MAX_HALT_EVENTS + 5 }, (_, i) => event(T + i * H, 'cooldown', 'loss_streak'));
    expect(mergeHalts([], many)).toHaveLength(MAX_HALT_EVENTS);
    expect(mergeHalts([], many)[0]!.atMs).toBe(T + 5 * H);
  });
});

describe('upgradeState', () => {
  test('a state from before halt events gets the default breaker policy and an empty list; a current one is unchanged', () => {
    const current = initialSessionState(
      SessionConfigSchema.parse({
        sessionId: 's',
        feed: { kind: 'synthetic', seed: 1, startMs: T, bars: 10 },
        breakers: { dailyLoss: 'halt' },
      }),
      T,
    );
    const { halts: _h, ...legacyState } = current;
    const { breakers: _b, ...legacyConfig } = current.config;
    const upgraded = upgradeState<SessionState>({ ...legacyState, config: legacyConfig } as never);
    expect(upgraded.halts).toEqual([]);
    expect(upgraded.config.breakers).toEqual({ dailyLoss: 'cooldown', lossStreak: 'cooldown', drawdown: 'halt' });
    expect(upgradeState(current)).toEqual(current);
  });
});

describe('trading state', () => {
  const fresh = initialSessionState(
    SessionConfigSchema.parse({ sessionId: 's', feed: { kind: 'synthetic', seed: 1, startMs: T, bars: 10 } }),
    T,
  );
  test('a state recorded with the halted/haltReason booleans reads as HALTED, REDUCING or ACTIVE, without the old keys', () => {
    const { tradingState: _t, tradingStateReason: _r, ...withoutState } = fresh;
    const legacy = (over: object) =>
      upgradeState<SessionState>({ ...withoutState, haltReason: null, ...over } as never);
    const halted = legacy({ halted: true, haltReason: 'drawdown 26%', lastBarCloseMs: T });
    expect(halted).toMatchObject({ tradingState: 'halted', tradingStateReason: 'drawdown 26%' });
    expect(halted).not.toHaveProperty('halted');
    expect(halted).not.toHaveProperty('haltReason');
    expect(legacy({ halted: false, lastBarCloseMs: T, cooldownUntilMs: T + H })).toMatchObject({
      tradingState: 'reducing',
      tradingStateReason: 'breaker cool-down',
    });
    expect(legacy({ halted: false, lastBarCloseMs: T, cooldownUntilMs: T })).toMatchObject({
      tradingState: 'active',
      tradingStateReason: null,
    });
  });
  test('an iteration delta recorded before the trading state keeps its halt', () => {
    const delta = { halted: true, haltReason: '3 iterations failed in a row', cooldownUntilMs: 0 };
    expect(withTradingState(delta, { cooldownUntilMs: 0, atMs: T })).toEqual({
      cooldownUntilMs: 0,
      tradingState: 'halted',
      tradingStateReason: '3 iterations failed in a row',
    });
  });
  test('REDUCING while a cool-down runs past the bar close, with the cool-down reason; ACTIVE at its end; a halt stays', () => {
    const cooling = {
      ...fresh,
      cooldownUntilMs: T + 6 * H,
      halts: [{ ...event(T, 'cooldown', 'loss_streak', '3 losing trades in a row'), untilMs: T + 6 * H }],
    };
    expect(settleTradingState(cooling, T + 5 * H)).toMatchObject({
      tradingState: 'reducing',
      tradingStateReason: '3 losing trades in a row',
    });
    expect(settleTradingState(cooling, T + 6 * H)).toMatchObject({ tradingState: 'active', tradingStateReason: null });
    const halted = { ...cooling, tradingState: 'halted' as const, tradingStateReason: 'kill switch' };
    expect(settleTradingState(halted, T + 7 * H)).toBe(halted);
  });
  test('booking a bar settles it: a daily-loss cool-down is REDUCING until the next UTC day, then ACTIVE again', () => {
    const ctx = (barCloseMs: number) => ({
      sessionId: 's',
      iterationId: 'i',
      barCloseMs,
      round: 1,
      symbol: 'BTC/USDT',
    });
    const synced = (wallet: number) => ({
      account: { ...fresh.account, wallet },
      shadow: fresh.shadow,
      events: [],
      shadowClosed: [],
      equity: wallet,
      drift: [],
    });
    const loss = applySync({ ...fresh, lastBarCloseMs: T + H }, synced(9_400), ctx(T + 2 * H));
    expect(loss.halts.map((e) => [e.kind, e.source])).toEqual([['cooldown', 'daily_loss']]);
    expect(loss).toMatchObject({ tradingState: 'reducing', cooldownUntilMs: T + 24 * 3_600_000 });
    expect(loss.tradingStateReason).toBe(loss.halts[0]!.reason);
    const nextDay = applySync({ ...loss, lastBarCloseMs: T + 20 * 3_600_000 }, synced(9_400), ctx(T + 24 * 3_600_000));
    expect(nextDay.halts.at(-1)).toMatchObject({ kind: 'resume', source: 'daily_loss' });
    expect(nextDay).toMatchObject({ tradingState: 'active', tradingStateReason: null });
  });
  test('a resume that lifts a halt while a cool-down still runs leaves the desk REDUCING', () => {
    const r = resumeTrading(
      { ...fresh, tradingState: 'halted', tradingStateReason: 'kill switch', cooldownUntilMs: T + 3 * H },
      T + H,
      9_000,
    );
    expect(r.tradingState).toBe('reducing');
    expect(r.halts.at(-1)).toMatchObject({ kind: 'resume', reason: 'resumed after: kill switch' });
  });
});

describe('resumeTrading', () => {
  const fresh = initialSessionState(
    SessionConfigSchema.parse({ sessionId: 's', feed: { kind: 'synthetic', seed: 1, startMs: T, bars: 10 } }),
    T,
  );
  test('lifts a halt, records it, and re-arms drawdown and daily loss from the current equity so the desk can trade', () => {
    const halted = {
      ...fresh,
      tradingState: 'halted' as const,
      tradingStateReason: 'drawdown 26%',
      paused: true,
      failureStreak: 2,
      peakEquity: 10_000,
      dayStartEquity: 9_000,
    };
    const r = resumeTrading(halted, T + H, 7_400);
    expect(r).toMatchObject({
      tradingState: 'active',
      tradingStateReason: null,
      paused: false,
      failureStreak: 0,
      peakEquity: 7_400,
      dayStartEquity: 7_400,
    });
    expect(r.halts).toEqual([
      {
        atMs: T + H,
        kind: 'resume',
        source: 'operator',
        reason: 'resumed after: drawdown 26%',
        equity: 7_400,
        untilMs: null,
      },
    ]);
  });
  test('a resume after a mere pause records nothing and leaves the breakers as they are', () => {
    const r = resumeTrading({ ...fresh, paused: true, peakEquity: 11_000 }, T, 10_000);
    expect(r).toMatchObject({ paused: false, peakEquity: 11_000, halts: [] });
  });
});

describe('halt summary', () => {
  test('a flatten logged after its bar joins that bar: trades kept, equity after the flatten', () => {
    const trade = { tradeId: 'a' } as IterationReport['closedTrades'][number];
    const out = collapseBarReports([
      report(T),
      report(T + H, { equity: 9_900 }),
      report(T + H, {
        iterationId: 'flat',
        equity: 9_880,
        closedTrades: [trade],
        halts: [event(T + H, 'halt', 'kill_switch')],
      }),
    ]);
    expect(out).toHaveLength(2);
    expect(out[1]).toMatchObject({ iterationId: `i-${T + H}`, equity: 9_880, closedTrades: [trade] });
    expect(out[1]!.halts).toHaveLength(1);
  });

  test('every event once, in time order, including those only the session saw', () => {
    const cool = { ...event(T, 'cooldown', 'daily_loss'), untilMs: T + 6 * H };
    const resume = event(T + 6 * H, 'resume', 'daily_loss');
    const stop = event(T + 8 * H, 'halt', 'kill_switch');
    const all = collectHalts(
      [report(T, { halts: [cool] }), report(T + 6 * H, { halts: [resume] })],
      [resume, stop, cool],
    );
    expect(all).toEqual([cool, resume, stop]);
    expect(toHaltRows([cool])).toEqual([
      {
        time: '2024-01-10T00:00:00.000Z',
        kind: 'cooldown',
        source: 'daily_loss',
        reason: 'r',
        equity: 9_000,
        until: '2024-01-11T00:00:00.000Z',
      },
    ]);
  });

  test('halted bars are counted and stated, and nothing is said when there are none', () => {
    const reports = [
      report(T),
      report(T + H, { decision: 'halted' }),
      report(T + 2 * H, { decision: 'halted' }),
      report(T + 3 * H, { decision: 'halted' }),
    ];
    expect(countHaltedBars(reports)).toBe(3);
    expect(describeHaltedBars(3, 4)).toBe(
      'sharpe, sortino, volatility, drawdown and exposure include 3 of 4 bars (75.0%) spent halted with a flat book',
    );
    expect(describeHaltedBars(0, 4)).toBeNull();
  });
});

describe('halt console lines', () => {
  const cool = { ...event(T, 'cooldown', 'daily_loss', 'daily loss 6% reached limit 5%'), untilMs: T + 6 * H };
  test('name the kind, the breaker, the end of a cool-down, the reason and the equity', () => {
    expect(describeHaltEvent(cool)).toBe(
      '[2024-01-10T00:00:00.000Z] COOL-DOWN (daily loss) until 2024-01-11T00:00:00.000Z: daily loss 6% reached limit 5%; equity 9000.00',
    );
    expect(describeHaltEvent(event(T, 'halt', 'kill_switch', 'operator'))).toBe(
      '[2024-01-10T00:00:00.000Z] HALT (kill switch): operator; equity 9000.00',
    );
  });
  test('each event is printed once across polls; a continued fund skips its old events', () => {
    const lines: string[] = [];
    const print = createHaltPrinter((l) => lines.push(l));
    print([cool]);
    print([cool, event(T + H, 'resume', 'daily_loss')]);
    expect(lines).toHaveLength(2);
    const later: string[] = [];
    const join = createHaltPrinter((l) => later.push(l), { skipExisting: true });
    join([cool]);
    join([cool, event(T + H, 'halt', 'drawdown')]);
    expect(later).toEqual([expect.stringContaining('HALT (drawdown)')]);
  });
});
