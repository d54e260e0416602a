import { errorForResponse } from './classify';
import { PowerOfficeNotAuthorisedError, PowerOfficeRejectedError, PowerOfficeUnavailableError } from './power-office-errors';

const ctx = { tenantId: 't1', operation: 'POST /SalesOrders/{id}/createAndSendInvoice', subject: 'sales order 7' };

describe('errorForResponse: who is affected by a refusal', () => {
  it.each([
    ['a refused token (401): the client key no longer works', { status: 401, problem: {} }, true],
    ['a 403 for one endpoint: one privilege is missing', { status: 403, problem: {}, requiredRole: 'SalesOrders_Full' }, false],
    [
      'a 400 "Missing privilege" for sending invoices',
      { status: 400, problem: { title: 'Missing privilege', detail: 'The integration does not have the required privileges to send invoices.' } },
      false,
    ],
  ])('%s', (_what, res, revokes) => {
    const err = errorForResponse(ctx, res);
    expect(err).toBeInstanceOf(PowerOfficeNotAuthorisedError);
    expect((err as PowerOfficeNotAuthorisedError).code).toBe('TENANT_NOT_AUTHORISED');
    expect((err as PowerOfficeNotAuthorisedError).revokesAccess).toBe(revokes);
  });

  it('keeps PowerOffice words verbatim and classifies lock dates', () => {
    const err = errorForResponse(ctx, {
      status: 400,
      problem: { title: 'Voucher validation error(s)', detail: 'Posting date 2026-01-31 is on or before the lock date 2026-01-31.' },
    });
    expect(err).toBeInstanceOf(PowerOfficeRejectedError);
    expect((err as PowerOfficeRejectedError).code).toBe('PERIOD_LOCKED');
    expect((err as PowerOfficeRejectedError).powerOffice).toEqual({
      status: 400,
      title: 'Voucher validation error(s)',
      detail: 'Posting date 2026-01-31 is on or before the lock date 2026-01-31.',
    });
  });

  it('treats 429 and 5xx as transient with Retry-After', () => {
    const err = errorForResponse(ctx, { status: 429, problem: {}, retryAfterMs: 2000 });
    expect(err).toBeInstanceOf(PowerOfficeUnavailableError);
    expect((err as PowerOfficeUnavailableError).retryable).toBe(true);
    expect((err as PowerOfficeUnavailableError).retryAfterMs).toBe(2000);
  });
});
