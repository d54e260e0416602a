import { DateTime } from 'luxon';
import { OSLO_ZONE, addDays, osloDateOf, osloInstants, parseLocalDate, parseLocalTime } from './oslo-time';
import type { ZReportClosed } from './z-report';

/**
 * When a tenant wants its daily settlements posted:
 * - `afterEndOfDay`: as soon as the Z-report has arrived;
 * - `at`: at a fixed Oslo wall-clock time, e.g. "02:00" so the night's reports go in one batch.
 */
export type SettlementSchedule = { mode: 'afterEndOfDay' } | { mode: 'at'; time: string };

/**
 * The instant a settlement for `report` is due.
 *
 * - `afterEndOfDay` → `now`: the event only exists once the Z is closed, so there is nothing to
 *   wait for. `closedAt` is deliberately not used: a till whose clock runs ahead must not delay it.
 * - `at` → the first occurrence of `time` (Europe/Oslo) at or after `closedAt`. A shop that closes
 *   at 22:00 with "02:00" posts at 02:00 the next night; one that closes at 01:30 (after midnight)
 *   posts at 02:00 the same night. DST: a time in the spring-forward gap means the moment the
 *   clocks jump (02:30 → 03:00); a time that happens twice in the autumn means the first one
 *   (the second only for a report closed between the two).
 *   If that instant has already passed when the report arrives (late delivery, replay), it is due
 *   `now`, so the returned time is never in the past relative to `now`.
 */
export function settlementDueAt(
  report: Pick<ZReportClosed, 'closedAt'>,
  schedule: SettlementSchedule,
  now: Date,
): Date {
  if (schedule.mode === 'afterEndOfDay') return new Date(now.getTime());

  const time = parseLocalTime(schedule.time);
  const closedAt = DateTime.fromISO(report.closedAt, { setZone: true });
  if (!closedAt.isValid) throw new RangeError(`closedAt is not an RFC 3339 time: ${report.closedAt}`);

  // The closing day's occurrence(s) of the time, then the next day's: the first one not before
  // closedAt wins. In the fall-back night a report closed between the two 02:30s gets the second.
  const closedDay = osloDateOf(closedAt);
  const candidates = [
    ...osloInstants(parseLocalDate(closedDay), time),
    ...osloInstants(parseLocalDate(addDays(closedDay, 1)), time),
  ];
  const due = candidates.find((c) => c.toMillis() >= closedAt.toMillis())!;

  return new Date(Math.max(due.toMillis(), now.getTime()));
}

export interface MissingBusinessDaysInput {
  /** Business dates (`YYYY-MM-DD`) for which this register's Z-report has been received. */
  postedBusinessDates: readonly string[];
  now: Date;
  /** Oslo wall-clock time on the following day by which a day's Z is expected. Default "06:00". */
  cutoff?: string;
  /** How many expected days to look back over, counting back from the latest one. Default 1. */
  lookbackDays?: number;
  /** ISO weekdays (1 = Monday … 7 = Sunday) the shop is known to be closed. */
  closedWeekdays?: readonly number[];
}

/**
 * Business days a register that HAS posted before sent no Z-report for.
 *
 * Rule: the Z for business day D is expected by `cutoff` (Oslo) on D+1. The latest expected day
 * is yesterday once `now` is past the cutoff, else the day before. From there, `lookbackDays`
 * days back — but never before the register's first received day (it did not exist yet) — every
 * day without a report, that is not a known closed weekday, is missing. A register that never
 * posted yields nothing: there is no evidence it is in use.
 *
 * A missing day is a reason to look, not proof of an error: a till with no activity that day is not
 * required to produce a Z (pos-domain §2, [S2d]). Sorted ascending.
 */
export function missingBusinessDays(input: MissingBusinessDaysInput): string[] {
  const posted = new Set(input.postedBusinessDates);
  if (posted.size === 0) return [];
  for (const d of posted) parseLocalDate(d);

  const cutoff = parseLocalTime(input.cutoff ?? '06:00');
  const lookback = input.lookbackDays ?? 1;
  if (!Number.isInteger(lookback) || lookback < 1)
    throw new RangeError(`lookbackDays must be a positive integer: ${lookback}`);
  const closed = new Set(input.closedWeekdays ?? []);

  const nowOslo = DateTime.fromJSDate(input.now).setZone(OSLO_ZONE);
  const today = nowOslo.toISODate()!;
  const pastCutoff = nowOslo.hour * 60 + nowOslo.minute >= cutoff.hour * 60 + cutoff.minute;
  const latestExpected = addDays(today, pastCutoff ? -1 : -2);

  const firstPosted = [...posted].sort()[0]!;
  const windowStart = addDays(latestExpected, -(lookback - 1));
  const start = windowStart > firstPosted ? windowStart : firstPosted;

  const missing: string[] = [];
  // ISO dates compare correctly as strings.
  for (let day = start; day <= latestExpected; day = addDays(day, 1)) {
    if (posted.has(day)) continue;
    const weekday = DateTime.fromISO(day, { zone: 'UTC' }).weekday;
    if (closed.has(weekday)) continue;
    missing.push(day);
  }
  return missing;
}
