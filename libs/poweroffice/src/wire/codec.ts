import { toNok, toOre } from '../money';

/**
 * How a DTO differs from a plain PascalCase ↔ camelCase rename: which fields are money (øre in
 * TypeScript, NOK on the wire) and which nested objects or arrays carry money of their own.
 */
export interface WireShape {
  money?: readonly string[];
  nested?: Readonly<Record<string, WireShape>>;
}

const EMPTY: WireShape = {};

function pascal(key: string): string {
  return key.length === 0 ? key : key[0].toUpperCase() + key.slice(1);
}

function camel(key: string): string {
  return key.length === 0 ? key : key[0].toLowerCase() + key.slice(1);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

/** A TypeScript DTO (camelCase, øre) → the JSON body PowerOffice expects (PascalCase, NOK). */
export function toWire(value: unknown, shape: WireShape = EMPTY): unknown {
  if (Array.isArray(value)) return value.map((v) => toWire(v, shape));
  if (value instanceof Date) return value.toISOString();
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (v === undefined) continue;
    out[pascal(key)] = shape.money?.includes(key) && typeof v === 'number' ? toNok(v) : toWire(v, shape.nested?.[key]);
  }
  return out;
}

/** A PowerOffice JSON body (PascalCase, NOK) → the TypeScript DTO (camelCase, øre). */
export function fromWire<T>(value: unknown, shape: WireShape = EMPTY): T {
  return convertFromWire(value, shape) as T;
}

function convertFromWire(value: unknown, shape: WireShape): unknown {
  if (Array.isArray(value)) return value.map((v) => convertFromWire(v, shape));
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [wireKey, v] of Object.entries(value)) {
    const key = camel(wireKey);
    out[key] =
      shape.money?.includes(key) && typeof v === 'number' ? toOre(v) : convertFromWire(v, shape.nested?.[key] ?? EMPTY);
  }
  return out;
}

/** A JSON Pointer in TypeScript names (`/mailAddress/city`) → PowerOffice's (`/MailAddress/City`). */
export function pointerToWire(pointer: string): string {
  return pointer
    .split('/')
    .map((segment) => pascal(segment))
    .join('/');
}

/** The shape that applies at a JSON Pointer, and whether the pointer names a money field. */
export function shapeAt(pointer: string, shape: WireShape): { isMoney: boolean; shape: WireShape } {
  const segments = pointer.split('/').filter((s) => s !== '');
  let current: WireShape = shape;
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i];
    if (i === segments.length - 1 && current.money?.includes(seg)) return { isMoney: true, shape: EMPTY };
    // Array indices ("/lines/0/amount") keep the array's element shape.
    if (/^(\d+|-)$/.test(seg)) continue;
    current = current.nested?.[seg] ?? EMPTY;
  }
  return { isMoney: false, shape: current };
}
