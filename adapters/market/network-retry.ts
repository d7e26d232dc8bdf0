import { ccxtLib } from '../exchange/ccxt-lib';

/** Options of {@link retryNetworkErrors}. */
export interface RetryOptions {
  /** Total attempts including the first. @default 5 */
  attempts?: number;
  /** Delay before the first retry; doubles each time. @default 500 */
  baseDelayMs?: number;
  /** Cap on one delay. @default 8000 */
  maxDelayMs?: number;
  /** How to wait (tests pass an instant one). @default setTimeout */
  sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** True for ccxt's transient errors: NetworkError and its subclasses (RequestTimeout, RateLimitExceeded, DDoSProtection, ExchangeNotAvailable...). */
export function isTransient(e: unknown): boolean {
  return e instanceof ccxtLib().NetworkError;
}

/**
 * Runs `fn`, retrying ccxt NetworkErrors with exponential backoff (base·2^k, capped) up to
 * `attempts` times; any other error, or the last transient one, propagates with its own class.
 */
export async function retryNetworkErrors<T>(fn: () => Promise<T>, opts: RetryOptions = {}): Promise<T> {
  const attempts = Math.max(1, opts.attempts ?? 5);
  const base = opts.baseDelayMs ?? 500;
  const cap = opts.maxDelayMs ?? 8000;
  const sleep = opts.sleep ?? defaultSleep;
  for (let k = 0; ; k++) {
    try {
      return await fn();
    } catch (e) {
      if (!isTransient(e) || k + 1 >= attempts) throw e;
      await sleep(Math.min(cap, base * 2 ** k));
    }
  }
}
