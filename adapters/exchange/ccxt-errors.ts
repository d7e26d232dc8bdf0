import type * as Ccxt from 'ccxt';
import { ccxtLib } from './ccxt-lib';
import { ClassifiedError, FailureType } from '../../domain/failures';

/**
 * Map a ccxt error to a ClassifiedError, the way the Temporal samples map vendor errors: rate limits
 * and network trouble retry (honouring Retry-After), everything the venue refused for a reason
 * that a retry cannot change does not. Subclasses are tested before their parents (ccxt's
 * hierarchy: RateLimitExceeded ⊂ DDoSProtection ⊂ NetworkError; RequestTimeout ⊂ NetworkError).
 */
export function classifyCcxtError(error: unknown, retryAfterMs: number | null = null): ClassifiedError {
  if (error instanceof ClassifiedError) return error;
  const ccxt = ccxtLib();
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof ccxt.RateLimitExceeded || error instanceof ccxt.DDoSProtection) {
    return new ClassifiedError(FailureType.ExchangeRateLimited, message, true, retryAfterMs);
  }
  if (error instanceof ccxt.NetworkError)
    return new ClassifiedError(FailureType.ExchangeNetwork, message, true, retryAfterMs);
  if (error instanceof ccxt.InsufficientFunds)
    return new ClassifiedError(FailureType.ExchangeInsufficientFunds, message, false);
  if (
    error instanceof ccxt.AuthenticationError ||
    error instanceof ccxt.PermissionDenied ||
    error instanceof ccxt.AccountSuspended
  ) {
    return new ClassifiedError(FailureType.ExchangeAuth, message, false);
  }
  if (error instanceof ccxt.InvalidOrder || error instanceof ccxt.BadRequest || error instanceof ccxt.BadSymbol) {
    return new ClassifiedError(FailureType.ExchangeInvalidOrder, message, false);
  }
  return new ClassifiedError(FailureType.ExchangeRejected, message, false);
}

/** True for errors after which the request may or may not have reached the venue. */
export function isAmbiguousFailure(error: unknown): boolean {
  const ccxt = ccxtLib();
  return (
    error instanceof ccxt.RequestTimeout ||
    (error instanceof ccxt.NetworkError && !(error instanceof ccxt.DDoSProtection))
  );
}

/** Retry-After of the last response, in ms (the header is in seconds; RFC 9110 §10.2.3). */
export function readRetryAfterMs(exchange: Ccxt.Exchange): number | null {
  const headers = (exchange.last_response_headers ?? {}) as Record<string, string | undefined>;
  const value = headers['Retry-After'] ?? headers['retry-after'];
  const seconds = value === undefined ? NaN : Number(value);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : null;
}
