/** Durations in milliseconds and the bar grid: bars close at whole multiples of the bar length since the epoch. */
export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

/** The grid point at or before `ms` (a live tick's bar close: the bar that has just closed). */
export function gridAtOrBefore(ms: number, stepMs: number): number {
  return Math.floor(ms / stepMs) * stepMs;
}

/** The grid point at or after `ms` (the first bar close a window starting at `ms` contains). */
export function gridAtOrAfter(ms: number, stepMs: number): number {
  return Math.ceil(ms / stepMs) * stepMs;
}
