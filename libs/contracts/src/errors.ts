/**
 * The error codes of the public contract (shared/docs/contracts.md). Stable: other Open services
 * switch on them. Extend by adding, never by renaming.
 */
export const ERROR_CODES = [
  'INVALID_EVENT',
  'TENANT_UNKNOWN',
  'TENANT_NOT_AUTHORISED',
  'CUSTOMER_NOT_FOUND',
  'NUMBER_OUT_OF_SERIES',
  'MAPPING_MISSING',
  'UNBALANCED',
  'IDENTITY_MISMATCH',
  'PERIOD_LOCKED',
  'POWEROFFICE_REJECTED',
  'RETRIES_EXHAUSTED',
  'SETTLEMENT_MISSING',
  'Z_NUMBER_GAP',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** PowerOffice's own words about a failed call, kept verbatim for the operator. */
export interface PowerOfficeProblem {
  status: number;
  title?: string;
  detail?: string;
}

/** The `error` object of every failure outcome. */
export interface OutcomeError {
  code: ErrorCode;
  message: string;
  retryable: boolean;
  details?: unknown;
  powerOffice?: PowerOfficeProblem;
}

/**
 * An error that knows how it ends: its contract code, whether trying again can help, and what to
 * tell the person who must act. Every library throws these (or subclasses); the pipeline turns
 * them into failure outcomes, retries, and dead letters without knowing where they came from.
 */
export class IntegrationError extends Error {
  readonly code: ErrorCode;
  readonly retryable: boolean;
  readonly details?: unknown;
  readonly powerOffice?: PowerOfficeProblem;
  /** For retryable errors: the earliest sensible retry (e.g. PowerOffice's Retry-After). */
  readonly retryAfterMs?: number;

  constructor(
    code: ErrorCode,
    message: string,
    options: {
      retryable?: boolean;
      details?: unknown;
      powerOffice?: PowerOfficeProblem;
      retryAfterMs?: number;
      cause?: unknown;
    } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.retryable = options.retryable ?? false;
    this.details = options.details;
    this.powerOffice = options.powerOffice;
    this.retryAfterMs = options.retryAfterMs;
  }

  toOutcomeError(): OutcomeError {
    const e: OutcomeError = { code: this.code, message: this.message, retryable: this.retryable };
    if (this.details !== undefined) e.details = this.details;
    if (this.powerOffice !== undefined) e.powerOffice = this.powerOffice;
    return e;
  }
}

/** A failure that will not go away by trying again (bad data, missing mapping, PowerOffice said no). */
export class PermanentError extends IntegrationError {
  constructor(code: ErrorCode, message: string, options: { details?: unknown; powerOffice?: PowerOfficeProblem; cause?: unknown } = {}) {
    super(code, message, { ...options, retryable: false });
  }
}

/** A failure that may pass (429, 5xx, timeouts, network): retried with backoff, then RETRIES_EXHAUSTED. */
export class TransientError extends IntegrationError {
  constructor(message: string, options: { powerOffice?: PowerOfficeProblem; retryAfterMs?: number; cause?: unknown; code?: ErrorCode } = {}) {
    super(options.code ?? 'RETRIES_EXHAUSTED', message, { ...options, retryable: true });
  }
}

export function isIntegrationError(err: unknown): err is IntegrationError {
  return err instanceof IntegrationError;
}
