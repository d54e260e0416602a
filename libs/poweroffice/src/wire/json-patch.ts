import { pointerToWire, shapeAt, toWire, WireShape } from './codec';
import { toNok } from '../money';

/** One RFC 6902 operation, in TypeScript names (camelCase, øre) until it is put on the wire. */
export interface PatchOperation {
  op: 'replace' | 'add' | 'remove';
  path: string;
  value?: unknown;
}

export interface DiffOptions<T> {
  /** Only these top-level fields may be patched (the entity's *PatchDto); others in `desired` are ignored. */
  fields?: readonly (keyof T & string)[];
}

/**
 * The `replace` operations that turn `current` into `desired`, for the fields `desired` sets.
 *
 * - `undefined` in `desired` means "leave as is"; `null` means "clear".
 * - Nested objects (a customer's `mailAddress`) are diffed field by field, so only what changed is
 *   sent — unless the entity has no such object yet, then the whole object is set.
 * - PowerOffice returns empty text as null or leaves it out; `''`, `null` and a missing value are
 *   therefore the same, or every sync would patch the same empty field again.
 *
 * An empty result means the call can be skipped (the budget is the scarce resource).
 */
export function diffToPatch<T extends object>(
  current: Partial<T> | null | undefined,
  desired: Partial<T>,
  options: DiffOptions<T> = {},
): PatchOperation[] {
  const allowed = options.fields ? new Set<string>(options.fields) : undefined;
  const ops: PatchOperation[] = [];
  diffInto(ops, '', (current ?? {}) as Record<string, unknown>, desired as Record<string, unknown>, allowed);
  return ops;
}

function diffInto(
  ops: PatchOperation[],
  prefix: string,
  current: Record<string, unknown>,
  desired: Record<string, unknown>,
  allowed?: Set<string>,
): void {
  for (const [key, want] of Object.entries(desired)) {
    if (want === undefined) continue;
    if (allowed && !allowed.has(key)) continue;
    const path = `${prefix}/${escapePointer(key)}`;
    const have = current[key];
    if (isPlainObject(want) && isPlainObject(have)) {
      diffInto(ops, path, have, want);
    } else if (!sameValue(have, want)) {
      ops.push({ op: 'replace', path, value: isPlainObject(want) ? withoutUndefined(want) : want });
    }
  }
}

/** RFC 6901: "~" and "/" inside a name are escaped. */
function escapePointer(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

function isEmpty(v: unknown): boolean {
  return v === undefined || v === null || v === '';
}

function sameValue(a: unknown, b: unknown): boolean {
  if (isEmpty(a) && isEmpty(b)) return true;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((v, i) => sameValue(v, b[i]));
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].every((k) => sameValue(a[k], b[k]));
  }
  return a === b;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function withoutUndefined(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

/** The wire form: PascalCase pointers, NOK amounts. */
export function patchToWire(ops: readonly PatchOperation[], shape: WireShape): unknown[] {
  return ops.map((o) => {
    const out: Record<string, unknown> = { op: o.op, path: pointerToWire(o.path) };
    if (o.op !== 'remove') {
      const at = shapeAt(o.path, shape);
      out.value = at.isMoney && typeof o.value === 'number' ? toNok(o.value) : toWire(o.value, at.shape);
    }
    return out;
  });
}
