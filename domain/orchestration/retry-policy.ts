import { NON_RETRYABLE_FAILURES } from '../failures';

/**
 * The one retry policy of the activity steps, as data: the Temporal proxies turn it into a
 * RetryPolicy, and the fast runner's direct calls follow it with `nextRetryDelayMs`, so both
 * runners send the same requests to a failing server and wait the same times.
 */
export interface StepRetryPolicy {
  initialIntervalMs: number;
  backoffCoefficient: number;
  maximumIntervalMs: number;
  /** Attempts in all, the first included. */
  maximumAttempts: number;
  nonRetryableErrorTypes: readonly string[];
}

export const STEP_RETRY_POLICY: StepRetryPolicy = {
  initialIntervalMs: 1_000,
  backoffCoefficient: 2,
  maximumIntervalMs: 60_000,
  maximumAttempts: 8,
  nonRetryableErrorTypes: NON_RETRYABLE_FAILURES,
};

/** What the retry decision needs to know about a failed attempt. */
export interface FailedAttempt {
  type: string | null;
  nonRetryable: boolean;
  /** The server's Retry-After (the failure's nextRetryDelay), which wins over the backoff as in Temporal. */
  nextRetryDelayMs: number | null;
}

/**
 * Delay before the next attempt after attempt number `attempt` (1-based) failed, or null to give up:
 * non-retryable failures and the last attempt end the step; otherwise the server's Retry-After, else
 * exponential backoff capped at the maximum interval (Temporal's semantics).
 */
export function nextRetryDelayMs(policy: StepRetryPolicy, attempt: number, failure: FailedAttempt): number | null {
  if (failure.nonRetryable) return null;
  if (failure.type !== null && policy.nonRetryableErrorTypes.includes(failure.type)) return null;
  if (attempt >= policy.maximumAttempts) return null;
  if (failure.nextRetryDelayMs !== null) return failure.nextRetryDelayMs;
  return Math.min(policy.initialIntervalMs * policy.backoffCoefficient ** (attempt - 1), policy.maximumIntervalMs);
}
