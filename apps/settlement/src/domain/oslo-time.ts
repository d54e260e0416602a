import { DateTime, IANAZone } from 'luxon';

/** Business dates and shop clocks are Europe/Oslo (docs/conventions.md). */
export const OSLO_ZONE = 'Europe/Oslo';

const oslo = IANAZone.create(OSLO_ZONE);
const MINUTE = 60_000;
const DAY = 86_400_000;

export interface LocalDate {
  year: number;
  month: number;
  day: number;
}

export interface LocalTime {
  hour: number;
  minute: number;
  second?: number;
}

/**
 * The instant a wall-clock time in Oslo denotes, made total over DST:
 * - an ambiguous time (the autumn fall-back hour happens twice) → the FIRST occurrence;
 * - a non-existent time (the spring-forward gap) → the first valid instant after it, i.e. the
 *   moment the clocks jump (02:30 on the spring day → 03:00 CEST).
 * Luxon alone would move a gap time forward by the whole shift (02:30 → 03:30) and leaves the
 * choice for ambiguous times to its offset guess, so both cases are resolved here explicitly.
 */
export function osloInstant(date: LocalDate, time: LocalTime): DateTime {
  return osloInstants(date, time)[0]!;
}

/**
 * Every instant a wall-clock time in Oslo denotes, earliest first: one normally, two in the
 * fall-back hour, and for a time in the spring-forward gap the moment the clocks jump.
 */
export function osloInstants(date: LocalDate, time: LocalTime): DateTime[] {
  const wallAsUtc = Date.UTC(date.year, date.month - 1, date.day, time.hour, time.minute, time.second ?? 0);
  // A day either side brackets at most one transition, so these are all offsets that can apply.
  const offsets = [...new Set([oslo.offset(wallAsUtc - DAY), oslo.offset(wallAsUtc), oslo.offset(wallAsUtc + DAY)])];
  const valid = offsets
    .map((offsetMinutes) => wallAsUtc - offsetMinutes * MINUTE)
    .filter((ts) => oslo.offset(ts) * MINUTE === wallAsUtc - ts)
    .sort((a, b) => a - b);
  if (valid.length > 0) return valid.map((ts) => DateTime.fromMillis(ts, { zone: OSLO_ZONE }));

  // In the gap: read with the larger offset the instant is still before the jump, read with the
  // smaller one it is already after it. Narrow down to the jump at minute precision.
  let before = wallAsUtc - Math.max(...offsets) * MINUTE;
  let after = wallAsUtc - Math.min(...offsets) * MINUTE;
  const offsetBefore = oslo.offset(before);
  while (after - before > MINUTE) {
    const mid = before + Math.floor((after - before) / 2 / MINUTE) * MINUTE;
    if (oslo.offset(mid) === offsetBefore) before = mid;
    else after = mid;
  }
  return [DateTime.fromMillis(after, { zone: OSLO_ZONE })];
}

/** `YYYY-MM-DD` → parts; throws on anything that is not a real calendar date. */
export function parseLocalDate(value: string): LocalDate {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const parsed = m ? DateTime.fromObject({ year: +m[1]!, month: +m[2]!, day: +m[3]! }, { zone: 'UTC' }) : null;
  if (!m || !parsed || !parsed.isValid) throw new RangeError(`not a date (YYYY-MM-DD): ${value}`);
  return { year: parsed.year, month: parsed.month, day: parsed.day };
}

/** `HH:MM` or `HH:MM:SS` (24 h) → parts; throws otherwise. */
export function parseLocalTime(value: string): LocalTime {
  const m = /^([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?$/.exec(value);
  if (!m) throw new RangeError(`not a time (HH:MM): ${value}`);
  return { hour: +m[1]!, minute: +m[2]!, second: m[3] === undefined ? 0 : +m[3] };
}

/** The Oslo calendar date of an instant, as `YYYY-MM-DD`. */
export function osloDateOf(instant: Date | DateTime): string {
  const dt = instant instanceof Date ? DateTime.fromJSDate(instant) : instant;
  return dt.setZone(OSLO_ZONE).toISODate()!;
}

/** `YYYY-MM-DD` plus n calendar days (n may be negative). */
export function addDays(date: string, days: number): string {
  const d = parseLocalDate(date);
  return DateTime.fromObject(d, { zone: 'UTC' }).plus({ days }).toISODate()!;
}
