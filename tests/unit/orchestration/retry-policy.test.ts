import { FailureType } from '../../../domain/failures';
import { nextRetryDelayMs, STEP_RETRY_POLICY } from '../../../domain/orchestration/retry-policy';

const transient = { type: FailureType.LlmServerError, nonRetryable: false, nextRetryDelayMs: null };

describe('the shared step retry policy', () => {
  test('backs off exponentially from 1 s, capped at 1 min, and gives up after the 8th attempt', () => {
    const delays = [1, 2, 3, 4, 5, 6, 7, 8].map((attempt) => nextRetryDelayMs(STEP_RETRY_POLICY, attempt, transient));
    expect(delays).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, null]);
  });

  test("the server's Retry-After wins over the backoff", () => {
    expect(
      nextRetryDelayMs(STEP_RETRY_POLICY, 1, {
        ...transient,
        type: FailureType.LlmRateLimited,
        nextRetryDelayMs: 7_000,
      }),
    ).toBe(7_000);
  });

  test('non-retryable failures end the step at once, by flag or by type', () => {
    expect(nextRetryDelayMs(STEP_RETRY_POLICY, 1, { ...transient, nonRetryable: true })).toBeNull();
    for (const type of [FailureType.LlmAuth, FailureType.LlmInvalidOutput, FailureType.LlmBadRequest]) {
      expect(nextRetryDelayMs(STEP_RETRY_POLICY, 1, { type, nonRetryable: false, nextRetryDelayMs: null })).toBeNull();
    }
  });

  test('an unclassified error retries, as Temporal retries it', () => {
    expect(nextRetryDelayMs(STEP_RETRY_POLICY, 2, { type: null, nonRetryable: false, nextRetryDelayMs: null })).toBe(
      2_000,
    );
  });
});
