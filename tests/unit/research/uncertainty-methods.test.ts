import { computeAtr, computeEwmaVol, computeHistoricalVar } from '../../../domain/research/risk-stats';
import { quantifyUncertainty, UNCERTAINTY_METHODS } from '../../../domain/research/uncertainty-methods';
import { UncertaintySchema } from '../../../domain/schemas/research';
import { type UncertaintyInput } from '../../../domain/schemas/steps';
import { BAR_CLOSE_MS, CTX, makeAnalysis, makeCandles, makeSnapshot, RESEARCHER } from './fixtures';

function makeInput(id: string, params: Record<string, number> = {}): UncertaintyInput {
  return { ctx: CTX, agent: RESEARCHER, method: { id, params }, snapshotRef: 'snap-1', analysis: makeAnalysis() };
}

// 40 returns: two losses and 38 gains. k = ceil(0.05·40) = 2 tail observations.
const SAMPLE = [-0.05, ...Array.from({ length: 19 }, () => 0.01), -0.03, ...Array.from({ length: 19 }, () => 0.01)];
const LOSS_1 = 1 - Math.exp(-0.05); // 0.0487706
const LOSS_2 = 1 - Math.exp(-0.03); // 0.0295545

describe('risk statistics', () => {
  it('historical VaR95 is the 2nd worst of 40 losses and CVaR95 the mean of the 2 worst (hand computed)', () => {
    const { var: v, cvar } = computeHistoricalVar(SAMPLE, 0.05);
    expect(v).toBeCloseTo(LOSS_2, 12);
    expect(cvar).toBeCloseTo((LOSS_1 + LOSS_2) / 2, 12);
    expect(cvar).toBeGreaterThanOrEqual(v);
  });

  it('EWMA vol of returns of constant size equals that size, and a late shock lifts it above the sample sd', () => {
    expect(computeEwmaVol(Array.from({ length: 100 }, (_, i) => (i % 2 === 0 ? 0.01 : -0.01)))).toBeCloseTo(0.01, 12);
    const shocked = [...Array.from({ length: 100 }, (_, i) => (i % 2 === 0 ? 0.005 : -0.005)), 0.05, -0.05];
    const ewma = computeEwmaVol(shocked);
    // By hand: sigma² = 0.94·(0.94·0.005² + 0.06·0.05²) + 0.06·0.05².
    expect(ewma).toBeCloseTo(Math.sqrt(0.94 * (0.94 * 0.005 ** 2 + 0.06 * 0.05 ** 2) + 0.06 * 0.05 ** 2), 12);
  });

  it('Wilder ATR of bars with a constant true range equals that range', () => {
    const candles = Array.from({ length: 30 }, (_, i) => ({
      t: i,
      open: 100,
      high: 101,
      low: 99,
      close: 100,
      volume: 1,
    }));
    expect(computeAtr(candles, 14)).toBeCloseTo(2, 12);
    expect(computeAtr(candles.slice(0, 10), 14)).toBeNull();
  });
});

describe('quantifyUncertainty', () => {
  const snapshot = makeSnapshot(makeCandles(SAMPLE));

  it.each(UNCERTAINTY_METHODS.map((m) => m.id))(
    '%s fills every field with a schema-valid value, annualised by sqrt(6·365)',
    (id) => {
      const u = quantifyUncertainty(snapshot, makeInput(id));
      expect(UncertaintySchema.safeParse(u).success).toBe(true);
      expect(u.annualVol).toBeCloseTo(u.volPerBar * Math.sqrt(2190), 12);
      expect(u.var95).toBeGreaterThan(0);
      expect(u.cvar95).toBeGreaterThanOrEqual(u.var95);
      expect(u.atr).toBeGreaterThan(0);
      expect(u.method).toBe(id);
    },
  );

  it('historical_var reports the hand-computed VaR/CVaR and sets the stop at stopCvar · CVaR · close', () => {
    const u = quantifyUncertainty(snapshot, makeInput('historical_var'));
    const close = snapshot.candles.at(-1)?.close ?? 0;
    expect(u.var95).toBeCloseTo(LOSS_2, 12);
    expect(u.cvar95).toBeCloseTo((LOSS_1 + LOSS_2) / 2, 12);
    expect(u.stopDistance).toBeCloseTo(1.2 * u.cvar95 * close, 8);
  });

  it('atr_stop puts the stop atrMult ATRs away; ewma_vol puts it stopSigma EWMA sigmas away', () => {
    const atr = quantifyUncertainty(snapshot, makeInput('atr_stop', { atrMult: 3 }));
    expect(atr.stopDistance).toBeCloseTo(3 * atr.atr, 8);
    const ewma = quantifyUncertainty(snapshot, makeInput('ewma_vol'));
    const close = snapshot.candles.at(-1)?.close ?? 0;
    expect(ewma.stopDistance).toBeCloseTo(2.5 * ewma.volPerBar * close, 8);
  });

  it('ignores candles that open at or after the bar close (no look-ahead)', () => {
    const crash = { t: BAR_CLOSE_MS, open: 50_000, high: 50_000, low: 30_000, close: 30_000, volume: 1 };
    const leaked = makeSnapshot([...makeCandles(SAMPLE), crash]);
    expect(quantifyUncertainty(leaked, makeInput('historical_var'))).toEqual(
      quantifyUncertainty(snapshot, makeInput('historical_var')),
    );
  });

  it('falls back to the analyst features when the snapshot has too few candles, still with a positive stop', () => {
    const u = quantifyUncertainty(makeSnapshot([]), makeInput('ewma_vol'));
    expect(UncertaintySchema.safeParse(u).success).toBe(true);
    expect(u.volPerBar).toBeCloseTo(0.008, 12);
    expect(u.atr).toBe(500);
  });
});
