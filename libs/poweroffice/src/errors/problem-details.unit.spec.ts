import { IntegrationError, PermanentError, TransientError } from '@lib/contracts';
import { errorForNoResponse, errorForResponse, rejectionCode } from './classify';
import { parseProblem } from './problem-details';
import {
  PowerOfficeNotAuthorisedError,
  PowerOfficeRejectedError,
  PowerOfficeUnavailableError,
} from './power-office-errors';

const ctx = { tenantId: 'tenant-7', operation: 'POST /Customers', subject: 'new customer C-1' };

describe('parseProblem: the three error bodies PowerOffice sends', () => {
  it('reads camelCase ProblemDetails (the wire)', () => {
    expect(
      parseProblem({ title: 'Object(s) not found', status: 404, detail: 'Customer with id = 12345 not found.' }),
    ).toEqual({
      title: 'Object(s) not found',
      detail: 'Customer with id = 12345 not found.',
    });
  });

  it('reads PascalCase ProblemDetails (the spec) and any other casing', () => {
    expect(parseProblem({ Title: 'Customer conflict', Detail: 'in use', Type: 'about:blank' })).toEqual({
      title: 'Customer conflict',
      detail: 'in use',
      type: 'about:blank',
    });
    expect(parseProblem({ TITLE: 'x', DeTaIl: 'y' })).toEqual({ title: 'x', detail: 'y' });
  });

  it("reads APIM's {statusCode, message} and OAuth's {error, error_description}", () => {
    expect(parseProblem({ statusCode: '429', message: 'Rate limit is exceeded. Try again in 1 seconds.' })).toEqual({
      detail: 'Rate limit is exceeded. Try again in 1 seconds.',
    });
    expect(parseProblem({ error: 'invalid_client', error_description: 'Client integration not found.' })).toEqual({
      title: 'invalid_client',
      detail: 'Client integration not found.',
    });
  });

  it('keeps texts verbatim, including whitespace', () => {
    expect(parseProblem({ title: ' Spaced ', detail: 'Line 1.\nLine 2.' })).toEqual({
      title: ' Spaced ',
      detail: 'Line 1.\nLine 2.',
    });
  });

  it('copes with empty and non-JSON bodies', () => {
    expect(parseProblem(undefined)).toEqual({});
    expect(parseProblem('')).toEqual({});
    expect(parseProblem('<html>Bad gateway</html>')).toEqual({ detail: '<html>Bad gateway</html>' });
    expect(parseProblem([1, 2])).toEqual({});
    expect(parseProblem({ title: 42 })).toEqual({});
  });
});

describe('errorForResponse: what the pipeline and the operator get', () => {
  it('429 and 5xx are transient, with Retry-After surfaced', () => {
    const throttled = errorForResponse(ctx, {
      status: 429,
      problem: { detail: 'Rate limit is exceeded. Try again in 3 seconds.' },
      retryAfterMs: 3000,
    });
    expect(throttled).toBeInstanceOf(TransientError);
    expect(throttled).toBeInstanceOf(PowerOfficeUnavailableError);
    expect((throttled as IntegrationError).retryable).toBe(true);
    expect((throttled as IntegrationError).retryAfterMs).toBe(3000);
    expect((throttled as PowerOfficeUnavailableError).status).toBe(429);
    expect(throttled.message).toContain('tenant-7');
    expect(throttled.message).toContain('retry after 3 s');

    for (const status of [500, 502, 503, 504]) {
      const e = errorForResponse(ctx, { status, problem: {} }) as IntegrationError;
      expect(e).toBeInstanceOf(TransientError);
      expect(e.powerOffice).toEqual({ status });
    }
  });

  it('400/404/409 are rejections with PowerOffice’s words verbatim', () => {
    const problem = {
      title: 'Customer validation error(s)',
      detail: "ExternalImportReference is already in use. 'ABC123' is used on (contact) Id = 123456789.",
    };
    const e = errorForResponse(ctx, { status: 400, problem }) as PowerOfficeRejectedError;
    expect(e).toBeInstanceOf(PermanentError);
    expect(e).toBeInstanceOf(PowerOfficeRejectedError);
    expect(e.code).toBe('POWEROFFICE_REJECTED');
    expect(e.retryable).toBe(false);
    expect(e.powerOffice).toEqual({ status: 400, ...problem });
    expect(e.message).toContain(problem.detail);
    expect(e.message).toContain('POST /Customers');
    expect(e.message).toContain('new customer C-1');
    expect(e.toOutcomeError()).toMatchObject({
      code: 'POWEROFFICE_REJECTED',
      retryable: false,
      powerOffice: { status: 400 },
    });

    const notFound = errorForResponse(ctx, {
      status: 404,
      problem: { title: 'Object(s) not found', detail: 'Customer with id = 1 not found.' },
    }) as PowerOfficeRejectedError;
    expect(notFound.isNotFound).toBe(true);
    const conflict = errorForResponse(ctx, {
      status: 409,
      problem: { title: 'Customer conflict', detail: 'in use' },
    }) as PowerOfficeRejectedError;
    expect(conflict.code).toBe('POWEROFFICE_REJECTED');
    expect(conflict.isNotFound).toBe(false);
  });

  it('maps lock-date and number-series rejections to their contract codes', () => {
    const locked = errorForResponse(ctx, {
      status: 400,
      problem: {
        title: 'Voucher validation error(s)',
        detail: 'Posting date 2024-01-31 is on or before the lock date 2024-02-29.',
      },
    }) as IntegrationError;
    expect(locked.code).toBe('PERIOD_LOCKED');
    expect(locked.message).toMatch(/lock date/i);

    const series = errorForResponse(ctx, {
      status: 400,
      problem: {
        title: 'Customer validation error(s)',
        detail: 'Customer number 5 is not within a customer number series (10000-19999).',
      },
    }) as IntegrationError;
    expect(series.code).toBe('NUMBER_OUT_OF_SERIES');
    expect(rejectionCode({ detail: 'Name is required.' })).toBe('POWEROFFICE_REJECTED');
  });

  it('401 and 403 are "not authorised", naming the missing privilege when known', () => {
    const unauthorised = errorForResponse(ctx, { status: 401, problem: {}, afterRenewal: true }) as IntegrationError;
    expect(unauthorised).toBeInstanceOf(PowerOfficeNotAuthorisedError);
    expect(unauthorised.code).toBe('TENANT_NOT_AUTHORISED');
    expect(unauthorised.message).toContain('right after renewing');

    const forbidden = errorForResponse(ctx, {
      status: 403,
      problem: {},
      requiredRole: 'Customer_Full',
    }) as IntegrationError;
    expect(forbidden.code).toBe('TENANT_NOT_AUTHORISED');
    expect(forbidden.message).toContain('"Customer_Full"');
    expect(forbidden.details).toMatchObject({ missingPrivilege: 'Customer_Full', tenantId: 'tenant-7' });

    const missingSend = errorForResponse(ctx, {
      status: 400,
      problem: {
        title: 'Missing privilege',
        detail: 'The integration does not have the required privileges to send invoices.',
      },
    }) as IntegrationError;
    expect(missingSend.code).toBe('TENANT_NOT_AUTHORISED');
    expect(missingSend.powerOffice).toEqual({
      status: 400,
      title: 'Missing privilege',
      detail: 'The integration does not have the required privileges to send invoices.',
    });
  });

  it('timeouts and network failures are transient and warn that a write may have happened', () => {
    const timeout = errorForNoResponse(ctx, 'timeout', 30_000, new Error('aborted'));
    expect(timeout).toBeInstanceOf(TransientError);
    expect(timeout.message).toContain('30 s');
    expect(timeout.message).toContain('ExternalImportReference');
    const network = errorForNoResponse(
      { ...ctx, operation: 'GET /Customers' },
      'network',
      30_000,
      Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } }),
    );
    expect(network.retryable).toBe(true);
    expect(network.message).toContain('ECONNREFUSED');
    expect(network.message).not.toContain('ExternalImportReference');
  });
});
