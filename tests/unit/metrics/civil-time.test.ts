import { civilFromDays, daysFromCivil, formatIsoUtc, formatMonthKey } from '../../../domain/metrics/civil-time';

describe('civil-time (Hinnant algorithms)', () => {
  // Deterministic spread of instants from 1970 to 2100, including leap days and pre-epoch dates.
  const samples = [
    0,
    -1,
    951_782_400_000,
    951_868_799_999,
    1_709_164_800_000,
    4_107_542_399_999,
    -2_208_988_800_000,
    ...Array.from({ length: 200 }, (_, i) => i * 20_512_345_678 + (i % 7) * 86_399_999),
  ];

  it('formats ISO UTC exactly like Date.prototype.toISOString', () => {
    for (const ms of samples) expect(formatIsoUtc(ms)).toBe(new Date(ms).toISOString());
  });

  it('formats month keys as YYYY-MM in UTC', () => {
    for (const ms of samples) expect(formatMonthKey(ms)).toBe(new Date(ms).toISOString().slice(0, 7));
  });

  it('round-trips days through civil dates', () => {
    for (let d = -800_000; d <= 800_000; d += 997) expect(daysFromCivil(civilFromDays(d))).toBe(d);
    expect(civilFromDays(daysFromCivil({ year: 2024, month: 2, day: 29 }))).toEqual({ year: 2024, month: 2, day: 29 });
  });
});
