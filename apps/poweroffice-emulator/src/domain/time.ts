/**
 * Time as Go shows it. `*DateTimeOffset` values carry 7 fractional digits (.NET ticks of 100 ns) and
 * an offset; business dates are `YYYY-MM-DD` in Europe/Oslo.
 *
 * Instants are kept as ticks since 2020-01-01Z so they stay exact in a JS number (2^53 of 100 ns
 * ticks from 2020 reaches 2048); ms since 1970 × 10 000 would not.
 */
export type Ticks = number;

const EPOCH_MS = Date.UTC(2020, 0, 1);
const TICKS_PER_MS = 10_000;
const TICKS_PER_SECOND = 10_000_000;

/**
 * A strictly increasing clock: every change gets its own instant, so an exclusive
 * `…GreaterThan=<last seen>` poll never loses or repeats an entity that changed in the same ms.
 */
export class Clock {
  private last: Ticks = Number.MIN_SAFE_INTEGER;

  constructor(readonly nowMs: () => number = Date.now) {}

  tick(): Ticks {
    const t = (this.nowMs() - EPOCH_MS) * TICKS_PER_MS;
    this.last = t > this.last ? t : this.last + 1;
    return this.last;
  }

  /** Today in Oslo, the default voucher/order date. */
  today(): string {
    return osloDate(this.nowMs());
  }
}

export function ticksToMs(t: Ticks): number {
  return Math.floor(t / TICKS_PER_MS) + EPOCH_MS;
}

export function msToTicks(ms: number): Ticks {
  return (ms - EPOCH_MS) * TICKS_PER_MS;
}

const osloParts = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/Oslo',
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

// Oslo changes offset only on whole UTC hours, so one lookup per hour is exact.
const offsetByHour = new Map<number, number>();

/** Oslo's UTC offset in minutes at an instant (+60 in winter, +120 in summer). */
export function osloOffsetMinutes(ms: number): number {
  const hour = Math.floor(ms / 3_600_000);
  const cached = offsetByHour.get(hour);
  if (cached !== undefined) return cached;
  const at = hour * 3_600_000;
  const p: Record<string, number> = {};
  for (const part of osloParts.formatToParts(new Date(at))) {
    if (part.type !== 'literal') p[part.type] = Number(part.value);
  }
  const localAsUtc = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!);
  const offset = Math.round((localAsUtc - at) / 60_000);
  if (offsetByHour.size > 10_000) offsetByHour.clear();
  offsetByHour.set(hour, offset);
  return offset;
}

export function osloDate(ms: number): string {
  return new Date(ms + osloOffsetMinutes(ms) * 60_000).toISOString().slice(0, 10);
}

function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  return `${sign}${hh}:${mm}`;
}

/** `2026-03-10T12:34:56.1234567+01:00` — Oslo wall time with its offset, as Go writes it. */
export function formatDateTimeOffset(t: Ticks): string {
  const seconds = Math.floor(t / TICKS_PER_SECOND);
  const fraction = t - seconds * TICKS_PER_SECOND;
  const ms = EPOCH_MS + seconds * 1000;
  const offset = osloOffsetMinutes(ms);
  const local = new Date(ms + offset * 60_000).toISOString().slice(0, 19);
  return `${local}.${String(fraction).padStart(7, '0')}${formatOffset(offset)}`;
}

const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7})\d*)?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/**
 * Reads an ISO-8601 timestamp (up to 7 fractional digits, optional offset; no offset = UTC) into
 * ticks, or null when it is not one. A `+` sent unencoded in a query string arrives as a space and
 * is rejected, as ASP.NET rejects it.
 */
export function parseDateTimeOffset(text: string): Ticks | null {
  const m = DATE_TIME.exec(text.trim());
  if (!m) return null;
  const [, y, mo, d, h = '00', mi = '00', s = '00', frac = '', zone] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return null;
  const utc = Date.UTC(year, month - 1, day, hour, minute, second);
  if (new Date(utc).getUTCDate() !== day) return null;
  let offsetMinutes = 0;
  if (zone && zone.toUpperCase() !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    offsetMinutes = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || '0'));
  }
  const ms = utc - offsetMinutes * 60_000;
  return msToTicks(ms) + Number(frac.padEnd(7, '0') || '0');
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?$/;

/**
 * A business date `YYYY-MM-DD`, or null. A time part is tolerated and dropped: Go ignores it on
 * date fields and filters ("only date is used").
 */
export function parseBusinessDate(text: string): string | null {
  const m = DATE.exec(text.trim());
  if (!m) return null;
  const [, y, mo, d] = m;
  const utc = Date.UTC(Number(y), Number(mo) - 1, Number(d));
  if (Number.isNaN(utc)) return null;
  const iso = new Date(utc).toISOString().slice(0, 10);
  return iso === `${y}-${mo}-${d}` ? iso : null;
}

/** A business date plus n days. */
export function addDays(date: string, days: number): string {
  const utc = Date.parse(`${date}T00:00:00Z`) + days * 86_400_000;
  return new Date(utc).toISOString().slice(0, 10);
}
