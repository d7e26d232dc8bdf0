import {
  LlmForecastAnswerSchema,
  LlmRiskReviewAnswerSchema,
  llmStyleAnswerSchema,
  type StyleId,
  type StyleRule,
} from '../schemas/llm-outputs';
import { STYLE_METHODS } from '../trader/styles';

/**
 * The contracts the LLM steps hand to the shared LLM: field rules plus agreement rules. One import
 * for the activities; the T-A rules are read off the style inventory so the bands live in one place.
 */
const STYLE_RULES = Object.fromEntries(
  STYLE_METHODS.map((s) => [s.id, { orderType: s.orderType, leverage: s.bands.leverage }]),
) as Record<StyleId, StyleRule>;

export const LlmStyleAnswerSchema = llmStyleAnswerSchema(STYLE_RULES);
export { LlmForecastAnswerSchema, LlmRiskReviewAnswerSchema };
