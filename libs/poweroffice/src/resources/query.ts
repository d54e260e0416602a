import { QueryValue } from '../http/tenant-session';

/** A comma list filter (`customerNos`, `codes`); PowerOffice also takes ranges ("10000-11000") as strings. */
export function commaList(values: ReadonlyArray<string | number> | string | undefined): string | undefined {
  if (values === undefined) return undefined;
  if (typeof values === 'string') return values;
  return values.length ? values.join(',') : undefined;
}

/** A `…DateTimeOffsetGreaterThan` filter value (exclusive), ISO-8601 with offset. */
export function instant(value: Date | string | undefined): string | undefined {
  if (value === undefined) return undefined;
  return value instanceof Date ? value.toISOString() : value;
}

/** A `format: date` filter value. */
export function businessDate(value: Date | string | undefined): string | undefined {
  if (value === undefined) return undefined;
  return value instanceof Date ? value.toISOString().slice(0, 10) : value;
}

export type Query = Record<string, QueryValue>;

/**
 * Splits a long id/code list into chunks whose comma-joined length stays well under the ~2000
 * characters of URL after which PowerOffice answers a misleading 404.
 */
export function chunkForUrl<T extends string | number>(values: readonly T[], maxChars = 1200): T[][] {
  const chunks: T[][] = [];
  let current: T[] = [];
  let length = 0;
  for (const v of values) {
    const add = encodeURIComponent(String(v)).length + 3; // "%2C" between items
    if (current.length > 0 && length + add > maxChars) {
      chunks.push(current);
      current = [];
      length = 0;
    }
    current.push(v);
    length += add;
  }
  if (current.length) chunks.push(current);
  return chunks;
}
