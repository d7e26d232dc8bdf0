import { ApplicationFailure, msToNumber } from '@temporalio/common';
import { nextRetryDelayMs, type FailedAttempt, type StepRetryPolicy } from '../domain/orchestration/retry-policy';

/** Waits `ms` before a retry; injected so tests observe the delays instead of waiting them. */
export type Sleep = (ms: number) => Promise<void>;

export const sleepFor: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A direct activity call retried as Temporal retries the proxied one (same policy, same
 * Retry-After): the fast runner's steps then make the same requests to a failing server.
 */
export function withDirectRetry<I, O>(
  fn: (input: I) => Promise<O>,
  policy: StepRetryPolicy,
  sleep: Sleep,
): (input: I) => Promise<O> {
  return async (input: I) => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await fn(input);
      } catch (err) {
        const delay = nextRetryDelayMs(policy, attempt, failedAttemptOf(err));
        if (delay === null) throw err;
        await sleep(delay);
      }
    }
  };
}

/** Activities throw ApplicationFailures (activities/failures.ts); anything else retries, as under Temporal. */
function failedAttemptOf(err: unknown): FailedAttempt {
  if (!(err instanceof ApplicationFailure)) return { type: null, nonRetryable: false, nextRetryDelayMs: null };
  return {
    type: err.type ?? null,
    nonRetryable: err.nonRetryable === true,
    nextRetryDelayMs:
      err.nextRetryDelay === undefined || err.nextRetryDelay === null ? null : msToNumber(err.nextRetryDelay),
  };
}
