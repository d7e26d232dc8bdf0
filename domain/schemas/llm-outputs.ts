import { z } from 'zod';

/**
 * What the LLM itself must return for the LLM-driven research and trader steps. The activity layer
 * validates a reply against these, then the domain maps it into the step's full contract
 * (ForecastSchema, ExecutionStyleSchema) adding ids, provenance and clamping to the inventory's bands.
 */

/** R-A (llm_narrative): the model's direction probability and expected log return. Ranges as in ForecastSchema. */
export const LlmForecastSchema = z.object({
  pUp: z.number().min(0).max(1),
  expectedReturn: z.number().min(-1).max(1),
  horizonBars: z.number().int().min(1).max(180),
  rationale: z.string().max(600),
});
export type LlmForecast = z.infer<typeof LlmForecastSchema>;

/** Ids of the T-A execution-style inventory (domain/trader/styles.ts defines each one). */
export const StyleIdSchema = z.enum(['trend_swing', 'mean_reversion', 'breakout', 'funding_carry', 'stand_aside']);
export type StyleId = z.infer<typeof StyleIdSchema>;

/** T-A: a style from the inventory plus its parameters. Ranges as in ExecutionStyleSchema. */
export const LlmStyleSchema = z.object({
  style: StyleIdSchema,
  orderType: z.enum(['market', 'limit']),
  limitOffsetAtr: z.number().min(0).max(3),
  takeProfitAtr: z.number().positive().max(20),
  stopLossAtr: z.number().positive().max(10),
  leverageMin: z.number().min(1).max(125),
  leverageMax: z.number().min(1).max(125),
  horizonBars: z.number().int().min(1).max(180),
  rationale: z.string().max(600),
});
export type LlmStyle = z.infer<typeof LlmStyleSchema>;
