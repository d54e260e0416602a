import { URL_NAMESPACE, uuidv5, type OutcomeError } from '@lib/contracts';

/** A business day a register that has posted before sent no Z-report for. */
export interface MissingDay {
  tenantId: string;
  registerId: string;
  businessDate: string;
  /** The register's latest Z-report before that day. */
  lastReceived: { zNumber: number; businessDate: string };
}

/** Name space of the synthetic causes of missing-day outcomes (there is no event to point at). */
export const MISSING_DAY_NAMESPACE = uuidv5('urn:open-one-poweroffice:settlement:missing-day', URL_NAMESPACE);

/**
 * The `ce_id` that stands in for the cause of a missing day's outcome: the same register-day always
 * gives the same id, so the outcome id (derived from it) is stable across instances and re-runs.
 */
export function missingDayCauseId(day: Pick<MissingDay, 'tenantId' | 'registerId' | 'businessDate'>): string {
  return uuidv5(JSON.stringify([day.tenantId, day.registerId, day.businessDate]), MISSING_DAY_NAMESPACE);
}

/**
 * The Z number the missing day's report would carry if the register's sequence is unbroken. The
 * outcome is keyed `<registerId>:<expected Z>` as every settlement outcome is keyed by register and
 * Z; if a later day arrives with that number instead, its own outcomes follow on the same key.
 */
export function expectedZNumber(day: MissingDay): number {
  return day.lastReceived.zNumber + 1;
}

export function missingDayFailure(day: MissingDay, cutoff: string): OutcomeError {
  const expected = expectedZNumber(day);
  return {
    code: 'SETTLEMENT_MISSING',
    message:
      `No Z-report from register ${day.registerId} of tenant ${day.tenantId} for business day ${day.businessDate}: ` +
      `it was expected by ${cutoff} the next morning (as Z ${expected}; the last one received is Z ${day.lastReceived.zNumber} ` +
      `of ${day.lastReceived.businessDate}). A till without sales that day needs no Z-report; otherwise close the day on the ` +
      'till or send its Z-report again, so the day reaches the books.',
    retryable: false,
    details: {
      registerId: day.registerId,
      businessDate: day.businessDate,
      expectedZNumber: expected,
      lastReceived: { ...day.lastReceived },
    },
  };
}
