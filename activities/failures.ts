import { ApplicationFailure } from '@temporalio/common';
import { ZodError } from 'zod';
import { ClassifiedError, FailureType } from '../domain/failures';

/**
 * Maps what an adapter threw to what Temporal should do (model: sdk-typescript's
 * `toModelInvocationFailure`): classified errors keep their dotted type, retryability and
 * Retry-After; schema violations are non-retryable `Data.Invalid`; anything else retries.
 */
export function toActivityFailure(err: unknown): unknown {
  if (err instanceof ApplicationFailure) return err;
  if (err instanceof ClassifiedError) {
    return ApplicationFailure.create({
      type: err.type,
      message: err.message,
      nonRetryable: !err.retryable,
      ...(err.retryAfterMs !== null ? { nextRetryDelay: err.retryAfterMs } : {}),
      // Billed work before the failure travels with it, so the fallback step can still charge it.
      ...(err.usage !== null ? { details: [{ usage: err.usage }] } : {}),
    });
  }
  if (err instanceof ZodError) {
    return ApplicationFailure.create({
      type: FailureType.DataInvalid,
      message: `invalid data: ${err.message}`,
      nonRetryable: true,
    });
  }
  return err;
}

/** Wraps an activity so every failure leaves it classified. */
export function classified<A extends unknown[], R>(fn: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
  return async (...args: A) => {
    try {
      return await fn(...args);
    } catch (err) {
      throw toActivityFailure(err);
    }
  };
}
