import { badFilter } from './problem';

/**
 * Go's number-list filter syntax (customerNos, accountNos, voucherNos, invoiceNos):
 * "10000-11000, 12000, 13000-" — single numbers, closed ranges and open-ended ranges.
 */
export class NumberFilter {
  private constructor(
    private readonly singles: ReadonlySet<number>,
    private readonly ranges: ReadonlyArray<readonly [number, number]>,
  ) {}

  static parse(text: string, parameter: string): NumberFilter {
    const singles = new Set<number>();
    const ranges: Array<[number, number]> = [];
    for (const raw of text.split(',')) {
      const token = raw.trim();
      if (token === '') continue;
      const m = /^(\d{1,18})(?:\s*(-)\s*(\d{1,18})?)?$/.exec(token);
      if (!m) {
        throw badFilter(
          `${parameter} contains an invalid value '${token}'. Separate numbers by comma [,] and give ranges as 'from-to' or 'from-'.`,
        );
      }
      const from = Number(m[1]);
      if (!m[2]) {
        singles.add(from);
        continue;
      }
      const to = m[3] === undefined ? Number.POSITIVE_INFINITY : Number(m[3]);
      if (to < from) throw badFilter(`${parameter} contains the range '${token}' whose end is below its start.`);
      ranges.push([from, to]);
    }
    return new NumberFilter(singles, ranges);
  }

  matches(n: number | null | undefined): boolean {
    if (n === null || n === undefined) return false;
    if (this.singles.has(n)) return true;
    for (const [from, to] of this.ranges) if (n >= from && n <= to) return true;
    return false;
  }

  /** The exact numbers when the filter has no ranges — lets a caller use an index instead of a scan. */
  exactValues(): number[] | null {
    return this.ranges.length === 0 ? [...this.singles] : null;
  }
}

/**
 * Code filters (codes, departmentCodes, productGroupCodes): comma list, "-1" = entries without a
 * code. Matching is case-insensitive (Go stores codes under SQL Server's default collation).
 */
export class CodeFilter {
  private constructor(
    private readonly codes: ReadonlySet<string>,
    private readonly withoutCode: boolean,
  ) {}

  static parse(text: string): CodeFilter {
    const codes = new Set<string>();
    let withoutCode = false;
    for (const raw of text.split(',')) {
      const code = raw.trim();
      if (code === '') continue;
      if (code === '-1') withoutCode = true;
      else codes.add(code.toLowerCase());
    }
    return new CodeFilter(codes, withoutCode);
  }

  matches(code: string | null | undefined): boolean {
    if (code === null || code === undefined || code === '') return this.withoutCode;
    return this.codes.has(code.toLowerCase());
  }

  exactValues(): string[] | null {
    return this.withoutCode ? null : [...this.codes];
  }
}

/** A plain comma list compared case-insensitively (voucherTypes, vatCodes, names). */
export function parseNameList(text: string): Set<string> {
  const out = new Set<string>();
  for (const raw of text.split(',')) {
    const v = raw.trim();
    if (v !== '') out.add(v.toLowerCase());
  }
  return out;
}
