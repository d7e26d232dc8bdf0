import { checkCircuitBreakers, rollDay, updateLossStreak } from '../../../domain/risk/circuit-breakers';
import { BAR_MS, RiskLimitsSchema } from '../../../domain/schemas/config';

const limits = RiskLimitsSchema.parse({});
const healthy = {
  equity: 10_000,
  peakEquity: 10_000,
  dayStartEquity: 10_000,
  failureStreak: 0,
  limits,
  maxFailureStreak: 3,
};

describe('checkCircuitBreakers', () => {
  test('a healthy account does not halt', () => {
    expect(checkCircuitBreakers(healthy)).toEqual({ halt: false, reason: null });
  });

  test('the daily loss limit halts with the numbers', () => {
    expect(checkCircuitBreakers({ ...healthy, equity: 9_400, peakEquity: 10_000 })).toEqual({
      halt: true,
      reason: 'daily loss 6% (equity 9400 vs day start 10000) reached limit 5%',
    });
  });

  test('the max drawdown halts even on a flat day', () => {
    const r = checkCircuitBreakers({ ...healthy, equity: 7_400, dayStartEquity: 7_400, peakEquity: 10_000 });
    expect(r).toEqual({ halt: true, reason: 'drawdown 26% (equity 7400 vs peak 10000) reached max 25%' });
  });

  test('repeated LLM/exchange failures halt; fewer do not', () => {
    expect(checkCircuitBreakers({ ...healthy, failureStreak: 2 }).halt).toBe(false);
    expect(checkCircuitBreakers({ ...healthy, failureStreak: 3 })).toEqual({
      halt: true,
      reason: '3 consecutive LLM/exchange failures reached max 3',
    });
  });

  test('several breaches are all named', () => {
    expect(
      checkCircuitBreakers({ ...healthy, equity: 7_000, dayStartEquity: 8_000, failureStreak: 5 }).reason?.split('; '),
    ).toHaveLength(3);
  });
});

describe('rollDay', () => {
  const day = Date.UTC(2024, 0, 10);
  test('keeps the day-start equity within a UTC day', () => {
    expect(
      rollDay({ dayStartEquity: 10_000, lastBarCloseMs: day + BAR_MS, equity: 9_000 }, day + 20 * 3_600_000),
    ).toEqual({ dayStartEquity: 10_000, rolled: false });
  });
  test('resets it to the current equity at the first bar close of a new UTC day (00:00 belongs to the new day)', () => {
    expect(rollDay({ dayStartEquity: 10_000, lastBarCloseMs: day - BAR_MS, equity: 9_000 }, day)).toEqual({
      dayStartEquity: 9_000,
      rolled: true,
    });
  });
  test('starts the day at the first bar of a session', () => {
    expect(rollDay({ dayStartEquity: 0, lastBarCloseMs: null, equity: 10_000 }, day)).toEqual({
      dayStartEquity: 10_000,
      rolled: true,
    });
  });
});

describe('updateLossStreak', () => {
  const now = Date.UTC(2024, 0, 10, 12);
  test('losses add up, a win resets, a flat trade leaves the streak', () => {
    expect(updateLossStreak(0, [-5, -3], now, limits, BAR_MS)).toEqual({ consecutiveLosses: 2, cooldownUntilMs: null });
    expect(updateLossStreak(2, [10], now, limits, BAR_MS)).toEqual({ consecutiveLosses: 0, cooldownUntilMs: null });
    expect(updateLossStreak(2, [0], now, limits, BAR_MS)).toEqual({ consecutiveLosses: 2, cooldownUntilMs: null });
  });
  test('the Nth consecutive loss starts a cool-down of cooldownBars bars and resets the streak', () => {
    expect(updateLossStreak(2, [-1], now, limits, BAR_MS)).toEqual({
      consecutiveLosses: 0,
      cooldownUntilMs: now + 6 * BAR_MS,
    });
    expect(updateLossStreak(1, [-1, -1, -1], now, limits, BAR_MS)).toEqual({
      consecutiveLosses: 1,
      cooldownUntilMs: now + 6 * BAR_MS,
    });
  });
});
