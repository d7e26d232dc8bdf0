import { formatIsoUtc } from '../metrics/civil-time';

/** 2009-01-03, Bitcoin's genesis block: no BTC market data is older. */
export const MIN_PLAUSIBLE_MS = 1_230_940_800_000;
/** 2100-01-01: far enough ahead for any real file, close enough to catch microseconds and nanoseconds. */
export const MAX_PLAUSIBLE_MS = 4_102_444_800_000;

/**
 * Why a `timestamp_ms` value cannot be epoch milliseconds of BTC data, naming the unit it looks
 * like (seconds, microseconds, nanoseconds), or null when it is plausible.
 */
export function findTimestampUnitProblem(t: number): string | null {
  if (t >= MIN_PLAUSIBLE_MS && t < MAX_PLAUSIBLE_MS) return null;
  const guesses: [string, number][] = [
    ['seconds', t * 1000],
    ['microseconds', t / 1000],
    ['nanoseconds', t / 1e6],
  ];
  const guess = guesses.find(([, ms]) => ms >= MIN_PLAUSIBLE_MS && ms < MAX_PLAUSIBLE_MS);
  if (guess)
    return `timestamp ${t} looks like ${guess[0]} (read as ${guess[0]} it is ${formatIsoUtc(Math.round(guess[1]))}); timestamp_ms must be epoch milliseconds`;
  return `timestamp ${t} is ${t < MIN_PLAUSIBLE_MS ? 'before 2009-01-03' : 'after 2100'} read as epoch milliseconds: not a BTC market time`;
}
