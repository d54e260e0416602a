import { IntegrationError, OutcomeError } from '@lib/contracts';

/**
 * What a handler's throw means for the event:
 *  - transient: an IntegrationError that says trying again can help (429, 5xx, timeout);
 *  - permanent: an IntegrationError that will fail the same way again (bad data, PowerOffice said no);
 *  - unexpected: anything else, i.e. a bug or a library failing in a way nobody classified. Retried a
 *    few times like a transient failure (it might be a glitch) and then reported as RETRIES_EXHAUSTED
 *    with its message, so the event still ends in an outcome and is parked for a resend after the fix.
 */
export type FailureKind = 'transient' | 'permanent' | 'unexpected';

export interface Failure {
  kind: FailureKind;
  /** The outcome error if this failure is the last word on the event. */
  error: OutcomeError;
  retryAfterMs?: number;
  cause: unknown;
}

/** Longest error message put in an outcome or dead-letter header; longer ones are cut. */
export const MAX_OUTCOME_MESSAGE_LENGTH = 2000;

export function truncateMessage(message: string, max = MAX_OUTCOME_MESSAGE_LENGTH): string {
  return message.length <= max ? message : `${message.slice(0, max - 1)}…`;
}

export function classifyFailure(err: unknown): Failure {
  if (err instanceof IntegrationError) {
    const error = err.toOutcomeError();
    error.message = truncateMessage(error.message);
    return {
      kind: err.retryable ? 'transient' : 'permanent',
      error,
      retryAfterMs: err.retryAfterMs,
      cause: err,
    };
  }
  const message = err instanceof Error ? `${err.name}: ${err.message}` : `non-error thrown: ${String(err)}`;
  return {
    kind: 'unexpected',
    error: {
      code: 'RETRIES_EXHAUSTED',
      message: truncateMessage(`Unexpected error in the handler: ${message}`),
      retryable: true,
    },
    cause: err,
  };
}

/** The outcome error once retrying has stopped: RETRIES_EXHAUSTED, with the last failure's words. */
export function retriesExhausted(last: Failure, attempts: number, elapsedMs: number): OutcomeError {
  const seconds = Math.round(elapsedMs / 100) / 10;
  const error: OutcomeError = {
    code: 'RETRIES_EXHAUSTED',
    message: truncateMessage(
      `Gave up after ${attempts} attempt(s) over ${seconds} s. Last error: ${last.error.message}`,
    ),
    retryable: true,
    details: { lastErrorCode: last.error.code, attempts },
  };
  if (last.error.powerOffice) error.powerOffice = last.error.powerOffice;
  return error;
}

// SQLSTATE classes that mean "the database is not there", not "this event is bad":
// 08 connection exception, 57P01-57P03 shutdown / cannot connect now, 53300 too many connections.
const DATABASE_UNAVAILABLE_SQLSTATE = /^(08...|57P0[123]|53300)$/;
const POOL_UNAVAILABLE_MESSAGE =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/i;

/**
 * True when the error says PostgreSQL itself is unavailable. Such a failure is not the event's
 * fault: the event gets no outcome and its offset stays uncommitted, so it is delivered again once
 * the database is back (the only case, with Kafka being down, where an error reaches kafkajs).
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && typeof e === 'object' && depth < 4; depth++) {
    const o = e as { code?: unknown; message?: unknown; driverError?: unknown; cause?: unknown };
    if (typeof o.code === 'string' && DATABASE_UNAVAILABLE_SQLSTATE.test(o.code)) return true;
    if (typeof o.message === 'string' && POOL_UNAVAILABLE_MESSAGE.test(o.message)) return true;
    e = o.driverError ?? o.cause;
  }
  return false;
}
