import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { ValidationError, validateSync } from 'class-validator';
import { OutcomeError } from './errors';
import { EVENT_DATA_CLASSES, isEventType } from './events';
import { MAX_LINES, VALUE_PLACEHOLDER, clip, rememberLength, showValue } from './rules';

/** One thing wrong with an event, addressed so a person can find it: `payments[1].amount`, `header ce_id`, `key`. */
export interface FieldProblem {
  field: string;
  problem: string;
}

/** An INVALID_EVENT error always lists its problems. */
export interface InvalidEventError extends OutcomeError {
  code: 'INVALID_EVENT';
  retryable: false;
  details: FieldProblem[];
}

/** More problems than this are summarised; a broken 1 MiB array must not become a 50 MiB outcome. */
export const MAX_REPORTED_PROBLEMS = 100;
/** Real events are 3–4 levels deep; far deeper JSON is refused before it can exhaust the stack. */
export const MAX_DATA_DEPTH = 32;
/** Problems spelled out in the one-line message; the rest are in `details`. */
const PROBLEMS_IN_MESSAGE = 10;

/**
 * Checks the data of an event of `type` against the contract and returns every problem found
 * (empty when valid). Never throws. Unknown extra fields are not problems (contracts.md: fields
 * may be added).
 */
export function validateEventData(type: string, data: unknown): FieldProblem[] {
  if (!isEventType(type)) return [{ field: 'type', problem: `${showValue(type)} is not a known event type` }];
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return [{ field: 'data', problem: `must be a JSON object (got ${showValue(data)})` }];
  }
  if (depthExceeds(data, MAX_DATA_DEPTH)) {
    return [{ field: 'data', problem: `is nested deeper than ${MAX_DATA_DEPTH} levels` }];
  }
  try {
    // Top-level lists (sales, payments, lines) are cut before conversion: 25 000 broken lines would
    // cost a second of CPU per record only to repeat one problem. Their real length is kept.
    const cutLengths = new Map<string, number>();
    const view: Record<string, unknown> = { ...(data as Record<string, unknown>) };
    for (const [name, value] of Object.entries(view)) {
      if (Array.isArray(value) && value.length > MAX_LINES + 1) {
        view[name] = value.slice(0, MAX_LINES + 1);
        cutLengths.set(name, value.length);
      }
    }
    const instance = plainToInstance(EVENT_DATA_CLASSES[type] as new () => object, view) as Record<string, unknown>;
    for (const [name, length] of cutLengths) {
      const list = instance[name];
      if (Array.isArray(list)) rememberLength(list, length);
    }
    const errors = validateSync(instance, { validationError: { target: false, value: true } });
    const problems: FieldProblem[] = [];
    collectProblems(errors, '', problems);
    return capProblems(problems);
  } catch (err) {
    // Defensive: pathological input (e.g. absurdly deep nesting in an extra field) must still end
    // in an answer, not an exception inside a consumer.
    return [
      {
        field: 'data',
        problem: `could not be checked: ${err instanceof Error ? clip(err.message, 200) : 'unknown error'}`,
      },
    ];
  }
}

/** Iterative, so the check itself cannot overflow the stack. */
function depthExceeds(root: object, limit: number): boolean {
  const stack: Array<[unknown, number]> = [[root, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (typeof node !== 'object' || node === null) continue;
    if (depth > limit) return true;
    for (const child of Object.values(node))
      if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
  }
  return false;
}

function collectProblems(errors: ValidationError[], parentPath: string, out: FieldProblem[]): void {
  for (const error of errors) {
    if (out.length > MAX_REPORTED_PROBLEMS) return;
    const path = joinPath(parentPath, error.property);
    const constraints = Object.entries(error.constraints ?? {});
    for (const [name, message] of constraints) {
      // ValidateNested complains about non-objects too; our own rule already said it better.
      if (name === 'nestedValidation' && constraints.length > 1) continue;
      const problem =
        name === 'nestedValidation'
          ? 'must be an object'
          : message.split(VALUE_PLACEHOLDER).join(showValue(error.value));
      out.push({ field: path, problem });
    }
    if (error.children && error.children.length > 0) collectProblems(error.children, path, out);
  }
}

/** `payments` + `1` → `payments[1]`; `payments[1]` + `amount` → `payments[1].amount`. */
function joinPath(parent: string, property: string): string {
  if (/^\d+$/.test(property)) return `${parent}[${property}]`;
  return parent === '' ? property : `${parent}.${property}`;
}

function capProblems(problems: FieldProblem[]): FieldProblem[] {
  if (problems.length <= MAX_REPORTED_PROBLEMS) return problems;
  return [...problems.slice(0, MAX_REPORTED_PROBLEMS), { field: '…', problem: 'and more problems (not listed)' }];
}

/**
 * One line a person can act on: `ZReportClosed is invalid: payments[1].amount must be an integer
 * number of øre; businessDate "2026-02-30" is not a date (YYYY-MM-DD)`.
 */
export function describeProblems(subject: string, problems: readonly FieldProblem[]): string {
  const shown = problems.slice(0, PROBLEMS_IN_MESSAGE).map((p) => `${p.field} ${p.problem}`);
  const more = problems.length - shown.length;
  return `${subject} is invalid: ${shown.join('; ')}${more > 0 ? `; and ${more} more` : ''}`;
}

/** The `error` of a failure outcome for an event that failed validation. */
export function invalidEventError(subject: string, problems: FieldProblem[]): InvalidEventError {
  return { code: 'INVALID_EVENT', message: describeProblems(subject, problems), retryable: false, details: problems };
}
