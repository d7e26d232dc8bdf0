import { describeSchema } from '../../../domain/llm/build-prompt';
import { toGrammarSchema } from '../../../domain/llm/grammar-schema';
import {
  LlmForecastAnswerSchema,
  LlmRiskReviewAnswerSchema,
  LlmStyleAnswerSchema,
} from '../../../domain/llm/answer-schemas';

describe('toGrammarSchema: the step contract as a GBNF JSON schema', () => {
  test('R-A: numbers keep their type but lose the ranges a grammar cannot state; the rationale is capped', () => {
    expect(toGrammarSchema(describeSchema(LlmForecastAnswerSchema), 64)).toEqual({
      type: 'object',
      additionalProperties: false,
      properties: {
        pUp: { type: 'number' },
        expectedReturn: { type: 'number' },
        horizonBars: { type: 'integer' },
        rationale: { type: 'string', maxLength: 64 },
      },
    });
  });

  test('T-A: the style and order type stay enums, so the model can only name inventory styles', () => {
    const grammar = toGrammarSchema(describeSchema(LlmStyleAnswerSchema), 400) as {
      properties: Record<string, unknown>;
    };
    expect(grammar.properties.style).toEqual({
      enum: ['trend_swing', 'mean_reversion', 'breakout', 'funding_carry', 'stand_aside'],
    });
    expect(grammar.properties.orderType).toEqual({ enum: ['market', 'limit'] });
    expect(grammar.properties.rationale).toEqual({ type: 'string', maxLength: 400 });
  });

  test('M-A: arrays keep their item type and count limit', () => {
    expect(toGrammarSchema(describeSchema(LlmRiskReviewAnswerSchema), 100)).toMatchObject({
      properties: {
        concerns: { type: 'array', items: { type: 'string', maxLength: 100 }, maxItems: 5 },
        severity: { enum: ['none', 'soft'] },
      },
    });
  });

  test('a shorter schema limit wins over the cap, and min lengths never exceed the max', () => {
    expect(toGrammarSchema({ type: 'string', minLength: 1, maxLength: 10 }, 64)).toEqual({
      type: 'string',
      minLength: 1,
      maxLength: 10,
    });
    expect(toGrammarSchema({ type: 'string', minLength: 50 }, 20)).toEqual({
      type: 'string',
      minLength: 20,
      maxLength: 20,
    });
  });

  test('anything the grammar cannot express gives null (generation then runs unconstrained)', () => {
    expect(toGrammarSchema({}, 64)).toBeNull();
    expect(toGrammarSchema({ type: 'object', properties: { x: { not: { type: 'string' } } } }, 64)).toBeNull();
    expect(toGrammarSchema(null, 64)).toBeNull();
  });
});
