import 'reflect-metadata';
import { ValidateBy, ValidationOptions } from 'class-validator';

/**
 * Field rules of the event contract, as class-validator decorators.
 *
 * Each rule checks one field completely (type, range, format) and says what is wrong in plain
 * words, so a failure outcome reads "payments[1].amount must be an integer number of øre" rather
 * than a list of generic constraint names. Rules deal with missing values themselves (required,
 * optional, or required depending on another field), which is why `@IsOptional` is used only for
 * nested objects.
 *
 * A problem text may contain the placeholder {@link VALUE_PLACEHOLDER}; the validator replaces it
 * with a short, quoted rendering of the offending value. (class-validator itself rewrites `$value`
 * tokens inside messages, which would garble values echoed from the wire.)
 */
export const VALUE_PLACEHOLDER = '{value}';

/** Money bound: ±10^13 øre (100 billion NOK) is far beyond any real day and safe for doubles. */
export const MAX_ORE = 10_000_000_000_000;
export const MAX_ID_LENGTH = 100;
export const MAX_NAME_LENGTH = 400;
export const MAX_TEXT_LENGTH = 4000;
export const MAX_ERROR_MESSAGE_LENGTH = 8000;
/** Lines per Z-report section or invoice; a real report has a handful, an invoice rarely 100. */
export const MAX_LINES = 1000;

/**
 * Tenant ids end up in Kafka keys, log lines and SQL, so they hold nothing that could separate,
 * quote or escape: letters, digits and `_.-`, starting with a letter or digit, at most 64.
 */
export const TENANT_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
export const UUID_PATTERN = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/**
 * SAF-T standard VAT codes a sale may carry (shared/docs/pos-domain.md §5). Purchase-side codes
 * (0, 1, 11, 13, …) never belong on a sales line (§9 rule 10), so they are rejected here.
 */
export const SAFT_SALES_VAT_CODES = ['3', '31', '32', '33', '5', '51', '52', '6', '7'] as const;
export type SaftSalesVatCode = (typeof SAFT_SALES_VAT_CODES)[number];

/** SAF-T predefined payment codes (basic type 12). */
export const SAFT_PAYMENT_CODES = [
  '12001',
  '12002',
  '12003',
  '12004',
  '12005',
  '12006',
  '12007',
  '12008',
  '12009',
  '12010',
  '12011',
  '12999',
] as const;

/** SAF-T predefined article groups (basic type 04): 04001–04021 and 04999. */
export const SAFT_ARTICLE_GROUP_CODES: readonly string[] = [
  ...Array.from({ length: 21 }, (_, i) => `040${String(i + 1).padStart(2, '0')}`),
  '04999',
];

const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;
const CONTROL_CHARS_EXCEPT_LINE_BREAKS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
/** A lone surrogate cannot be stored as UTF-8 (PostgreSQL text) or sent on to PowerOffice. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

// ---------------------------------------------------------------------------------------------
// Pure checks, also used outside decorators (headers, keys).

export function isOre(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && Math.abs(value) <= MAX_ORE;
}

export function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

export function isPositiveInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 1;
}

export function isValidTenantId(value: unknown): value is string {
  return typeof value === 'string' && TENANT_ID_PATTERN.test(value);
}

export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID_PATTERN.test(value);
}

/** True for a `YYYY-MM-DD` that exists in the calendar (no 2026-02-30), years 1900–2999. */
export function isCalendarDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (year < 1900 || year > 2999 || month < 1 || month > 12 || day < 1) return false;
  return day <= daysInMonth(year, month);
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/**
 * True for an RFC 3339 date-time with an explicit offset (`Z` or `±hh:mm`), e.g.
 * `2026-03-02T22:05:13+01:00`. Leap seconds (`:60`) are refused: JavaScript dates cannot hold them.
 */
export function isRfc3339Time(value: unknown): value is string {
  if (typeof value !== 'string' || value.length > 40) return false;
  const m = /^(\d{4}-\d{2}-\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?([Zz]|[+-](\d{2}):(\d{2}))$/.exec(value);
  if (!m || !isCalendarDate(m[1])) return false;
  if (Number(m[2]) > 23 || Number(m[3]) > 59 || Number(m[4]) > 59) return false;
  if (m[7] !== undefined && (Number(m[7]) > 23 || Number(m[8]) > 59)) return false;
  return true;
}

/** What is wrong with a piece of text, or undefined when it is fine. */
export function textProblem(
  value: string,
  opts: { max: number; multiline?: boolean; nonBlank?: boolean },
): string | undefined {
  if (opts.nonBlank && value.trim().length === 0) return 'must not be empty';
  if (value.length > opts.max) return `must be at most ${opts.max} characters (has ${value.length})`;
  const control = opts.multiline ? CONTROL_CHARS_EXCEPT_LINE_BREAKS : CONTROL_CHARS;
  if (control.test(value))
    return opts.multiline ? 'must not contain control characters' : 'must be one line without control characters';
  if (LONE_SURROGATE.test(value)) return 'contains broken Unicode (a lone surrogate)';
  return undefined;
}

/** A short, quoted, single-line rendering of a wire value for problem texts. */
export function showValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'object' && value !== null) return 'an object';
  let shown: string;
  try {
    shown = JSON.stringify(value) ?? String(value);
  } catch {
    shown = String(value);
  }
  return clip(shown, 60);
}

/**
 * Shortens text to at most `max` characters, ending in "..." when cut, without splitting a
 * surrogate pair (half an emoji would make the problem text itself invalid Unicode).
 */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max - 3;
  if (/[\uD800-\uDBFF]/.test(text.charAt(end - 1))) end -= 1;
  return `${text.slice(0, end)}...`;
}

// ---------------------------------------------------------------------------------------------
// Decorators

type Presence =
  /** undefined/null is a problem */
  | { required: true }
  /** undefined/null is fine */
  | { required: false }
  /** required when the predicate holds for the object being validated (cross-field rules) */
  | { requiredWhen: (object: Record<string, unknown>) => boolean; whyRequired: string };

interface RuleSpec {
  name: string;
  presence?: Presence;
  /** The problem with a present value, or undefined when it is fine. */
  check(value: unknown, object: Record<string, unknown>): string | undefined;
}

/**
 * Turns a rule into a class-validator decorator. The check is cheap and pure, so `defaultMessage`
 * simply runs it again to find the words for the failure that `validate` saw.
 */
function rule(spec: RuleSpec, options?: ValidationOptions): PropertyDecorator {
  const presence = spec.presence ?? { required: true };
  const problemFor = (value: unknown, object: Record<string, unknown>): string | undefined => {
    if (value === undefined || value === null) {
      if ('requiredWhen' in presence)
        return presence.requiredWhen(object) ? `is required ${presence.whyRequired}`.trimEnd() : undefined;
      if (!presence.required) return undefined;
      return value === null ? 'is required (got null)' : 'is required';
    }
    return spec.check(value, object);
  };
  return ValidateBy(
    {
      name: spec.name,
      validator: {
        validate: (value, args) => problemFor(value, (args?.object ?? {}) as Record<string, unknown>) === undefined,
        defaultMessage: (args) =>
          (args && problemFor(args.value, args.object as Record<string, unknown>)) ?? 'is invalid',
      },
    },
    options,
  );
}

const optional = { required: false } as const;

/** A POS or PowerOffice id: a non-empty single-line string (it becomes part of Kafka keys). */
export function IsEntityId(opts: { optional?: boolean; max?: number } = {}): PropertyDecorator {
  const max = opts.max ?? MAX_ID_LENGTH;
  return rule({
    name: 'entityId',
    presence: opts.optional ? optional : undefined,
    check: (v) =>
      typeof v === 'string' ? (v.length === 0 ? 'must not be empty' : textProblem(v, { max })) : 'must be a string id',
  });
}

export function IsText(opts: {
  max: number;
  optional?: boolean;
  multiline?: boolean;
  requiredWhen?: (object: Record<string, unknown>) => boolean;
  whyRequired?: string;
}): PropertyDecorator {
  const presence: Presence | undefined = opts.requiredWhen
    ? { requiredWhen: opts.requiredWhen, whyRequired: opts.whyRequired ?? '' }
    : opts.optional
      ? optional
      : undefined;
  return rule({
    name: 'text',
    presence,
    check: (v, object) => {
      if (typeof v !== 'string') return 'must be a string';
      // Optional text may be sent as "" for "none"; required text must say something.
      const nonBlank = opts.requiredWhen ? opts.requiredWhen(object) : !opts.optional;
      return textProblem(v, { max: opts.max, multiline: opts.multiline, nonBlank });
    },
  });
}

/** Money: an integer number of øre, |x| ≤ 10^13; `nonNegative` for stocks (float, counted cash). */
export function IsOre(opts: { optional?: boolean; nonNegative?: boolean } = {}): PropertyDecorator {
  return rule({
    name: 'ore',
    presence: opts.optional ? optional : undefined,
    check: (v) => {
      if (!isOre(v)) return 'must be an integer number of øre';
      if (opts.nonNegative && v < 0) return `must not be negative (got ${v})`;
      return undefined;
    },
  });
}

export function IsCount(): PropertyDecorator {
  return rule({
    name: 'count',
    check: (v) =>
      typeof v === 'number' && Number.isSafeInteger(v)
        ? v < 0
          ? `must not be negative (got ${v})`
          : undefined
        : 'must be a whole number (a count)',
  });
}

export function IsPositiveInteger(opts: { optional?: boolean } = {}): PropertyDecorator {
  return rule({
    name: 'positiveInteger',
    presence: opts.optional ? optional : undefined,
    check: (v) => (isPositiveInteger(v) ? undefined : 'must be a whole number of at least 1'),
  });
}

export function IsFiniteNumber(opts: {
  min: number;
  max: number;
  optional?: boolean;
  what?: string;
}): PropertyDecorator {
  return rule({
    name: 'number',
    presence: opts.optional ? optional : undefined,
    check: (v) =>
      typeof v === 'number' && Number.isFinite(v) && v >= opts.min && v <= opts.max
        ? undefined
        : `must be ${opts.what ?? 'a number'} between ${opts.min} and ${opts.max}`,
  });
}

export function IsFlag(): PropertyDecorator {
  return rule({ name: 'boolean', check: (v) => (typeof v === 'boolean' ? undefined : 'must be true or false') });
}

export function IsBusinessDate(opts: { optional?: boolean } = {}): PropertyDecorator {
  return rule({
    name: 'date',
    presence: opts.optional ? optional : undefined,
    check: (v) => (isCalendarDate(v) ? undefined : `${VALUE_PLACEHOLDER} is not a date (YYYY-MM-DD)`),
  });
}

export function IsTime(): PropertyDecorator {
  return rule({
    name: 'time',
    check: (v) => (isRfc3339Time(v) ? undefined : `${VALUE_PLACEHOLDER} is not an RFC 3339 time with offset`),
  });
}

export function IsUuidString(
  opts: { optional?: boolean; requiredWhen?: (object: Record<string, unknown>) => boolean; whyRequired?: string } = {},
): PropertyDecorator {
  return rule({
    name: 'uuid',
    presence: opts.requiredWhen
      ? { requiredWhen: opts.requiredWhen, whyRequired: opts.whyRequired ?? '' }
      : opts.optional
        ? optional
        : undefined,
    check: (v) => (isUuid(v) ? undefined : `${VALUE_PLACEHOLDER} is not a UUID`),
  });
}

export function IsTenantId(): PropertyDecorator {
  return rule({
    name: 'tenantId',
    check: (v) =>
      isValidTenantId(v)
        ? undefined
        : `${VALUE_PLACEHOLDER} is not a tenant id (letters, digits, '_', '.', '-'; at most 64)`,
  });
}

/** One of a fixed set of strings (enums of the contract, code lists). */
export function IsOneOf(
  allowed: readonly string[],
  opts: { optional?: boolean; what: string; listInProblem?: boolean },
): PropertyDecorator {
  const set = new Set(allowed);
  const list = opts.listInProblem === false ? '' : ` (one of ${allowed.join(', ')})`;
  return rule({
    name: 'oneOf',
    presence: opts.optional ? optional : undefined,
    check: (v) => (typeof v === 'string' && set.has(v) ? undefined : `${VALUE_PLACEHOLDER} is not ${opts.what}${list}`),
  });
}

export function IsSalesVatCode(): PropertyDecorator {
  return rule({
    name: 'vatCode',
    check: (v) => {
      if (typeof v !== 'string') return `must be a SAF-T VAT code as a string, e.g. "3" (got ${VALUE_PLACEHOLDER})`;
      return (SAFT_SALES_VAT_CODES as readonly string[]).includes(v)
        ? undefined
        : `${VALUE_PLACEHOLDER} is not a SAF-T sales VAT code (one of ${SAFT_SALES_VAT_CODES.join(', ')})`;
    },
  });
}

export function IsMatching(pattern: RegExp, opts: { optional?: boolean; what: string }): PropertyDecorator {
  return rule({
    name: 'pattern',
    presence: opts.optional ? optional : undefined,
    check: (v) => (typeof v === 'string' && pattern.test(v) ? undefined : `${VALUE_PLACEHOLDER} is not ${opts.what}`),
  });
}

/** A nested object (used with `@ValidateNested` + `@Type`); optional ones also get `@IsOptional`. */
export function IsNestedObject(): PropertyDecorator {
  return rule({
    name: 'object',
    check: (v) => (typeof v === 'object' && v !== null && !Array.isArray(v) ? undefined : 'must be an object'),
  });
}

/**
 * Lists cut short before validation (see `validateEventData`), with their length on the wire:
 * checking 25 000 broken lines one by one would only produce the same problem 25 000 times.
 */
const originalLengths = new WeakMap<unknown[], number>();

/**
 * Records that `list` stands for a list of `length` entries on the wire, when it was cut to
 * `MAX_LINES + 1` entries (enough to fail `IsList`) before validation.
 */
export function rememberLength(list: unknown[], length: number): void {
  if (length !== list.length) originalLengths.set(list, length);
}

export function IsList(opts: { max?: number; min?: number } = {}): PropertyDecorator {
  const max = opts.max ?? MAX_LINES;
  const min = opts.min ?? 0;
  return rule({
    name: 'list',
    check: (v) => {
      if (!Array.isArray(v)) return 'must be an array';
      const length = originalLengths.get(v) ?? v.length;
      if (length > max) return `must have at most ${max} entries (has ${length})`;
      if (length < min) return `must have at least ${min} ${min === 1 ? 'entry' : 'entries'}`;
      return undefined;
    },
  });
}
