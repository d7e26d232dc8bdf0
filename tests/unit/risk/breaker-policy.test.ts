import { applyBreakerPolicy, cooldownResumeAt } from '../../../domain/risk/breaker-policy';
import { BAR_MS, BreakerPolicySchema, RiskLimitsSchema } from '../../../domain/schemas/config';

const limits = RiskLimitsSchema.parse({});
const policy = BreakerPolicySchema.parse({});
const BAR = Date.UTC(2024, 0, 10, 8);
const NEXT_DAY = Date.UTC(2024, 0, 11);
const healthy = {
  barCloseMs: BAR,
  equity: 10_000,
  peakEquity: 10_000,
  dayStartEquity: 10_000,
  failureStreak: 0,
  maxFailureStreak: 3,
  limits,
  policy,
  cooldownUntilMs: 0,
  lossStreakUntilMs: null,
};

describe('applyBreakerPolicy', () => {
  test('the documented defaults: daily loss and loss streak cool down, drawdown halts', () => {
    expect(policy).toEqual({ dailyLoss: 'cooldown', lossStreak: 'cooldown', drawdown: 'halt' });
  });

  test('a healthy account neither halts nor cools down', () => {
    expect(applyBreakerPolicy(healthy)).toEqual({ haltReason: null, cooldownUntilMs: 0, events: [] });
  });

  test('a daily loss cools down until the next UTC day, recorded once with the equity', () => {
    const r = applyBreakerPolicy({ ...healthy, equity: 9_400 });
    expect(r.haltReason).toBeNull();
    expect(r.cooldownUntilMs).toBe(NEXT_DAY);
    expect(r.events).toEqual([
      {
        atMs: BAR,
        kind: 'cooldown',
        source: 'daily_loss',
        equity: 9_400,
        untilMs: NEXT_DAY,
        reason: expect.stringMatching(/^daily loss 6% .* no new entries until the next UTC day$/),
      },
    ]);
    // Still down later that day: the cool-down already runs, no second event.
    expect(
      applyBreakerPolicy({ ...healthy, barCloseMs: BAR + BAR_MS, equity: 9_300, cooldownUntilMs: NEXT_DAY }),
    ).toEqual({ haltReason: null, cooldownUntilMs: NEXT_DAY, events: [] });
  });

  test('a daily loss set to halt halts', () => {
    const r = applyBreakerPolicy({ ...healthy, equity: 9_400, policy: { ...policy, dailyLoss: 'halt' } });
    expect(r.haltReason).toMatch(/^daily loss 6%/);
    expect(r.events).toEqual([expect.objectContaining({ kind: 'halt', source: 'daily_loss', untilMs: null })]);
  });

  test('a losing streak cools down for its bars, or halts when set to halt', () => {
    const until = BAR + 6 * BAR_MS;
    expect(applyBreakerPolicy({ ...healthy, lossStreakUntilMs: until })).toEqual({
      haltReason: null,
      cooldownUntilMs: until,
      events: [
        {
          atMs: BAR,
          kind: 'cooldown',
          source: 'loss_streak',
          equity: 10_000,
          untilMs: until,
          reason: '3 losing trades in a row: no new entries for 6 bars',
        },
      ],
    });
    const halted = applyBreakerPolicy({
      ...healthy,
      lossStreakUntilMs: until,
      policy: { ...policy, lossStreak: 'halt' },
    });
    expect(halted.haltReason).toBe('3 losing trades in a row');
    expect(halted.events.map((e) => [e.kind, e.source])).toEqual([['halt', 'loss_streak']]);
  });

  test('a cool-down never shortens one already running', () => {
    const later = NEXT_DAY + 10 * BAR_MS;
    expect(applyBreakerPolicy({ ...healthy, equity: 9_400, cooldownUntilMs: later })).toEqual({
      haltReason: null,
      cooldownUntilMs: later,
      events: [],
    });
  });

  test('drawdown halts; a halt wins over a cool-down, and names every halting breach in one event', () => {
    const r = applyBreakerPolicy({ ...healthy, equity: 7_000, dayStartEquity: 8_000 });
    expect(r.haltReason).toBe('drawdown 30% (equity 7000 vs peak 10000) reached max 25%');
    expect(r.events).toEqual([expect.objectContaining({ kind: 'halt', source: 'drawdown' })]);
    expect(r.cooldownUntilMs).toBe(0);
    const both = applyBreakerPolicy({
      ...healthy,
      equity: 7_000,
      dayStartEquity: 8_000,
      policy: { ...policy, dailyLoss: 'halt' },
    });
    expect(both.haltReason?.split('; ')).toHaveLength(2);
    expect(both.events).toEqual([expect.objectContaining({ kind: 'halt', source: 'daily_loss' })]);
    expect(applyBreakerPolicy({ ...healthy, equity: 7_400, dayStartEquity: 7_400 }).events).toEqual([
      expect.objectContaining({ kind: 'halt', source: 'drawdown' }),
    ]);
  });

  test('repeated failures halt', () => {
    expect(applyBreakerPolicy({ ...healthy, failureStreak: 3 }).events).toEqual([
      expect.objectContaining({ kind: 'halt', source: 'failures' }),
    ]);
  });
});

describe('cooldownResumeAt', () => {
  const state = { lastBarCloseMs: NEXT_DAY - BAR_MS, cooldownUntilMs: NEXT_DAY, halted: false };
  test('records the resume at the first bar close at or after the cool-down end', () => {
    expect(cooldownResumeAt(state, NEXT_DAY, 9_500, 'daily_loss')).toEqual({
      atMs: NEXT_DAY,
      kind: 'resume',
      source: 'daily_loss',
      reason: 'cool-down over: entries allowed again',
      equity: 9_500,
      untilMs: null,
    });
  });
  test('nothing while it runs, after it was recorded, without one, or while halted', () => {
    expect(
      cooldownResumeAt({ ...state, lastBarCloseMs: NEXT_DAY - 2 * BAR_MS }, NEXT_DAY - BAR_MS, 1, 'daily_loss'),
    ).toBeNull();
    expect(cooldownResumeAt({ ...state, lastBarCloseMs: NEXT_DAY }, NEXT_DAY + BAR_MS, 1, 'daily_loss')).toBeNull();
    expect(cooldownResumeAt({ ...state, cooldownUntilMs: 0 }, NEXT_DAY, 1, 'daily_loss')).toBeNull();
    expect(cooldownResumeAt({ ...state, halted: true }, NEXT_DAY, 1, 'daily_loss')).toBeNull();
  });
});
