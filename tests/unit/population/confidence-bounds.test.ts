import {
  MIN_BOUND_N,
  FORECAST_OVERLAP,
  brierSkillBound,
  demonstratedSkill,
  meanBound,
  wilsonBound,
} from '../../../domain/population/confidence-bounds';
import { FORECAST_METHODS } from '../../../domain/research/forecast-inventory';
import { computeBrierSkill } from '../../../domain/population/scoring';
import { summarizeSkill } from '../../../domain/population/skill';
import { RESEARCHER_FORECAST_WINDOW, rankRole } from '../../../domain/population/rank';
import { makeLearning, makePopulations } from './fixtures';

describe('wilsonBound', () => {
  it('matches the Wilson score interval (z = 1.645) on textbook counts', () => {
    // 5 of 5 without the sample floor: (p + z²/2n)/(1 + z²/n) = 1.2706/1.5412 = 0.8244; half = 1.645·sqrt(0.02706)/1.5412 = 0.1756 → 0.649.
    expect(wilsonBound(5, 5, 1.645, 1).lower).toBeCloseTo(0.649, 3);
    expect(wilsonBound(5, 5, 1.645, 1).upper).toBe(1);
    // With the default floor (20 outcomes) five outcomes claim nothing.
    expect(wilsonBound(5, 5).lower).toBe(-Infinity);
    // 60 of 100: lower ≈ 0.518, upper ≈ 0.677.
    expect(wilsonBound(60, 100).lower).toBeCloseTo(0.5178, 3);
    expect(wilsonBound(60, 100).upper).toBeCloseTo(0.6773, 3);
  });

  it('has no bounds without outcomes, and narrows as n grows at the same rate', () => {
    expect(wilsonBound(0, 0)).toEqual({ estimate: 0.5, lower: -Infinity, upper: Infinity, n: 0 });
    const w = (n: number) => wilsonBound(0.6 * n, n);
    expect(w(20).upper - w(20).lower).toBeGreaterThan(w(200).upper - w(200).lower);
    expect(w(200).lower).toBeGreaterThan(w(20).lower);
  });
});

describe('meanBound', () => {
  it('is mean ± z·sd/√n with the sample sd', () => {
    const b = meanBound([1, 2, 3, 4], 1.645, 2);
    const se = Math.sqrt(5 / 3) / 2;
    expect(b.estimate).toBe(2.5);
    expect(b.lower).toBeCloseTo(2.5 - 1.645 * se, 12);
    expect(b.upper).toBeCloseTo(2.5 + 1.645 * se, 12);
  });

  it('one observation demonstrates nothing, nor do five below the floor', () => {
    expect(meanBound([3], 1.645, 1).lower).toBe(-Infinity);
    expect(meanBound([2, 2.5, 1.5, 3, 2]).lower).toBe(-Infinity);
    expect(meanBound(Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? 2 : 1))).lower).toBeGreaterThan(1);
  });
});

describe('brierSkillBound', () => {
  it('estimates the same Brier skill as the Evaluator', () => {
    const h = [
      { p: 0.7, outcome: 1 as const },
      { p: 0.6, outcome: 0 as const },
      { p: 0.55, outcome: 1 as const },
    ];
    expect(brierSkillBound(h).estimate).toBeCloseTo(computeBrierSkill(h), 12);
    expect(brierSkillBound(h, 1.645, 2).lower).toBeLessThan(brierSkillBound(h).estimate);
  });
});

describe('overlapping forecasts count as n / horizon independent outcomes in sizing', () => {
  // One trend week: p = 0.65 up every bar, 50 matured forecasts with outcomes in runs as long as a 12-bar horizon.
  const runs = [...Array<number>(24).fill(1), ...Array<number>(12).fill(0), ...Array<number>(14).fill(1)];
  const history = runs.map((o, i) => ({ p: 0.65, pRaw: 0.65, outcome: o as 0 | 1, barCloseMs: i }));
  const skills = history.map((h) => 1 - (h.p - h.outcome) ** 2 / 0.25);
  const m = skills.reduce((a, b) => a + b, 0) / skills.length;
  const sd = Math.sqrt(skills.reduce((a, x) => a + (x - m) ** 2, 0) / (skills.length - 1));

  it('the overlap is the longest forecast horizon in the inventory', () => {
    expect(FORECAST_OVERLAP).toBe(Math.max(...FORECAST_METHODS.map((x) => Number(x.params.horizonBars))));
    expect(FORECAST_OVERLAP).toBe(12);
  });

  it('overlap 1 is the independent bound; overlap h widens the se by √h and needs minN · h observations', () => {
    expect(meanBound(skills).lower).toBeCloseTo(m - 1.645 * (sd / Math.sqrt(50)), 12);
    expect(meanBound(skills, 1.645, 10, 2).lower).toBeCloseTo(m - 1.645 * (sd / Math.sqrt(25)), 12);
    expect(meanBound(skills, 1.645, 20, 2).lower).toBeCloseTo(m - 1.645 * (sd / Math.sqrt(25)), 12);
    expect(meanBound(skills, 1.645, 20, 3).lower).toBe(-Infinity); // 50 / 3 < 20 independent outcomes
    expect(meanBound(skills, 1.645, 20, 3).estimate).toBeCloseTo(m, 12);
  });

  it('a trend week clears the independent bound, but sizing (summarizeSkill) sees no demonstrated skill', () => {
    expect(brierSkillBound(history).lower).toBeGreaterThan(0.05);
    expect(brierSkillBound(history, 1.645, 20, FORECAST_OVERLAP).lower).toBe(-Infinity);
    const learning = makeLearning({ forecastHistory: { 'researcher-1': history } });
    const s = summarizeSkill(learning, 'researcher-1', 'trader-1');
    expect(s.factor).toBe(0);
    expect(s.note).toContain('lower none, n 50');
  });

  it('leadership reads the same bound: a trend week does not outrank a steady 240-forecast record', () => {
    expect(RESEARCHER_FORECAST_WINDOW).toBe(MIN_BOUND_N * FORECAST_OVERLAP);
    // researcher-1: the trend week above (no bound); researcher-2: 240 forecasts, p = 0.6 up, right 8 in 10.
    const steady = Array.from({ length: RESEARCHER_FORECAST_WINDOW }, (_, i) => ({
      p: 0.6,
      pRaw: 0.6,
      outcome: (i % 10 < 8 ? 1 : 0) as 0 | 1,
      barCloseMs: i,
    }));
    const learning = makeLearning({ forecastHistory: { 'researcher-1': history, 'researcher-2': steady } });
    const ranked = rankRole(makePopulations(), learning, 'researcher', 50);
    expect(ranked[0]!.agentId).toBe('researcher-2');
    expect(ranked[0]!.lower).toBeGreaterThan(0);
    const week = ranked.find((r) => r.agentId === 'researcher-1')!;
    expect(week.metric).toBeGreaterThan(ranked[0]!.metric); // the better point estimate…
    expect(week.lower).toBe(-Infinity); // …rests on about 4 independent outcomes: no bound, no lead
    // The independent bound would have crowned the trend week.
    expect(brierSkillBound(history).lower).toBeGreaterThan(ranked[0]!.lower);
  });

  it('trades do not overlap: a long record of good trades still sizes up', () => {
    const learning = makeLearning({
      traderR: { 'trader-1': Array.from({ length: 50 }, (_, i) => (i % 2 === 0 ? 2 : 0.5)) },
    });
    expect(summarizeSkill(learning, 'researcher-1', 'trader-1').factor).toBe(0.5);
  });
});

describe('demonstratedSkill and summarizeSkill (small samples cannot size up)', () => {
  it('is 0 until the lower bound clears the neutral value, then rises to 1', () => {
    expect(demonstratedSkill({ estimate: 0.9, lower: -0.1, upper: 2, n: 3 }, 0, 0.5)).toBe(0);
    expect(demonstratedSkill({ estimate: 0.9, lower: 0.25, upper: 2, n: 80 }, 0, 0.5)).toBeCloseTo(0.5, 12);
    expect(demonstratedSkill({ estimate: 0.9, lower: 0.8, upper: 2, n: 80 }, 0, 0.5)).toBe(1);
  });

  it('five winning trades and five good forecasts give no skill; a long good record does', () => {
    const few = makeLearning({
      traderR: { 'trader-1': [2, 1.5, 2.5, 1, 2] },
      forecastHistory: {
        'researcher-1': Array.from({ length: 5 }, (_, i) => ({
          p: 0.7,
          pRaw: 0.7,
          outcome: (i < 4 ? 1 : 0) as 0 | 1,
          barCloseMs: i,
        })),
      },
    });
    const s = summarizeSkill(few, 'researcher-1', 'trader-1');
    expect(s.factor).toBe(0);
    expect(s.note).toContain('n 5');
    const none = summarizeSkill(makeLearning({ traderR: { 'trader-1': [3] } }), 'researcher-1', 'trader-1');
    expect(none.factor).toBe(0);
    expect(none.note).toContain('n 1');
    // p = 0.7 up, right 8 times in every 10.
    const goodForecasts = (n: number) =>
      Array.from({ length: n }, (_, i) => ({
        p: 0.7,
        pRaw: 0.7,
        outcome: (i % 10 < 8 ? 1 : 0) as 0 | 1,
        barCloseMs: i,
      }));
    const goodTrades = { 'trader-1': Array.from({ length: 50 }, (_, i) => (i % 2 === 0 ? 2 : 0.5)) };
    const long = makeLearning({ forecastHistory: { 'researcher-1': goodForecasts(50) }, traderR: goodTrades });
    // Changed on purpose (overlapping forecasts): 50 forecasts are 50 / 12 independent outcomes, below the
    // floor, so only the trader's record counts; 240 forecasts (20 independent outcomes) demonstrate skill.
    expect(summarizeSkill(long, 'researcher-1', 'trader-1').factor).toBe(0.5);
    const longer = makeLearning({ forecastHistory: { 'researcher-1': goodForecasts(240) }, traderR: goodTrades });
    expect(summarizeSkill(longer, 'researcher-1', 'trader-1').factor).toBe(1);
  });
});
