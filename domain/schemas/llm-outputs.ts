import { z } from 'zod';
import { addContradiction, directionOfProbability, directionOfText } from '../llm/agreement';
import { ForecastSchema } from './research';
import { LlmRiskReviewSchema } from './risk-review';
import { ExecutionStyleSchema } from './trade';

/**
 * What the LLM itself must return for the LLM-driven research and trader steps. The activity layer
 * validates a reply against these, then the domain maps it into the step's full contract
 * (ForecastSchema, ExecutionStyleSchema) adding ids, provenance and clamping to the inventory's bands.
 * The `*AnswerSchema`s add the agreement rules (domain/llm/agreement.ts) that every LLM answer must
 * pass whatever the provider; the plain schemas stay refinement-free for the offline reasoner's values.
 */

/** R-A (llm_narrative): the model's direction probability and expected log return, ranges from ForecastSchema. */
export const LlmForecastSchema = ForecastSchema.pick({
  pUp: true,
  expectedReturn: true,
  horizonBars: true,
  rationale: true,
});
export type LlmForecast = z.infer<typeof LlmForecastSchema>;

/** R-A as the LLM must answer it: the expected return and the rationale agree with the direction pUp states. */
export const LlmForecastAnswerSchema = LlmForecastSchema.superRefine((f, ctx) => {
  const direction = directionOfProbability(f.pUp);
  if (direction === 'up' && f.expectedReturn < 0) {
    addContradiction(
      ctx,
      ['expectedReturn'],
      `pUp ${f.pUp} says up but expectedReturn ${f.expectedReturn} is negative`,
    );
  }
  if (direction === 'down' && f.expectedReturn > 0) {
    addContradiction(
      ctx,
      ['expectedReturn'],
      `pUp ${f.pUp} says down but expectedReturn ${f.expectedReturn} is positive`,
    );
  }
  const told = directionOfText(f.rationale);
  if (direction !== 'none' && told !== 'none' && told !== direction) {
    addContradiction(ctx, ['rationale'], `pUp ${f.pUp} says ${direction} but the rationale says ${told}`);
  }
});

/** Ids of the T-A execution-style inventory (domain/trader/styles.ts defines each one). */
export const StyleIdSchema = z.enum(['trend_swing', 'mean_reversion', 'breakout', 'funding_carry', 'stand_aside']);
export type StyleId = z.infer<typeof StyleIdSchema>;

/** T-A: a style from the inventory plus its parameters, ranges from ExecutionStyleSchema (one home). */
export const LlmStyleSchema = z.object({ style: StyleIdSchema }).extend(
  ExecutionStyleSchema.pick({
    orderType: true,
    limitOffsetAtr: true,
    takeProfitAtr: true,
    stopLossAtr: true,
    leverageMin: true,
    leverageMax: true,
    horizonBars: true,
    rationale: true,
  }).shape,
);
export type LlmStyle = z.infer<typeof LlmStyleSchema>;

/** What the T-A agreement rules need of each style: its fixed order type and leverage band. */
export interface StyleRule {
  orderType: 'market' | 'limit';
  leverage: readonly [number, number];
}

/**
 * T-A as the LLM must answer it: leverageMin ≤ leverageMax, the leverage band inside the chosen style's
 * band, and the style's own order type. Take-profit and stop are positive ATR distances here (the schema
 * says so), so they cannot sit on the wrong side; T-B turns them into prices and M-A's
 * stop_take_profit_consistency check verifies the sides of the order.
 */
export function llmStyleAnswerSchema(rules: Readonly<Record<StyleId, StyleRule>>) {
  return LlmStyleSchema.superRefine((s, ctx) => {
    const rule = rules[s.style];
    if (s.leverageMin > s.leverageMax) {
      addContradiction(ctx, ['leverageMin'], `leverageMin ${s.leverageMin} is above leverageMax ${s.leverageMax}`);
    }
    const [lo, hi] = rule.leverage;
    if (s.leverageMin < lo || s.leverageMax > hi) {
      addContradiction(
        ctx,
        ['leverageMax'],
        `style ${s.style} allows leverage ${lo}–${hi}, got ${s.leverageMin}–${s.leverageMax}`,
      );
    }
    if (s.orderType !== rule.orderType) {
      addContradiction(ctx, ['orderType'], `style ${s.style} trades with ${rule.orderType} orders, got ${s.orderType}`);
    }
  });
}

/** M-A review as the LLM must answer it: a soft objection names a concern, and "no objection" lists none. */
export const LlmRiskReviewAnswerSchema = LlmRiskReviewSchema.superRefine((r, ctx) => {
  const named = r.concerns.filter((c) => c.trim().length > 0).length;
  if (r.severity === 'soft' && named === 0)
    addContradiction(ctx, ['concerns'], 'severity "soft" but no concern is named');
  if (r.severity === 'none' && named > 0)
    addContradiction(ctx, ['severity'], `severity "none" but ${named} concern(s) are listed`);
});
