import { calibrate, CALIBRATION_METHODS } from '../../../domain/research/calibration-methods';
import { applyIsotonic, fitIsotonic, fitPlatt } from '../../../domain/research/calibrators';
import { type ScoredForecast } from '../../../domain/schemas/learning';
import { CalibrationSchema, type Forecast } from '../../../domain/schemas/research';
import { type CalibrateInput } from '../../../domain/schemas/steps';
import { ZERO_USAGE } from '../../../domain/schemas/llm';
import { BAR_CLOSE_MS, CTX, makeRng, RESEARCHER } from './fixtures';

function makeForecast(pUp: number): Forecast {
  return {
    agentId: 'r1',
    barCloseMs: BAR_CLOSE_MS,
    method: 'momentum',
    pUp,
    expectedReturn: 0,
    horizonBars: 6,
    rationale: '',
    provenance: { source: 'heuristic', hash: null, model: null, warning: null, usage: ZERO_USAGE },
  };
}

function makeInput(
  id: string,
  pUp: number,
  history: ScoredForecast[],
  params: Record<string, number> = {},
): CalibrateInput {
  return { ctx: CTX, agent: RESEARCHER, method: { id, params }, forecast: makeForecast(pUp), history };
}

/**
 * Overconfident forecaster whose true frequency is 0.5 + (raw − 0.5)/2. Outcomes are laid out
 * deterministically: at each raw level exactly round(40·true) of 40 outcomes are 1, interleaved across levels.
 */
function makeOverconfidentHistory(): ScoredForecast[] {
  const levels = Array.from({ length: 17 }, (_, i) => 0.1 + 0.05 * i);
  const out: ScoredForecast[] = [];
  for (let j = 0; j < 40; j++) {
    for (const raw of levels) {
      const ones = Math.round(40 * (0.5 + (raw - 0.5) / 2));
      out.push({ p: raw, pRaw: raw, outcome: j < ones ? 1 : 0, barCloseMs: 0 });
    }
  }
  return out;
}

function makeRandomHistory(n: number, seed: number): ScoredForecast[] {
  const rng = makeRng(seed);
  return Array.from({ length: n }, () => {
    const raw = 0.2 + 0.6 * rng();
    return { p: raw, pRaw: raw, outcome: rng() < raw ? 1 : 0, barCloseMs: 0 };
  });
}

describe('calibrate', () => {
  it('platt recovers a known over-confidence: raw 0.8 → about 0.65, raw 0.3 → about 0.40', () => {
    const history = makeOverconfidentHistory();
    expect(Math.abs(calibrate(makeInput('platt', 0.8, history)).pCalibrated - 0.65)).toBeLessThan(0.03);
    expect(Math.abs(calibrate(makeInput('platt', 0.3, history)).pCalibrated - 0.4)).toBeLessThan(0.03);
  });

  it('with calibration switched off (config.learning.calibration = false) passes the raw probability through', () => {
    const history = makeOverconfidentHistory();
    const off = calibrate({ ...makeInput('platt', 0.8, history), enabled: false });
    expect(off).toMatchObject({ pRaw: 0.8, pCalibrated: 0.8, method: 'platt', nHistory: 0 });
    expect(calibrate(makeInput('platt', 0.8, history)).pCalibrated).toBeLessThan(0.7);
  });

  it('platt leaves a well-calibrated forecaster nearly unchanged (fit close to the identity map)', () => {
    const fit = fitPlatt(makeRandomHistory(3000, 7));
    expect(Math.abs(fit.a)).toBeLessThan(0.1);
    expect(Math.abs(fit.b - 1)).toBeLessThan(0.15);
  });

  it('isotonic output is monotone non-decreasing in pRaw', () => {
    const history = makeRandomHistory(300, 11);
    let prev = -Infinity;
    for (let p = 0; p <= 1.0001; p += 0.01) {
      const c = calibrate(makeInput('isotonic', Math.min(1, p), history)).pCalibrated;
      expect(c).toBeGreaterThanOrEqual(prev);
      prev = c;
    }
  });

  it('pool-adjacent-violators pools a decreasing pair into their mean (hand example)', () => {
    const blocks = fitIsotonic([
      { pRaw: 0.1, outcome: 1 },
      { pRaw: 0.2, outcome: 0 },
      { pRaw: 0.3, outcome: 1 },
      { pRaw: 0.4, outcome: 1 },
    ]);
    expect(blocks.map((b) => [b.x, b.y, b.w])).toEqual([
      [expect.closeTo(0.15, 12), 0.5, 2],
      [0.3, 1, 1],
      [0.4, 1, 1],
    ]);
    expect(applyIsotonic(blocks, 0.225)).toBeCloseTo(0.75, 12);
  });

  it('isotonic also recovers the over-confidence on the middle of the range', () => {
    const c = calibrate(makeInput('isotonic', 0.7, makeOverconfidentHistory())).pCalibrated;
    expect(Math.abs(c - 0.6)).toBeLessThan(0.03);
  });

  it('shrinkage with no history pulls halfway to 0.5 (priorTrust 0.5)', () => {
    const c = calibrate(makeInput('shrinkage', 0.7, []));
    expect(c.pCalibrated).toBeCloseTo(0.6, 12);
    expect(c.nHistory).toBe(0);
  });

  it('shrinkage trusts pRaw more as a skilled history grows, and less for an unskilled one', () => {
    const skilled = (n: number): ScoredForecast[] =>
      Array.from({ length: n }, (_, i) => ({
        p: i % 2 ? 0.8 : 0.2,
        pRaw: i % 2 ? 0.8 : 0.2,
        outcome: i % 2 ? 1 : 0,
        barCloseMs: 0,
      }));
    const small = calibrate(makeInput('shrinkage', 0.7, skilled(4))).pCalibrated;
    const large = calibrate(makeInput('shrinkage', 0.7, skilled(400))).pCalibrated;
    expect(small).toBeGreaterThan(0.6);
    expect(large).toBeGreaterThan(small);
    expect(large).toBeLessThanOrEqual(0.7);
    const coinFlips = Array.from({ length: 400 }, (_, i) => ({
      p: 0.8,
      pRaw: 0.8,
      outcome: (i % 2) as 0 | 1,
      barCloseMs: 0,
    }));
    expect(calibrate(makeInput('shrinkage', 0.7, coinFlips)).pCalibrated).toBeLessThan(0.6);
  });

  it('platt and isotonic fall back to shrinkage toward 0.5 with fewer than 20 matured forecasts', () => {
    const history = makeOverconfidentHistory().slice(0, 10);
    const shrink = calibrate(makeInput('shrinkage', 0.8, history)).pCalibrated;
    expect(calibrate(makeInput('platt', 0.8, history)).pCalibrated).toBe(shrink);
    expect(calibrate(makeInput('isotonic', 0.8, history)).pCalibrated).toBe(shrink);
    expect(Math.abs(shrink - 0.5)).toBeLessThan(0.3);
  });

  it.each(CALIBRATION_METHODS.map((m) => m.id))('%s returns a schema-valid probability for extreme inputs', (id) => {
    for (const p of [0, 0.001, 0.5, 0.999, 1]) {
      const c = calibrate(makeInput(id, p, makeRandomHistory(100, 3)));
      expect(CalibrationSchema.safeParse(c).success).toBe(true);
      expect(c.pRaw).toBe(p);
      expect(c.nHistory).toBe(100);
    }
  });
});
