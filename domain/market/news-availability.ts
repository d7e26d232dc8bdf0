import { DAY_MS, HOUR_MS } from './time-grid';

/** Share of whole-hour stamps from which a file may be date-only (real feeds: ≤ 5% vs ≥ 99%). */
const DATE_ONLY_SHARE = 0.9;
/** A date-only feed stamps each day at one local midnight: one hour of the UTC day, two with daylight saving. */
const DATE_ONLY_MAX_HOURS = 2;
/** Longest headline kept; longer ones are cut (a 10 MB "headline" must not become a 10 MB prompt). */
export const NEWS_HEADLINE_MAX_CHARS = 300;

/**
 * Delay before a file's items count as available, decided from the timestamps themselves (never
 * from the file's name). Stamps with real time-of-day precision are available at once. A file
 * whose stamps sit almost all on one or two whole hours of the day carries dates, not times (the Google News feed stamps
 * each day at local midnight, 07:00 or 08:00 UTC): an item is available only at the end of its day,
 * 24 h after its stamp, since it may have been published at any time that day.
 */
export function detectAvailabilityDelayMs(timestamps: readonly number[]): number {
  if (timestamps.length === 0) return 0;
  const wholeHours = timestamps.filter((t) => t % HOUR_MS === 0);
  const hoursOfDay = new Set(wholeHours.map((t) => Math.floor((t % DAY_MS) / HOUR_MS)));
  const dateOnly = wholeHours.length / timestamps.length >= DATE_ONLY_SHARE && hoursOfDay.size <= DATE_ONLY_MAX_HOURS;
  return dateOnly ? DAY_MS : 0;
}

/** A headline bounded to NEWS_HEADLINE_MAX_CHARS (an ellipsis marks the cut). */
export function boundHeadline(text: string): string {
  return text.length <= NEWS_HEADLINE_MAX_CHARS ? text : `${text.slice(0, NEWS_HEADLINE_MAX_CHARS - 1)}…`;
}
