import { RISK_CHECKS, RISK_METHODS, analyseRisk, resolveRiskMethod } from '../../../domain/risk/checks';
import { RiskLimitsSchema } from '../../../domain/schemas/config';
import { RiskVerdictSchema, type RiskVerdict } from '../../../domain/schemas/risk';
import type { AnalyseRiskInput } from '../../../domain/schemas/steps';
import type { Order } from '../../../domain/schemas/trade';
import { makeInput, makeOrder, makeSnapshot, makeStyle } from './fixtures';

function analyse(order: Partial<Order> = {}, input: Partial<AnalyseRiskInput> = {}): RiskVerdict {
  const verdict = analyseRisk(makeInput({ ...input, order: makeOrder(order) }), makeSnapshot());
  return RiskVerdictSchema.parse(verdict);
}

function reasonsOf(v: RiskVerdict): string[] {
  return v.status === 'pass' ? [] : v.reasons;
}

// Liquidation prices from Binance's isolated formula with MMR 0.4% (entry 60,000, long).
const LIQ_AT_4X = 45_181;
const LIQ_AT_8X = 52_711;

describe('analyseRisk', () => {
  test('a compliant order passes with one result per check of the inventory', () => {
    const v = analyse();
    expect(v.status).toBe('pass');
    expect(v.checks).toHaveLength(RISK_CHECKS.length);
    expect(v.checks.every((c) => c.ok)).toBe(true);
  });

  test('a soft breach the trader can fix restarts at T-B with an actionable reason', () => {
    const v = analyse({ leverage: 8, liquidationPrice: LIQ_AT_8X });
    expect(v).toMatchObject({
      status: 'soft_fail',
      retryFrom: 'T-B',
      reasons: ['leverage 8 above max 5: use at most 5'],
    });
  });

  test('a style whose leverage band starts above the max restarts at T-A', () => {
    const v = analyse(
      { leverage: 8, liquidationPrice: LIQ_AT_8X },
      { style: makeStyle({ leverageMin: 6, leverageMax: 10 }) },
    );
    expect(v.status).toBe('soft_fail');
    expect(v.status === 'soft_fail' && v.retryFrom).toBe('T-A');
    expect(reasonsOf(v)[0]).toBe('style leverage band 6–10 starts above max leverage 5: choose a band within 1–5');
    expect(reasonsOf(v)).toContain('leverage 8 above max 5: use at most 5');
  });

  test('a style whose stop plus buffer exceeds the liquidation distance at its minimum leverage restarts at T-A', () => {
    // 9 ATR stop + 1 ATR buffer = 12,000 > 11,807 liquidation distance at 5×.
    const style = makeStyle({ stopLossAtr: 9, leverageMin: 5, leverageMax: 5 });
    const v = analyse(
      { leverage: 5, size: 0.015, stopLoss: 49_200, liquidationPrice: 48_193, takeProfit: 70_000 },
      { style },
    );
    expect(v.status === 'soft_fail' && v.retryFrom).toBe('T-A');
    expect(reasonsOf(v)[0]).toMatch(
      /^style stop 9 ATR \+ liquidation buffer 1 ATR = 12000 exceeds the liquidation distance 11807\.23 at leverage 5/,
    );
    expect(reasonsOf(v)).toContain(
      'liquidation 48193 only 1007 beyond stop 49200, need 1200 (1 ATR of 1200): lower leverage or tighten the stop',
    );
  });

  test('any hard breach hard-fails, listing hard reasons before soft ones', () => {
    const v = analyse({ confidence: 0.4, leverage: 8, liquidationPrice: LIQ_AT_8X });
    expect(v.status).toBe('hard_fail');
    expect(reasonsOf(v)).toEqual([
      'confidence 0.4 below minimum 0.53: no trade',
      'leverage 8 above max 5: use at most 5',
    ]);
  });

  test('several soft breaches are all reported at once', () => {
    const v = analyse({ size: 0.6 });
    expect(v.status).toBe('soft_fail');
    expect(
      v.checks
        .filter((c) => !c.ok)
        .map((c) => c.id)
        .sort(),
    ).toEqual(['cvar_budget', 'margin_usage', 'notional_cap', 'risk_per_trade']);
    expect(reasonsOf(v)).toHaveLength(4);
  });

  test('conservative tightens the soft limits: leverage 4 passes standard and fails conservative', () => {
    const order = { leverage: 4, liquidationPrice: LIQ_AT_4X };
    expect(analyse(order).status).toBe('pass');
    const v = analyse(order, { method: { id: 'conservative', params: {} } });
    expect(reasonsOf(v)).toEqual(['leverage 4 above max 3.75: use at most 3.75']);
  });

  test('method params override the defaults and cannot loosen the limits', () => {
    const limits = RiskLimitsSchema.parse({});
    expect(resolveRiskMethod({ id: 'conservative', params: { tighten: 0.5 } }, limits).limits.maxLeverage).toBe(2.5);
    expect(resolveRiskMethod({ id: 'conservative', params: { tighten: 3 } }, limits).limits.maxLeverage).toBe(5);
    expect(resolveRiskMethod({ id: 'tail_risk', params: { cvarWeight: 0.1 } }, limits).cvarWeight).toBe(1);
    expect(resolveRiskMethod({ id: 'no-such-method', params: {} }, limits).methodId).toBe('standard');
  });

  test('the method inventory has standard, conservative and tail_risk, the last tagged high_vol', () => {
    expect(RISK_METHODS.map((m) => m.id)).toEqual(['standard', 'conservative', 'tail_risk']);
    expect(RISK_METHODS.find((m) => m.id === 'tail_risk')?.tags).toContain('high_vol');
  });

  test('the same input gives the same verdict (deterministic)', () => {
    const input = makeInput({ order: makeOrder({ size: 0.6 }) });
    expect(analyseRisk(input, makeSnapshot())).toEqual(analyseRisk(structuredClone(input), makeSnapshot()));
  });
});
