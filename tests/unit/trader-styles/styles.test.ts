import { UnknownMethodError } from '../../../domain/methods/method-definition';
import { LlmStyleSchema, type LlmStyle } from '../../../domain/schemas/llm-outputs';
import { type ChooseStyleInput } from '../../../domain/schemas/steps';
import { ExecutionStyleSchema } from '../../../domain/schemas/trade';
import { buildStylePrompt, STYLE_SCHEMA_HINT } from '../../../domain/trader/style-prompt';
import { chooseStyleHeuristic, STYLE_METHODS, styleFromLlm } from '../../../domain/trader/styles';
import { CTX, makeReport, makeSummary, TRADER } from '../research/fixtures';

function makeInput(
  id: string,
  over: { feedback?: string[]; report?: Parameters<typeof makeReport>[0]; headlines?: string[] } = {},
): ChooseStyleInput {
  return {
    ctx: CTX,
    agent: TRADER,
    method: { id, params: {} },
    research: makeReport(over.report),
    snapshot: makeSummary({ headlines: over.headlines ?? [] }),
    feedback: over.feedback ?? [],
  };
}

const LLM_OUT: LlmStyle = {
  style: 'trend_swing',
  orderType: 'limit',
  limitOffsetAtr: 2,
  takeProfitAtr: 19,
  stopLossAtr: 0.2,
  leverageMin: 60,
  leverageMax: 50,
  horizonBars: 150,
  rationale: 'ride it',
};

describe('chooseStyleHeuristic', () => {
  it.each(STYLE_METHODS.filter((s) => s.id !== 'funding_carry').map((s) => s.id))(
    '%s yields a schema-valid style with its fixed order type',
    (id) => {
      const style = chooseStyleHeuristic(makeInput(id));
      expect(ExecutionStyleSchema.safeParse(style).success).toBe(true);
      const def = STYLE_METHODS.find((s) => s.id === id);
      expect(style.orderType).toBe(def?.orderType);
      expect(style.standAside).toBe(id === 'stand_aside');
      if (style.orderType === 'market') expect(style.limitOffsetAtr).toBe(0);
    },
  );

  it('stands aside when the research is flat or below the minimum confidence', () => {
    expect(chooseStyleHeuristic(makeInput('trend_swing', { report: { action: 'flat' } })).standAside).toBe(true);
    const weak = chooseStyleHeuristic(makeInput('trend_swing', { report: { confidence: 0.51 } }));
    expect(weak.standAside).toBe(true);
    expect(weak.rationale).toContain('below minimum');
  });

  it('funding_carry trades only the side that receives funding', () => {
    expect(
      chooseStyleHeuristic(makeInput('funding_carry', { report: { action: 'long', fundingRate: 0.0003 } })).standAside,
    ).toBe(true);
    expect(
      chooseStyleHeuristic(makeInput('funding_carry', { report: { action: 'short', fundingRate: 0.0003 } })).standAside,
    ).toBe(false);
    expect(
      chooseStyleHeuristic(makeInput('funding_carry', { report: { action: 'long', fundingRate: -0.0002 } })).method,
    ).toBe('funding_carry');
  });

  it('caps the leverage band at the research maxLeverage', () => {
    const style = chooseStyleHeuristic(makeInput('breakout', { report: { maxLeverage: 2 } }));
    expect(style.leverageMax).toBeLessThanOrEqual(2);
    expect(style.leverageMin).toBeLessThanOrEqual(style.leverageMax);
  });

  it('"leverage 8 above max 5" feedback lowers the leverage band below the limit', () => {
    const before = chooseStyleHeuristic(makeInput('breakout'));
    const after = chooseStyleHeuristic(makeInput('breakout', { feedback: ['leverage 8 above max 5: use at most 5'] }));
    expect(after.leverageMax).toBeLessThan(before.leverageMax);
    expect(after.leverageMax).toBeLessThan(5);
    expect(after.leverageMin).toBeLessThanOrEqual(after.leverageMax);
    expect(after.rationale).toContain('leverage capped');
  });

  it('size-type feedback (risk per trade, CVaR, notional) widens the stop so the order builder sizes down', () => {
    const before = chooseStyleHeuristic(makeInput('trend_swing'));
    const after = chooseStyleHeuristic(
      makeInput('trend_swing', {
        feedback: ['risk per trade 3.1% of equity above max 2.0%: reduce size to at most 0.1 BTC'],
      }),
    );
    expect(after.stopLossAtr).toBeGreaterThan(before.stopLossAtr);
    expect(after.leverageMax).toBeLessThanOrEqual(before.leverageMax);
  });

  it('liquidation feedback cuts leverage, and each further round is more conservative still', () => {
    const liq = 'liquidation price 48000 inside stop buffer';
    const once = chooseStyleHeuristic(makeInput('trend_swing', { feedback: [liq] }));
    const twice = chooseStyleHeuristic(makeInput('trend_swing', { feedback: [liq, liq] }));
    expect(once.leverageMax).toBeLessThan(chooseStyleHeuristic(makeInput('trend_swing')).leverageMax);
    expect(twice.leverageMax).toBeLessThan(once.leverageMax);
    expect(twice.leverageMax).toBeGreaterThanOrEqual(1);
  });

  it('throws UnknownMethodError for a style outside the inventory', () => {
    expect(() => chooseStyleHeuristic(makeInput('yolo'))).toThrow(UnknownMethodError);
  });
});

describe('styleFromLlm', () => {
  it('clamps an out-of-band answer into the band of the chosen style and the research leverage cap', () => {
    expect(LlmStyleSchema.safeParse(LLM_OUT).success).toBe(true);
    const style = styleFromLlm(LLM_OUT, makeInput('trend_swing', { report: { maxLeverage: 4 } }));
    expect(ExecutionStyleSchema.safeParse(style).success).toBe(true);
    expect(style).toMatchObject({
      method: 'trend_swing',
      orderType: 'market',
      limitOffsetAtr: 0,
      takeProfitAtr: 6,
      stopLossAtr: 1,
      horizonBars: 30,
      leverageMax: 4,
    });
    expect(style.leverageMin).toBeLessThanOrEqual(style.leverageMax);
  });

  it('honours a leverage cap named in the feedback even if the model ignored it', () => {
    const style = styleFromLlm(
      { ...LLM_OUT, leverageMin: 5, leverageMax: 5 },
      makeInput('trend_swing', { feedback: ['leverage 5 above max 3: use at most 3'] }),
    );
    expect(style.leverageMax).toBeLessThan(3);
  });

  it('forces stand_aside when the research is flat, whatever the model chose', () => {
    const style = styleFromLlm(LLM_OUT, makeInput('trend_swing', { report: { action: 'flat' } }));
    expect(style.standAside).toBe(true);
    expect(style.method).toBe('stand_aside');
  });
});

describe('buildStylePrompt', () => {
  it('carries the schema hint, the research, the fresh headlines and the risk feedback', () => {
    const input = makeInput('mean_reversion', {
      feedback: ['leverage 8 above max 5: use at most 5'],
      headlines: ['FOMC decision due tonight'],
    });
    const prompt = buildStylePrompt(input);
    expect(prompt.schemaHint).toBe(STYLE_SCHEMA_HINT);
    for (const key of Object.keys(LlmStyleSchema.shape)) expect(prompt.schemaHint).toContain(`"${key}"`);
    for (const s of STYLE_METHODS) expect(prompt.schemaHint).toContain(`"${s.id}"`);
    const body = JSON.parse(prompt.user) as { research: unknown; headlines: string[]; riskFeedback: string[] };
    expect(body.research).toEqual(input.research);
    expect(body.headlines).toEqual(['FOMC decision due tonight']);
    expect(body.riskFeedback).toEqual(['leverage 8 above max 5: use at most 5']);
    expect(prompt.system).toContain('mean_reversion');
  });

  it('uses only the input: equal inputs give equal prompts and no timestamp after the bar close', () => {
    const a = buildStylePrompt(makeInput('breakout'));
    expect(a).toEqual(buildStylePrompt(makeInput('breakout')));
    for (const iso of (a.system + a.user).match(/\d{4}-\d{2}-\d{2}T[\d:.]+Z/g) ?? [])
      expect(Date.parse(iso)).toBeLessThanOrEqual(CTX.barCloseMs);
  });
});
