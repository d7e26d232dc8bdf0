import { directionOfProbability, directionOfText } from '../../../domain/llm/agreement';
import {
  LlmForecastAnswerSchema,
  LlmRiskReviewAnswerSchema,
  LlmStyleAnswerSchema,
} from '../../../domain/llm/answer-schemas';
import { validateOutput, validateValue } from '../../../domain/llm/validate-output';
import { STYLE_METHODS } from '../../../domain/trader/styles';

const forecast = (over: Record<string, unknown> = {}) => ({
  pUp: 0.6,
  expectedReturn: 0.004,
  horizonBars: 6,
  rationale: 'momentum positive, funding neutral',
  ...over,
});
const style = (over: Record<string, unknown> = {}) => ({
  style: 'trend_swing',
  orderType: 'market',
  limitOffsetAtr: 0,
  takeProfitAtr: 3,
  stopLossAtr: 1.5,
  leverageMin: 2,
  leverageMax: 4,
  horizonBars: 12,
  rationale: 'trend',
  ...over,
});

describe('R-A agreement: direction, expected return and rationale', () => {
  test('the issue\'s answer (down at 0.03, rationale "price is expected to increase") is a contradiction, sent back with the reason', () => {
    const check = validateOutput(
      LlmForecastAnswerSchema,
      JSON.stringify(forecast({ pUp: 0.03, expectedReturn: -0.01, rationale: 'price is expected to increase' })),
    );
    expect(check).toEqual({
      ok: false,
      contradiction: true,
      errors: ['`rationale`: contradiction: pUp 0.03 says down but the rationale says up'],
    });
  });

  test('a probability of up with a negative expected return (and the mirror case) contradicts', () => {
    expect(validateValue(LlmForecastAnswerSchema, forecast({ pUp: 0.7, expectedReturn: -0.002 }))).toMatchObject({
      ok: false,
      contradiction: true,
    });
    expect(validateValue(LlmForecastAnswerSchema, forecast({ pUp: 0.3, expectedReturn: 0.002 }))).toMatchObject({
      ok: false,
      contradiction: true,
    });
  });

  test('inside the dead band around 0.5 either sign of expected return is accepted (median and mean may part under skew)', () => {
    expect(validateValue(LlmForecastAnswerSchema, forecast({ pUp: 0.52, expectedReturn: -0.001 })).ok).toBe(true);
    expect(validateValue(LlmForecastAnswerSchema, forecast({ pUp: 0.48, expectedReturn: 0.001 })).ok).toBe(true);
  });

  test('agreeing answers pass, and hedged rationales are not judged by their words', () => {
    expect(
      validateValue(
        LlmForecastAnswerSchema,
        forecast({ pUp: 0.3, expectedReturn: -0.003, rationale: 'bearish divergence, lower highs' }),
      ).ok,
    ).toBe(true);
    expect(
      validateValue(
        LlmForecastAnswerSchema,
        forecast({ pUp: 0.3, expectedReturn: -0.003, rationale: 'price is not expected to increase' }),
      ).ok,
    ).toBe(true);
    expect(
      validateValue(
        LlmForecastAnswerSchema,
        forecast({ pUp: 0.7, expectedReturn: 0.003, rationale: 'despite the drop, buyers returned' }),
      ).ok,
    ).toBe(true);
  });

  test('a reply that also breaks a field rule is malformed, not merely contradictory', () => {
    const check = validateValue(LlmForecastAnswerSchema, forecast({ pUp: 70, expectedReturn: -0.01 }));
    expect(check).toMatchObject({ ok: false, contradiction: false });
  });

  test('directions read off numbers and text', () => {
    expect([0.56, 0.5, 0.44].map(directionOfProbability)).toEqual(['up', 'none', 'down']);
    expect(
      ['rally ahead', 'sell-off likely', 'rally then sell-off', 'no view', 'it will not rise'].map(directionOfText),
    ).toEqual(['up', 'down', 'none', 'none', 'none']);
  });
});

describe("T-A agreement: the chosen style's leverage band and order type", () => {
  test("leverage outside the style's band contradicts the style", () => {
    const check = validateValue(LlmStyleAnswerSchema, style({ leverageMin: 1, leverageMax: 125 }));
    expect(check).toEqual({
      ok: false,
      contradiction: true,
      errors: ['`leverageMax`: contradiction: style trend_swing allows leverage 1–5, got 1–125'],
    });
  });

  test('leverageMin above leverageMax, and an order type the style does not use, contradict', () => {
    expect(validateValue(LlmStyleAnswerSchema, style({ leverageMin: 4, leverageMax: 2 }))).toMatchObject({
      ok: false,
      contradiction: true,
    });
    expect(validateValue(LlmStyleAnswerSchema, style({ orderType: 'limit' }))).toMatchObject({
      ok: false,
      contradiction: true,
    });
    expect(
      validateValue(LlmStyleAnswerSchema, style({ style: 'stand_aside', leverageMin: 1, leverageMax: 3 })),
    ).toMatchObject({ ok: false, contradiction: true });
  });

  test("every style's own defaults agree with its rules", () => {
    for (const s of STYLE_METHODS) {
      const answer = style({
        style: s.id,
        orderType: s.orderType,
        ...s.params,
        horizonBars: Math.round(s.params.horizonBars ?? 6),
      });
      expect({ style: s.id, check: validateValue(LlmStyleAnswerSchema, answer) }).toMatchObject({
        style: s.id,
        check: { ok: true },
      });
    }
  });
});

describe('M-A agreement: severity and concerns', () => {
  test('a soft objection must name a concern, and "none" must list none', () => {
    expect(validateValue(LlmRiskReviewAnswerSchema, { concerns: [], severity: 'soft' })).toMatchObject({
      ok: false,
      contradiction: true,
    });
    expect(validateValue(LlmRiskReviewAnswerSchema, { concerns: [' '], severity: 'soft' })).toMatchObject({
      ok: false,
      contradiction: true,
    });
    expect(
      validateValue(LlmRiskReviewAnswerSchema, { concerns: ['leverage 5 into CPI'], severity: 'none' }),
    ).toMatchObject({ ok: false, contradiction: true });
    expect(validateValue(LlmRiskReviewAnswerSchema, { concerns: ['leverage 5 into CPI'], severity: 'soft' }).ok).toBe(
      true,
    );
    expect(validateValue(LlmRiskReviewAnswerSchema, { concerns: [], severity: 'none' }).ok).toBe(true);
  });
});
