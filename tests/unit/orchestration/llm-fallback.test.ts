import { ActivityFailure, ApplicationFailure, RetryState } from '@temporalio/common';
import { ClassifiedError, FailureType } from '../../../domain/failures';
import { failedUsageOf, withLlmFallback } from '../../../domain/orchestration/llm-fallback';
import { addUsage, ZERO_USAGE, type Provenance } from '../../../domain/schemas/llm';
import type { StepContext } from '../../../domain/schemas/steps';

const ctx: StepContext = { sessionId: 's', iterationId: 'i', barCloseMs: 0, round: 1, symbol: 'BTC/USDT:USDT' };
const billed = { ...ZERO_USAGE, calls: 3, tokensIn: 300, tokensOut: 60, costUsd: 0.001, invalidOutputs: 3 };

type Out = { answer: string; provenance: Provenance };
const heuristicOut = (): Out => ({
  answer: 'heuristic',
  provenance: { source: 'heuristic', hash: null, model: null, warning: null, usage: ZERO_USAGE },
});

describe('withLlmFallback charges the failed LLM work to the fallback step', () => {
  test('in-process: the ClassifiedError usage, one fallback and its failure type', async () => {
    const seen: boolean[] = [];
    const out = await withLlmFallback(
      async (input: { ctx: StepContext }) => {
        seen.push(input.ctx.heuristicOnly === true);
        if (!input.ctx.heuristicOnly)
          throw new ClassifiedError(
            FailureType.LlmInvalidOutput,
            'reply invalid after 3 attempts',
            false,
            null,
            billed,
          );
        return heuristicOut();
      },
      { ctx },
    );
    expect(seen).toEqual([false, true]);
    expect(out.provenance.source).toBe('fallback');
    expect(out.provenance.warning).toMatch(/Llm\.InvalidOutput: reply invalid after 3 attempts/);
    expect(out.provenance.usage).toEqual(
      addUsage(billed, { ...ZERO_USAGE, fallbacks: 1, failures: { 'Llm.InvalidOutput': 1 } }),
    );
  });

  test('under Temporal: the usage in the ApplicationFailure details under an ActivityFailure', () => {
    const app = ApplicationFailure.create({
      type: FailureType.LlmServerError,
      message: 'server error 500',
      details: [{ usage: billed }],
    });
    const activity = new ActivityFailure(
      'Activity task failed',
      'T-A.chooseStyle',
      '7',
      RetryState.MAXIMUM_ATTEMPTS_REACHED,
      'worker',
      app,
    );
    expect(failedUsageOf(activity)).toEqual(billed);
  });

  test('a failure without billed replies charges zero usage', () => {
    expect(failedUsageOf(new ClassifiedError(FailureType.LlmTimeout, 'timed out', true))).toEqual(ZERO_USAGE);
  });

  test('non-LLM failures propagate untouched', async () => {
    const boom = new ClassifiedError(FailureType.DataInvalid, 'bad row', false);
    await expect(
      withLlmFallback(
        async () => {
          throw boom;
        },
        { ctx },
      ),
    ).rejects.toBe(boom);
  });
});
