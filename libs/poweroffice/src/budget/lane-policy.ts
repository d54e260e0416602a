import { Lane } from '../lanes';

/**
 * How far ahead of time each lane may reserve a slot, as a fraction of the slot interval.
 *
 * Requests are paced by reserving consecutive time slots one interval apart. A lane may only
 * reserve the next free slot when it starts within its horizon; otherwise it waits until it does.
 * So when lanes compete for the same slot, the one with the longer horizon gets there first (strict
 * priority), and because bulk lanes can never queue more than a fraction of an interval ahead, an
 * invoice finds at most one slot (plus that fraction) taken before it: it waits about one interval
 * behind bulk work. Invoices themselves reserve without limit — nothing outranks them.
 *
 * The lowest horizon is above zero so that a waiting lane wakes just before the slot starts and
 * no budget is lost to timer and database latency.
 */
const HORIZON_FRACTION: Readonly<Record<Lane, number | null>> = {
  invoice: null,
  settlement: 0.4,
  customer: 0.25,
  article: 0.15,
  replay: 0.05,
};

/**
 * Ageing, so strict priority cannot starve a lane: a call that has waited long grows its horizon by
 * AGING_STEP every AGING_EVERY_MS, up to AGED_MAX. A customer update stuck behind a night's
 * settlement backlog then gets a slot within seconds, while invoices still outrank every aged call
 * (AGED_MAX stays below one interval: an invoice waits at most about 1.5 intervals).
 */
const AGING_EVERY_MS = 2000;
const AGING_STEP = 0.05;
const AGED_MAX = 0.45;

/** The lane's horizon in ms for a given slot interval, after `waitedMs` of waiting; null = unlimited. */
export function laneHorizonMs(lane: Lane, intervalMs: number, waitedMs = 0): number | null {
  const f = HORIZON_FRACTION[lane];
  if (f === null) return null;
  const aged = f + Math.floor(Math.max(0, waitedMs) / AGING_EVERY_MS) * AGING_STEP;
  return Math.max(f, Math.min(AGED_MAX, aged)) * intervalMs;
}
