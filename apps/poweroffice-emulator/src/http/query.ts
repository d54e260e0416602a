import { CodeFilter, NumberFilter, parseNameList } from '../domain/filters';
import { badFilter, badResourceParameter } from '../domain/problem';
import { parseBusinessDate, parseDateTimeOffset, Ticks } from '../domain/time';
import { list } from './responses';
import { ApiReply } from './types';

const MAX_PAGE_SIZE = 20_000;
const DEFAULT_PAGE_SIZE = 5_000;

export interface ResourceParameters {
  pageNumber: number;
  pageSize: number;
  fields: string[] | null;
  orderBy: Array<{ field: string; descending: boolean }> | null;
}

/**
 * A query string read as ASP.NET binds it: parameter names case-insensitive, blank = not given
 * ("If null or whitespace, the filter is not used"), and a value that cannot be read is a 400.
 */
export class Query {
  private readonly values = new Map<string, string>();

  constructor(search: string) {
    if (search === '') return;
    for (const [k, v] of new URLSearchParams(search)) {
      const name = k.toLowerCase();
      if (!this.values.has(name)) this.values.set(name, v);
    }
  }

  has(name: string): boolean {
    return this.get(name) !== undefined;
  }

  get(name: string): string | undefined {
    const v = this.values.get(name.toLowerCase());
    return v === undefined || v.trim() === '' ? undefined : v.trim();
  }

  bool(name: string): boolean | undefined {
    const v = this.get(name);
    if (v === undefined) return undefined;
    if (/^true$/i.test(v)) return true;
    if (/^false$/i.test(v)) return false;
    throw badFilter(`The value '${v}' is not valid for ${name}; use true or false.`);
  }

  dateTime(name: string): Ticks | undefined {
    const v = this.get(name);
    if (v === undefined) return undefined;
    const t = parseDateTimeOffset(v);
    if (t === null) {
      throw badFilter(
        `The value '${v}' is not valid for ${name}; give an ISO 8601 timestamp such as 2026-01-31T12:00:00.0000000+01:00 (URL-encode the '+').`,
      );
    }
    return t;
  }

  date(name: string): string | undefined {
    const v = this.get(name);
    if (v === undefined) return undefined;
    const d = parseBusinessDate(v);
    if (d === null) throw badFilter(`The value '${v}' is not valid for ${name}; give a date as YYYY-MM-DD.`);
    return d;
  }

  numberFilter(name: string): NumberFilter | undefined {
    const v = this.get(name);
    return v === undefined ? undefined : NumberFilter.parse(v, name);
  }

  codeFilter(name: string): CodeFilter | undefined {
    const v = this.get(name);
    return v === undefined ? undefined : CodeFilter.parse(v);
  }

  nameList(name: string): Set<string> | undefined {
    const v = this.get(name);
    return v === undefined ? undefined : parseNameList(v);
  }

  /** Comma list of positive ids without ranges (contactGroupIds). */
  idList(name: string): Set<number> | undefined {
    const v = this.get(name);
    if (v === undefined) return undefined;
    const out = new Set<number>();
    for (const raw of v.split(',')) {
      const t = raw.trim();
      if (t === '') continue;
      if (!/^\d+$/.test(t)) {
        throw badFilter(
          `${name} contains negative numbers and/or range of numbers. '-' is not allowed, only comma ',' separated single positive numbers are allowed.`,
        );
      }
      out.add(Number(t));
    }
    return out;
  }

  /** PageNumber (1-based), PageSize (default 5000, max 20000), Fields and OrderBy. */
  resourceParameters(): ResourceParameters {
    const read = (name: string): string | undefined => this.get(name) ?? this.get(`resourceParameter.${name}`);
    const int = (name: string, fallback: number): number => {
      const v = read(name);
      if (v === undefined) return fallback;
      if (!/^-?\d+$/.test(v)) throw badResourceParameter(`The value '${v}' is not valid for ${name}.`);
      return Number(v);
    };
    const pageNumber = int('PageNumber', 1);
    const pageSize = int('PageSize', DEFAULT_PAGE_SIZE);
    if (pageNumber < 1) throw badResourceParameter(`PageNumber must be 1 or more (was ${pageNumber}).`);
    if (pageSize < 1) throw badResourceParameter(`PageSize must be 1 or more (was ${pageSize}).`);
    if (pageSize > MAX_PAGE_SIZE) {
      throw badResourceParameter(`PageSize ${pageSize} exceeds MaxPageSize (${MAX_PAGE_SIZE}).`);
    }
    const fields = read('Fields');
    const orderBy = read('OrderBy');
    return {
      pageNumber,
      pageSize,
      fields: fields === undefined ? null : fields.split(',').map((f) => f.trim()),
      orderBy:
        orderBy === undefined
          ? null
          : orderBy.split(',').map((part) => {
              const [field = '', direction, ...rest] = part.trim().split(/\s+/);
              if (rest.length > 0 || (direction !== undefined && !/^(asc|desc)$/i.test(direction))) {
                throw badResourceParameter('OrderBy property in resourceParameter is not formatted correct.');
              }
              return { field, descending: direction !== undefined && direction.toLowerCase() === 'desc' };
            }),
    };
  }
}

/**
 * One page of a list as Go returns it: a bare array (or 204), optionally ordered and cut down to
 * `Fields`. Without OrderBy, only the requested page is mapped to DTOs.
 */
export function pagedList<T>(
  items: readonly T[],
  toDto: (item: T) => Record<string, unknown>,
  rp: ResourceParameters,
  dtoKeys: readonly string[],
): ApiReply {
  const canonical = new Map(dtoKeys.map((k) => [k.toLowerCase(), k]));
  const fields = rp.fields?.map((f) => {
    const name = canonical.get(f.toLowerCase());
    if (!name) throw badResourceParameter('Fields property in resourceParameter is not formatted correct.');
    return name;
  });
  const orderBy = rp.orderBy?.map((o) => {
    const name = canonical.get(o.field.toLowerCase());
    if (!name) throw badResourceParameter('OrderBy property in resourceParameter is not formatted correct.');
    return { field: name, descending: o.descending };
  });
  const start = (rp.pageNumber - 1) * rp.pageSize;
  let page: Record<string, unknown>[];
  if (orderBy) {
    const all = items.map(toDto);
    all.sort((a, b) => {
      for (const o of orderBy) {
        const c = compare(a[o.field], b[o.field]);
        if (c !== 0) return o.descending ? -c : c;
      }
      return 0;
    });
    page = all.slice(start, start + rp.pageSize);
  } else {
    page = items.slice(start, start + rp.pageSize).map(toDto);
  }
  if (fields) {
    page = page.map((dto) => {
      const out: Record<string, unknown> = {};
      for (const f of fields) out[f] = dto[f];
      return out;
    });
  }
  return list(page);
}

function compare(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return -1;
  if (b === null || b === undefined) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const sa = String(a).toLowerCase();
  const sb = String(b).toLowerCase();
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}
