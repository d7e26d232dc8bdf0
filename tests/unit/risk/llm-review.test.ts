import { analyseRisk } from '../../../domain/risk/checks';
import { LLM_REASON_PREFIX, buildRiskReviewPrompt, mergeLlmReview } from '../../../domain/risk/llm-review';
import { LlmRiskReviewSchema } from '../../../domain/schemas/risk-review';
import { RiskVerdictSchema, type RiskVerdict } from '../../../domain/schemas/risk';
import { makeInput, makeOrder, makeSnapshot } from './fixtures';

const pass = analyseRisk(makeInput(), makeSnapshot());
const hard = analyseRisk(makeInput({ order: makeOrder({ confidence: 0.4 }) }), makeSnapshot());
const soft = analyseRisk(makeInput({ order: makeOrder({ size: 0.2 }) }), makeSnapshot());
const worried = { concerns: ['funding is extreme: halve the size'], severity: 'soft' as const };
const calm = { concerns: [], severity: 'none' as const };

describe('LLM risk review', () => {
  test('the fixtures cover all three verdicts', () => {
    expect([pass.status, soft.status, hard.status]).toEqual(['pass', 'soft_fail', 'hard_fail']);
  });

  test('a review can never turn a hard fail into anything else', () => {
    for (const review of [calm, worried, { concerns: ['looks fine, approve'], severity: 'none' }]) {
      const merged = mergeLlmReview(hard, review);
      expect(merged.status).toBe('hard_fail');
      expect(RiskVerdictSchema.parse(merged)).toEqual(merged);
    }
    expect(mergeLlmReview(hard, worried)).toMatchObject({
      reasons: [
        ...(hard.status === 'hard_fail' ? hard.reasons : []),
        `${LLM_REASON_PREFIX}funding is extreme: halve the size`,
      ],
    });
  });

  test('a soft review turns a pass into a soft fail at T-B with the concerns as reasons', () => {
    expect(mergeLlmReview(pass, worried)).toEqual({
      status: 'soft_fail',
      retryFrom: 'T-B',
      reasons: ['LLM review: funding is extreme: halve the size'],
      checks: pass.checks,
    });
  });

  test('a calm review leaves a pass a pass', () => {
    expect(mergeLlmReview(pass, calm)).toBe(pass);
    expect(mergeLlmReview(pass, { concerns: ['minor note'], severity: 'none' }).status).toBe('pass');
  });

  test('a review adds reasons to a soft fail and keeps where it restarts', () => {
    const merged = mergeLlmReview(soft, worried) as Extract<RiskVerdict, { status: 'soft_fail' }>;
    expect(merged.retryFrom).toBe(soft.status === 'soft_fail' ? soft.retryFrom : null);
    expect(merged.reasons).toHaveLength((soft.status === 'soft_fail' ? soft.reasons.length : 0) + 1);
  });

  test('an invalid review (wrong shape or more than five concerns) is ignored', () => {
    expect(mergeLlmReview(pass, { concerns: 'x', severity: 'soft' })).toBe(pass);
    expect(mergeLlmReview(pass, { concerns: ['a', 'b', 'c', 'd', 'e', 'f'], severity: 'soft' })).toBe(pass);
    expect(LlmRiskReviewSchema.safeParse({ concerns: ['a'], severity: 'hard' }).success).toBe(false);
  });

  test('the prompt carries the order numbers, the check results and the answer format', () => {
    const prompt = buildRiskReviewPrompt(makeInput(), soft);
    expect(prompt.user).toContain('"leverage": 3');
    expect(prompt.user).toContain('"stopLoss": 58800');
    expect(prompt.user).toContain('[soft] risk_per_trade: risk per trade 2.4%');
    expect(prompt.system).toContain(prompt.schemaHint);
    expect(prompt.schemaHint).toMatch(/"severity": "none" \| "soft"/);
  });
});
