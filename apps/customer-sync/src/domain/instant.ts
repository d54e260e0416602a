/**
 * Instants as PowerOffice writes them: `2026-03-10T12:34:56.1234567+01:00`, seven fractional digits
 * (.NET ticks of 100 ns). A JS Date keeps milliseconds only, and two changes in the same
 * millisecond are different versions to PowerOffice's exclusive `…GreaterThan` filter, so instants
 * are compared and shifted as whole ticks (bigint) and written back as UTC text.
 */
export type Ticks = bigint;

const TICKS_PER_MS = 10_000n;
const TICKS_PER_SECOND = 10_000_000n;
const INSTANT = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?\s*([Zz]|[+-]\d{2}:?\d{2})?$/;

/** Ticks since 1970-01-01Z, or null when `text` is not an ISO-8601 instant (no offset = UTC). */
export function parseInstant(text: string): Ticks | null {
  const m = INSTANT.exec(text.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi, s, fraction = '', zone = 'Z'] = m;
  const utcMs = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  if (Number.isNaN(utcMs) || new Date(utcMs).getUTCDate() !== Number(d)) return null;
  let offsetMinutes = 0;
  if (zone.toUpperCase() !== 'Z') {
    const digits = zone.slice(1).replace(':', '');
    offsetMinutes = (zone.startsWith('-') ? -1 : 1) * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4)));
  }
  // Digits beyond the seventh are below PowerOffice's resolution and dropped.
  const subSecondTicks = BigInt(fraction.slice(0, 7).padEnd(7, '0'));
  return (BigInt(utcMs) - BigInt(offsetMinutes) * 60_000n) * TICKS_PER_MS + subSecondTicks;
}

/** Like {@link parseInstant}, for values that must be instants (PowerOffice's own timestamps). */
export function requireInstant(text: string, what: string): Ticks {
  const ticks = parseInstant(text);
  if (ticks === null) throw new TypeError(`${what} ${JSON.stringify(text)} is not an ISO-8601 instant`);
  return ticks;
}

export function ticksFromDate(date: Date): Ticks {
  return BigInt(date.getTime()) * TICKS_PER_MS;
}

export function ticksFromMs(ms: number): Ticks {
  return BigInt(Math.round(ms)) * TICKS_PER_MS;
}

/** `2026-03-10T11:34:56.1234567Z`: one spelling per instant, so texts compare as instants do. */
export function formatInstant(ticks: Ticks): string {
  if (ticks < 0n) throw new RangeError('instants before 1970 are not PowerOffice instants');
  const seconds = ticks / TICKS_PER_SECOND;
  const subSecond = ticks % TICKS_PER_SECOND;
  const iso = new Date(Number(seconds) * 1000).toISOString().slice(0, 19);
  return `${iso}.${subSecond.toString().padStart(7, '0')}Z`;
}

/** The same instant however it was written (offset, number of digits). */
export function sameInstant(a: string | null | undefined, b: string | null | undefined): boolean {
  if (a == null || b == null) return false;
  const ta = parseInstant(a);
  const tb = parseInstant(b);
  return ta !== null && tb !== null ? ta === tb : a === b;
}
