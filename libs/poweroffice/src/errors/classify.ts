import { PowerOfficeProblem } from '@lib/contracts';
import { ProblemFields } from './problem-details';
import {
  CallContext,
  PowerOfficeNotAuthorisedError,
  PowerOfficeRejectedError,
  PowerOfficeUnavailableError,
  RejectionCode,
} from './power-office-errors';

/** A call that PowerOffice answered with a status we do not treat as success. */
export interface FailedResponse {
  status: number;
  problem: ProblemFields;
  retryAfterMs?: number;
  /** The role PowerOffice's spec names for the endpoint, to say what a 403 is missing. */
  requiredRole?: string;
  /** The 401 came although the token was just renewed. */
  afterRenewal?: boolean;
}

// PowerOffice publishes no texts for these rejections; the patterns cover its English wording
// ("… on or before the lock date …") and the Norwegian UI terms, and fall back to POWEROFFICE_REJECTED.
const LOCK_DATE = /lock\s*-?date|locked period|period is locked|låsedato|sperredato/i;
const NUMBER_SERIES = /number\s*-?series|nummerserie|outside .*series|not within .*series|out of .*series/i;
const MISSING_PRIVILEGE = /missing privilege|required privilege/i;

function problemOf(status: number, problem: ProblemFields): PowerOfficeProblem {
  const p: PowerOfficeProblem = { status };
  if (problem.title !== undefined) p.title = problem.title;
  if (problem.detail !== undefined) p.detail = problem.detail;
  return p;
}

/** "Customer validation error(s): Name is required." — PowerOffice's words, as one phrase. */
function said(problem: ProblemFields): string {
  const parts = [problem.title, problem.detail].filter((s): s is string => !!s && s.trim() !== '');
  return parts.length ? `: ${parts.join(': ')}` : '';
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

export function rejectionCode(problem: ProblemFields): RejectionCode {
  const text = `${problem.title ?? ''} ${problem.detail ?? ''}`;
  if (LOCK_DATE.test(text)) return 'PERIOD_LOCKED';
  if (NUMBER_SERIES.test(text)) return 'NUMBER_OUT_OF_SERIES';
  return 'POWEROFFICE_REJECTED';
}

/** The typed error for an API (not token) response that is not a success. */
export function errorForResponse(ctx: CallContext, res: FailedResponse): Error {
  const { status, problem } = res;
  const where = `${ctx.operation} (${ctx.subject}) for tenant ${ctx.tenantId}`;
  const powerOffice = problemOf(status, problem);

  if (status === 429) {
    const wait =
      res.retryAfterMs !== undefined ? `retry after ${seconds(res.retryAfterMs)}` : 'retry in a second or more';
    return new PowerOfficeUnavailableError(
      `PowerOffice throttled ${where} (429)${said(problem)}; ${wait}. If this repeats, POWEROFFICE_RATE_LIMIT is above what the subscription key allows.`,
      ctx,
      { status, powerOffice, retryAfterMs: res.retryAfterMs },
    );
  }
  if (status >= 500 || status === 408) {
    return new PowerOfficeUnavailableError(
      `PowerOffice failed on ${where} (${status})${said(problem)}; this is on PowerOffice's side — retry later.`,
      ctx,
      { status, powerOffice, retryAfterMs: res.retryAfterMs },
    );
  }
  if (status === 401) {
    return new PowerOfficeNotAuthorisedError(
      `PowerOffice refused the access token for tenant ${ctx.tenantId} on ${ctx.operation} (${ctx.subject})` +
        `${res.afterRenewal ? ' even right after renewing it' : ''}${said(problem)}. The Open One extension was probably removed ` +
        'from the client in PowerOffice Go: ask the customer to add it again and enter the new client key, then resend.',
      ctx,
      { powerOffice },
    );
  }
  if (status === 403 || (status === 400 && MISSING_PRIVILEGE.test(`${problem.title ?? ''} ${problem.detail ?? ''}`))) {
    const missing = status === 403 ? res.requiredRole : undefined;
    const what = missing
      ? `the integration lacks the privilege "${missing}" (or the client lacks the PowerOffice module behind it)`
      : 'the integration lacks a privilege it needs';
    return new PowerOfficeNotAuthorisedError(
      `PowerOffice denied ${where} (${status})${said(problem)}: ${what}. Ask the customer to grant it to the Open One extension ` +
        'in PowerOffice Go (Settings → Extensions); ClientIntegrationInformation lists what is granted. Then resend.',
      ctx,
      { powerOffice, missingPrivilege: missing, scope: 'operation' },
    );
  }

  const code = rejectionCode(problem);
  const next =
    code === 'PERIOD_LOCKED'
      ? 'The date is in a locked accounting period: post it in an open period, or ask the accountant to move the lock date in PowerOffice Go, then resend.'
      : code === 'NUMBER_OUT_OF_SERIES'
        ? "The number is outside the client's number series: set up a series in PowerOffice Go that covers it (or let PowerOffice assign the number), then resend."
        : status === 404 && !problem.title && !problem.detail
          ? 'PowerOffice answered 404 without a body, which is what it does for unknown routes and URLs over ~2000 characters; check the request.'
          : 'Correct the data (or the mapping) it refers to, then resend.';
  return new PowerOfficeRejectedError(
    code,
    `PowerOffice rejected ${where} (${status})${said(problem)}. ${next}`,
    ctx,
    powerOffice,
  );
}

/** No answer at all: a timeout or a network failure. Whether a write was applied is unknown. */
export function errorForNoResponse(
  ctx: CallContext,
  kind: 'timeout' | 'network',
  timeoutMs: number,
  cause: unknown,
): PowerOfficeUnavailableError {
  // A token request changes nothing in PowerOffice; any other write may have been applied.
  const unknownOutcome =
    /^(POST|PATCH|PUT|DELETE)\b/.test(ctx.operation) && !/\/OAuth\/Token$/i.test(ctx.operation)
      ? ' Whether PowerOffice applied it is unknown: look it up (e.g. by ExternalImportReference) before creating it again.'
      : '';
  if (kind === 'timeout') {
    return new PowerOfficeUnavailableError(
      `No answer from PowerOffice within ${seconds(timeoutMs)} on ${ctx.operation} (${ctx.subject}) for tenant ${ctx.tenantId}; retry later.${unknownOutcome}`,
      ctx,
      { cause },
    );
  }
  return new PowerOfficeUnavailableError(
    `Could not reach PowerOffice on ${ctx.operation} (${ctx.subject}) for tenant ${ctx.tenantId} (${networkReason(cause)}); ` +
      `check the network and POWEROFFICE_BASE_URL, retry later.${unknownOutcome}`,
    ctx,
    { cause },
  );
}

function networkReason(cause: unknown): string {
  const inner = (cause as { cause?: { code?: unknown; message?: unknown } } | undefined)?.cause;
  if (inner && typeof inner.code === 'string') return inner.code;
  if (inner && typeof inner.message === 'string') return inner.message;
  return cause instanceof Error ? cause.message : 'network error';
}
