import { z } from 'zod';
import { ForecastSchema } from './research';
import { ExecutionStyleSchema } from './trade';

/**
 * What the LLM itself must return for the LLM-driven research and trader steps. The activity layer
 * validates a reply against these, then the domain maps it into the step's full contract
 * (ForecastSchema, ExecutionStyleSchema) adding ids, provenance and clamping to the inventory's bands.
 */

/** R-A (llm_narrative): the model's direction probability and expected log return, ranges from ForecastSchema. */
export const LlmForecastSchema = ForecastSchema.pick({ pUp: true, expectedReturn: true, horizonBars: true, rationale: true });
export type LlmForecast = z.infer<typeof LlmForecastSchema>;

/** Ids of the T-A execution-style inventory (domain/trader/styles.ts defines each one). */
export const StyleIdSchema = z.enum(['trend_swing', 'mean_reversion', 'breakout', 'funding_carry', 'stand_aside']);
export type StyleId = z.infer<typeof StyleIdSchema>;

/** T-A: a style from the inventory plus its parameters, ranges from ExecutionStyleSchema (one home). */
export const LlmStyleSchema = z.object({ style: StyleIdSchema }).extend(
  ExecutionStyleSchema.pick({
    orderType: true, limitOffsetAtr: true, takeProfitAtr: true, stopLossAtr: true,
    leverageMin: true, leverageMax: true, horizonBars: true, rationale: true,
  }).shape,
);
export type LlmStyle = z.infer<typeof LlmStyleSchema>;
