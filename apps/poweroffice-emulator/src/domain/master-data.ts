import { Ticks } from './time';

/** Reads a string field of a body (already shaped by the OpenAPI layer); blank counts as absent. */
export function text(body: Record<string, unknown>, field: string): string | null {
  const v = body[field];
  return typeof v === 'string' && v.trim() !== '' ? v : null;
}

export function int(body: Record<string, unknown>, field: string): number | null {
  const v = body[field];
  return typeof v === 'number' && Number.isInteger(v) ? v : null;
}

export function num(body: Record<string, unknown>, field: string): number | null {
  const v = body[field];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

export function bool(body: Record<string, unknown>, field: string): boolean | null {
  const v = body[field];
  return typeof v === 'boolean' ? v : null;
}

/** The body's fields without the ones the caller handles itself (codes resolved to ids, money, …). */
export function without(body: Record<string, unknown>, handled: ReadonlySet<string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(body)) if (!handled.has(k)) out[k] = v;
  return out;
}

/** True when any of the named fields differs (by value) between two versions of a record. */
export function differs(a: Record<string, unknown>, b: Record<string, unknown>, names: Iterable<string>): boolean {
  for (const name of names) {
    if (JSON.stringify(a[name] ?? null) !== JSON.stringify(b[name] ?? null)) return true;
  }
  return false;
}

/**
 * For `…GreaterThan` filters: changed strictly after `after`, and already visible — with read-replica
 * lag, a change later than `visibleUntil` is not yet seen by change-filtered lists.
 */
export function changedAfter(at: Ticks, after: Ticks | undefined, visibleUntil: Ticks | undefined): boolean {
  if (after !== undefined && !(at > after)) return false;
  if (visibleUntil !== undefined && at > visibleUntil) return false;
  return true;
}
