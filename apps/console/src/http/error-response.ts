import { IntegrationError } from '@lib/contracts';
import { MappingInvalidError, TenantInputInvalidError } from '@lib/tenancy';
import { ConsoleError, ConsoleErrorKind } from '../domain/console-errors';

/** The body of every console error answer: what failed and, where it helps, the field-by-field problems. */
export interface ErrorBody {
  statusCode: number;
  error: string;
  /** The integration's error code (MAPPING_MISSING, TENANT_NOT_AUTHORISED …), when there is one. */
  code?: string;
  message: string;
  /** Each problem with its field or mapping key, e.g. {key: "sales.33", account: 3050, problem: "…"}. */
  problems?: unknown[];
  details?: unknown;
  retryable?: boolean;
}

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  404: 'Not Found',
  409: 'Conflict',
  422: 'Unprocessable Entity',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

const CONSOLE_STATUS: Record<ConsoleErrorKind, number> = { invalid: 400, notFound: 404, conflict: 409, refused: 422, unavailable: 503 };

/**
 * How an integration error reads over HTTP. The operator's input was wrong: 400. The tenant or the
 * thing asked about does not exist: 404. PowerOffice or the tenant's setup refuses it (key,
 * privileges, mapping against the chart of accounts): 422, with PowerOffice's own words. Worth
 * trying again later (PowerOffice or the broker unavailable): 503.
 */
const INTEGRATION_STATUS: Record<string, number> = {
  INVALID_EVENT: 400,
  TENANT_UNKNOWN: 404,
  TENANT_NOT_AUTHORISED: 422,
  MAPPING_MISSING: 422,
  PERIOD_LOCKED: 422,
  POWEROFFICE_REJECTED: 422,
  IDENTITY_MISMATCH: 422,
  UNBALANCED: 422,
  CUSTOMER_NOT_FOUND: 422,
  NUMBER_OUT_OF_SERIES: 422,
  RETRIES_EXHAUSTED: 503,
};

/** The answer for an error, or null when it is not one the console knows (an internal error: 500). */
export function errorResponse(err: unknown): ErrorBody | null {
  const body = (statusCode: number, rest: Omit<ErrorBody, 'statusCode' | 'error'>): ErrorBody => ({
    statusCode,
    error: STATUS_TEXT[statusCode] ?? 'Error',
    ...rest,
  });
  if (err instanceof ConsoleError) {
    return body(CONSOLE_STATUS[err.kind], {
      message: err.message,
      ...(Array.isArray(err.details) ? { problems: err.details } : err.details !== undefined ? { details: err.details } : {}),
    });
  }
  if (err instanceof MappingInvalidError || err instanceof TenantInputInvalidError) {
    return body(err instanceof MappingInvalidError ? 422 : 400, { code: err.code, message: err.message, problems: err.problems });
  }
  if (err instanceof IntegrationError) {
    const status = err.retryable ? 503 : (INTEGRATION_STATUS[err.code] ?? 422);
    return body(status, {
      code: err.code,
      message: err.message,
      retryable: err.retryable,
      ...(Array.isArray(err.details) ? { problems: err.details } : err.details !== undefined ? { details: err.details } : {}),
      ...(err.powerOffice ? { details: { ...(isRecord(err.details) ? err.details : {}), powerOffice: err.powerOffice } } : {}),
    });
  }
  return null;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
