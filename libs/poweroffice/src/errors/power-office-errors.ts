import { ErrorCode, PermanentError, PowerOfficeProblem, TransientError } from '@lib/contracts';

/** Where a failure happened, for the message and `details` (never a secret). */
export interface CallContext {
  tenantId: string;
  /** `METHOD /PathTemplate`, e.g. `PATCH /Customers/{id}`. */
  operation: string;
  /** What was being worked on, in the operator's words: `customer 42`, `cash-journal voucher Z-17`. */
  subject: string;
}

function detailsOf(ctx: CallContext, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { tenantId: ctx.tenantId, operation: ctx.operation, subject: ctx.subject, ...extra };
}

/** PowerOffice throttled, failed, timed out or could not be reached: worth retrying later. */
export class PowerOfficeUnavailableError extends TransientError {
  /** HTTP status when PowerOffice answered (429, 5xx); undefined for timeouts and network errors. */
  readonly status?: number;

  constructor(
    message: string,
    ctx: CallContext,
    options: { status?: number; powerOffice?: PowerOfficeProblem; retryAfterMs?: number; cause?: unknown } = {},
  ) {
    super(message, { powerOffice: options.powerOffice, retryAfterMs: options.retryAfterMs, cause: options.cause });
    this.status = options.status;
    // TransientError has no `details` parameter; the context is still useful to the pipeline.
    Object.defineProperty(this, 'details', { value: detailsOf(ctx, { status: options.status }), enumerable: true });
  }
}

/** The tenant's client key, token or privileges do not allow the call: someone must act in PowerOffice Go. */
export class PowerOfficeNotAuthorisedError extends PermanentError {
  /**
   * True when the client key itself no longer works (token refused, extension removed): every call
   * for the tenant will fail, so the tenant is marked not authorised. False when only one privilege
   * is missing (403, "Missing privilege"): that operation fails, the tenant's other flows go on.
   */
  readonly revokesAccess: boolean;

  constructor(
    message: string,
    ctx: CallContext,
    options: { powerOffice?: PowerOfficeProblem; missingPrivilege?: string; cause?: unknown; scope?: 'tenant' | 'operation' } = {},
  ) {
    super('TENANT_NOT_AUTHORISED', message, {
      powerOffice: options.powerOffice,
      details: detailsOf(ctx, options.missingPrivilege ? { missingPrivilege: options.missingPrivilege } : {}),
      cause: options.cause,
    });
    this.revokesAccess = (options.scope ?? 'tenant') === 'tenant';
  }
}

export type RejectionCode = Extract<ErrorCode, 'POWEROFFICE_REJECTED' | 'PERIOD_LOCKED' | 'NUMBER_OUT_OF_SERIES'>;

/** PowerOffice refused the request as such (400/404/409…); its own words are in `powerOffice`. */
export class PowerOfficeRejectedError extends PermanentError {
  declare readonly powerOffice: PowerOfficeProblem;

  constructor(code: RejectionCode, message: string, ctx: CallContext, powerOffice: PowerOfficeProblem) {
    super(code, message, { powerOffice, details: detailsOf(ctx, { status: powerOffice.status }) });
  }

  /** PowerOffice does not know the entity (404, or its "Object(s) not found" title on a 400). */
  get isNotFound(): boolean {
    return this.powerOffice.status === 404 || /not found/i.test(this.powerOffice.title ?? '');
  }
}
