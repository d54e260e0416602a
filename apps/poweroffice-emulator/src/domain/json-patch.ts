import { parseBusinessDate } from './time';
import { Problem } from './problem';

/**
 * RFC 6902 JSON Patch applied the way ASP.NET's JsonPatchDocument<T> applies it to a `*PatchDto`:
 * paths name DTO properties (case-insensitively), unknown segments and unconvertible values are 400s
 * worded as Go words them ("CustomerPatchDto: The target location specified by path segment 'x' was
 * not found.").
 */
export type PatchFieldType =
  | { kind: 'string' }
  | { kind: 'date' }
  | { kind: 'integer'; min: number; max: number }
  | { kind: 'number' }
  | { kind: 'boolean' }
  | { kind: 'integerArray' }
  | { kind: 'enum'; name: string; values: readonly string[] }
  | { kind: 'object'; spec: PatchDtoSpec };

export interface PatchField {
  name: string;
  type: PatchFieldType;
  nullable: boolean;
}

/** A `*PatchDto`: its name (for messages) and its fields keyed by lower-case name. */
export interface PatchDtoSpec {
  name: string;
  fields: ReadonlyMap<string, PatchField>;
}

export function patchDtoSpec(name: string, fields: readonly PatchField[]): PatchDtoSpec {
  return { name, fields: new Map(fields.map((f) => [f.name.toLowerCase(), f])) };
}

export type PatchOp = 'add' | 'remove' | 'replace' | 'move' | 'copy' | 'test';

export interface PatchOperation {
  op: PatchOp;
  path: string;
  value?: unknown;
  from?: string;
}

const OPS: readonly PatchOp[] = ['add', 'remove', 'replace', 'move', 'copy', 'test'];

/** Checks the body is a JSON Patch document (an array of operations) and reads it. */
export function readPatchDocument(body: unknown, entityTitle: string): PatchOperation[] {
  const fail = (detail: string): Problem => new Problem(400, `${entityTitle} validation error(s)`, detail);
  if (!Array.isArray(body)) {
    throw fail('The request body must be a JSON Patch document: an array of {op, path, value?, from?} operations.');
  }
  if (body.length === 0) throw fail('The JSON Patch document contains no operations.');
  return body.map((raw, i) => {
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
      throw fail(`Operation ${i} of the JSON Patch document is not an object.`);
    }
    const entries = Object.entries(raw as Record<string, unknown>);
    const get = (key: string): unknown => entries.find(([k]) => k.toLowerCase() === key)?.[1];
    const op = get('op');
    const path = get('path');
    if (typeof op !== 'string' || !OPS.includes(op.toLowerCase() as PatchOp)) {
      throw fail(`Operation ${i}: Invalid JsonPatch operation '${String(op)}'. Use one of ${OPS.join(', ')}.`);
    }
    if (typeof path !== 'string') throw fail(`Operation ${i}: the 'path' of a JSON Patch operation is required.`);
    const operation: PatchOperation = { op: op.toLowerCase() as PatchOp, path };
    const hasValue = entries.some(([k]) => k.toLowerCase() === 'value');
    if (hasValue) operation.value = get('value');
    const from = get('from');
    if (typeof from === 'string') operation.from = from;
    if ((operation.op === 'add' || operation.op === 'replace' || operation.op === 'test') && !hasValue) {
      throw fail(`Operation ${i} ('${operation.op}' at '${path}'): a 'value' is required.`);
    }
    if ((operation.op === 'move' || operation.op === 'copy') && operation.from === undefined) {
      throw fail(`Operation ${i} ('${operation.op}' at '${path}'): a 'from' path is required.`);
    }
    return operation;
  });
}

interface Location {
  /** The object holding the property (or the array) the path ends in. */
  parent: Record<string, unknown>;
  field: PatchField;
  /** Set when the path ends in an element of an integer array. */
  index?: number | '-';
}

/**
 * Applies the operations to a copy of `view` (the entity seen as its PatchDto) and returns it.
 * Either every operation applies or the original is untouched (a Problem is thrown).
 */
export function applyJsonPatch(
  view: Record<string, unknown>,
  operations: readonly PatchOperation[],
  spec: PatchDtoSpec,
  entityTitle: string,
): Record<string, unknown> {
  const doc = structuredClone(view);
  const problem = (detail: string): Problem => new Problem(400, `${entityTitle} validation error(s)`, detail);

  const locate = (path: string): Location => {
    if (!path.startsWith('/')) {
      throw problem(`${spec.name}: The target location specified by path segment '${path}' was not found.`);
    }
    const segments = path
      .slice(1)
      .split('/')
      .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
    let currentSpec = spec;
    let parent: Record<string, unknown> = doc;
    for (let i = 0; i < segments.length; i++) {
      const segment = segments[i]!;
      const field = currentSpec.fields.get(segment.toLowerCase());
      if (!field) {
        throw problem(`${currentSpec.name}: The target location specified by path segment '${segment}' was not found.`);
      }
      const last = i === segments.length - 1;
      if (last) return { parent, field };
      if (field.type.kind === 'object') {
        // Go pre-fills the PatchDto from the entity; a missing sub-object (no address yet) starts empty.
        let child = parent[field.name];
        if (child === null || child === undefined) {
          child = {};
          parent[field.name] = child;
        }
        parent = child as Record<string, unknown>;
        currentSpec = field.type.spec;
        continue;
      }
      if (field.type.kind === 'integerArray' && i === segments.length - 2) {
        const next = segments[i + 1]!;
        if (next === '-') return { parent, field, index: '-' };
        if (/^\d+$/.test(next)) return { parent, field, index: Number(next) };
      }
      throw problem(
        `${currentSpec.name}: The target location specified by path segment '${segments[i + 1]}' was not found.`,
      );
    }
    throw problem(`${spec.name}: The target location specified by path segment '' was not found.`);
  };

  const invalidValue = (value: unknown, specName: string): Problem =>
    problem(`${specName}: The value '${display(value)}' is invalid for target location.`);

  const read = (loc: Location): unknown => {
    const value = loc.parent[loc.field.name];
    if (loc.index === undefined) return value ?? null;
    const arr = Array.isArray(value) ? value : [];
    if (loc.index === '-' || loc.index >= arr.length) {
      throw problem(
        `${spec.name}: The index value provided by path segment '${loc.index}' is out of bounds of the array size.`,
      );
    }
    return arr[loc.index];
  };

  const write = (loc: Location, value: unknown, insert: boolean): void => {
    if (loc.index === undefined) {
      loc.parent[loc.field.name] = convert(value, loc.field, spec.name);
      return;
    }
    if (typeof value !== 'number' || !Number.isInteger(value)) throw invalidValue(value, spec.name);
    const arr = Array.isArray(loc.parent[loc.field.name]) ? [...(loc.parent[loc.field.name] as unknown[])] : [];
    if (loc.index === '-') arr.push(value);
    else if (loc.index > arr.length || (!insert && loc.index >= arr.length)) {
      throw problem(
        `${spec.name}: The index value provided by path segment '${loc.index}' is out of bounds of the array size.`,
      );
    } else if (insert) arr.splice(loc.index, 0, value);
    else arr[loc.index] = value;
    loc.parent[loc.field.name] = arr;
  };

  const remove = (loc: Location): void => {
    if (loc.index === undefined) {
      loc.parent[loc.field.name] = defaultValue(loc.field);
      return;
    }
    const arr = Array.isArray(loc.parent[loc.field.name]) ? [...(loc.parent[loc.field.name] as unknown[])] : [];
    if (loc.index === '-' || loc.index >= arr.length) {
      throw problem(
        `${spec.name}: The index value provided by path segment '${loc.index}' is out of bounds of the array size.`,
      );
    }
    arr.splice(loc.index, 1);
    loc.parent[loc.field.name] = arr;
  };

  const convert = (value: unknown, field: PatchField, specName: string): unknown => {
    if (value === null || value === undefined) {
      if (field.nullable) return null;
      throw invalidValue(value, specName);
    }
    const t = field.type;
    switch (t.kind) {
      case 'string':
        if (typeof value === 'string') return value;
        break;
      case 'date': {
        const date = typeof value === 'string' ? parseBusinessDate(value) : null;
        if (date) return date;
        break;
      }
      case 'integer':
        if (typeof value === 'number' && Number.isInteger(value) && value >= t.min && value <= t.max) return value;
        break;
      case 'number':
        if (typeof value === 'number' && Number.isFinite(value)) return value;
        break;
      case 'boolean':
        if (typeof value === 'boolean') return value;
        break;
      case 'integerArray':
        if (Array.isArray(value) && value.every((v) => typeof v === 'number' && Number.isInteger(v))) return [...value];
        break;
      case 'enum': {
        if (typeof value === 'number') {
          throw problem(
            `Enum '${field.name.toLowerCase()}' with value = ${value} is not valid. (Enums is not allowed to be represented as integers).`,
          );
        }
        const match =
          typeof value === 'string' ? t.values.find((v) => v.toLowerCase() === value.toLowerCase()) : undefined;
        if (match) return match;
        break;
      }
      case 'object': {
        if (typeof value !== 'object' || Array.isArray(value)) break;
        const out: Record<string, unknown> = {};
        for (const sub of t.spec.fields.values()) out[sub.name] = null;
        for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
          const sub = t.spec.fields.get(key.toLowerCase());
          if (sub) out[sub.name] = convert(v, sub, t.spec.name);
        }
        return out;
      }
    }
    throw invalidValue(value, specName);
  };

  for (const operation of operations) {
    const target = locate(operation.path);
    switch (operation.op) {
      case 'add':
        write(target, operation.value, true);
        break;
      case 'replace':
        write(target, operation.value, false);
        break;
      case 'remove':
        remove(target);
        break;
      case 'test': {
        const current = read(target);
        if (JSON.stringify(current) !== JSON.stringify(operation.value ?? null)) {
          throw problem(
            `The current value '${display(current)}' at path '${operation.path}' is not equal to the test value '${display(operation.value)}'.`,
          );
        }
        break;
      }
      case 'move':
      case 'copy': {
        const source = locate(operation.from!);
        const value = structuredClone(read(source));
        if (operation.op === 'move') remove(source);
        write(target, value, true);
        break;
      }
    }
  }
  return doc;
}

function defaultValue(field: PatchField): unknown {
  if (field.nullable) return null;
  switch (field.type.kind) {
    case 'boolean':
      return false;
    case 'integer':
    case 'number':
      return 0;
    case 'enum':
      return field.type.values[0] ?? null;
    default:
      return null;
  }
}

function display(value: unknown): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}
