/**
 * UTC calendar arithmetic without `Date` (domain/ has no clock and must stay deterministic).
 *
 * The conversions are Howard Hinnant's `civil_from_days` / `days_from_civil`
 * (https://howardhinnant.github.io/date_algorithms.html), exact for the proleptic
 * Gregorian calendar over the whole safe-integer range of days.
 */
import { DAY_MS, HOUR_MS } from '../market/time-grid';

/** A UTC calendar date: month 1–12, day 1–31. */
export interface CivilDate {
  year: number;
  month: number;
  day: number;
}

/** Days since 1970-01-01 → calendar date (Hinnant, `civil_from_days`). */
export function civilFromDays(days: number): CivilDate {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097; // [0, 146096]
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365); // [0, 399]
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100)); // [0, 365], March-based
  const mp = Math.floor((5 * doy + 2) / 153); // [0, 11], March = 0
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return { year, month, day };
}

/** Calendar date → days since 1970-01-01 (Hinnant, `days_from_civil`). */
export function daysFromCivil(date: CivilDate): number {
  const y = date.month <= 2 ? date.year - 1 : date.year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400; // [0, 399]
  const mp = date.month > 2 ? date.month - 3 : date.month + 9;
  const doy = Math.floor((153 * mp + 2) / 5) + date.day - 1; // [0, 365]
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy; // [0, 146096]
  return era * 146_097 + doe - 719_468;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** Epoch ms → the `YYYY-MM` month key in UTC. */
export function formatMonthKey(ms: number): string {
  const { year, month } = civilFromDays(Math.floor(ms / DAY_MS));
  return `${pad(year, 4)}-${pad(month, 2)}`;
}

/** Epoch ms → ISO 8601 UTC with milliseconds, identical to `Date.prototype.toISOString` for years 0–9999. */
export function formatIsoUtc(ms: number): string {
  const days = Math.floor(ms / DAY_MS);
  const { year, month, day } = civilFromDays(days);
  let rest = ms - days * DAY_MS;
  const hh = Math.floor(rest / HOUR_MS);
  rest -= hh * HOUR_MS;
  const mm = Math.floor(rest / 60_000);
  rest -= mm * 60_000;
  const ss = Math.floor(rest / 1000);
  const mss = rest - ss * 1000;
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}T${pad(hh, 2)}:${pad(mm, 2)}:${pad(ss, 2)}.${pad(mss, 3)}Z`;
}
