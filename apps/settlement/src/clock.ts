/**
 * Time as the settlement sees it: schedules, due checks, leases and the missing-day check all ask
 * this clock, so tests can set the night instead of waiting for it.
 */
export interface SettlementClock {
  now(): Date;
}

export const SETTLEMENT_CLOCK = Symbol('SETTLEMENT_CLOCK');

export const systemClock: SettlementClock = { now: () => new Date() };
