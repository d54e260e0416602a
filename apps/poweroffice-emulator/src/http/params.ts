import { badFilter } from '../domain/problem';
import { msToTicks, Ticks } from '../domain/time';
import { Emulator } from '../emulator';
import { ApiRequest } from './types';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An int64 route id; anything else is a 400 as ASP.NET model binding answers. */
export function intId(req: ApiRequest, name = 'id'): number {
  const v = req.params[name] ?? '';
  if (!/^\d{1,18}$/.test(v)) throw badFilter(`The value '${v}' is not valid for ${name}.`);
  return Number(v);
}

export function uuidId(req: ApiRequest, name = 'id'): string {
  const v = req.params[name] ?? '';
  if (!UUID.test(v)) throw badFilter(`The value '${v}' is not valid for ${name}.`);
  return v.toLowerCase();
}

/**
 * The instant up to which changes are visible to change-filtered lists (read-replica lag), or
 * undefined when there is no lag.
 */
export function visibleUntil(emulator: Emulator, req: ApiRequest): Ticks | undefined {
  const lag = emulator.faults.listLagMs(req.grant.clientKey) ?? emulator.config.listLagMs;
  return lag > 0 ? msToTicks(req.nowMs - lag) : undefined;
}
