import { PermanentError, TransientError } from '@lib/contracts';
import { MappingInvalidError, TenantInputInvalidError } from '@lib/tenancy';
import { conflict, invalid, notFound, refused, unavailable } from '../domain/console-errors';
import { errorResponse } from './error-response';

describe('errorResponse: how an error reads over HTTP', () => {
  it.each<[string, unknown, number, string | undefined]>([
    ['bad operator input (tenancy)', new TenantInputInvalidError('Cannot onboard', [{ field: 'id', problem: 'is taken' }]), 400, 'INVALID_EVENT'],
    ['a mapping that does not fit the chart', new MappingInvalidError('t1', [{ key: 'sales.3', account: 3999, problem: 'unknown', rule: 'unknownAccount' }]), 422, 'MAPPING_MISSING'],
    ['an unknown tenant', new PermanentError('TENANT_UNKNOWN', 'Tenant t1 is not onboarded'), 404, 'TENANT_UNKNOWN'],
    ['a key PowerOffice refuses', new PermanentError('TENANT_NOT_AUTHORISED', 'refused'), 422, 'TENANT_NOT_AUTHORISED'],
    ['PowerOffice unavailable', new TransientError('PowerOffice answered 503'), 503, 'RETRIES_EXHAUSTED'],
    ['nothing to act on', notFound('no such Z'), 404, undefined],
    ['the wrong state', conflict('already posted'), 409, undefined],
    ['the flow refuses', refused('cannot be built'), 422, undefined],
    ['a flow not deployed', unavailable('no pipeline'), 503, undefined],
    ['bad input (console)', invalid('since is not a time', [{ field: 'since', problem: 'x' }]), 400, undefined],
  ])('%s', (_name, err, status, code) => {
    const body = errorResponse(err)!;
    expect(body.statusCode).toBe(status);
    expect(body.code).toBe(code);
    expect(body.message).toBe((err as Error).message);
  });

  it('lists field and mapping problems', () => {
    expect(errorResponse(new MappingInvalidError('t1', [{ key: 'sales.3', account: 3999, problem: 'unknown', rule: 'unknownAccount' }]))!.problems).toEqual([
      { key: 'sales.3', account: 3999, problem: 'unknown', rule: 'unknownAccount' },
    ]);
    expect(errorResponse(invalid('x', [{ field: 'since', problem: 'must be a time' }]))!.problems).toEqual([{ field: 'since', problem: 'must be a time' }]);
  });

  it('keeps PowerOffice\'s own words', () => {
    const body = errorResponse(new PermanentError('POWEROFFICE_REJECTED', 'refused', { powerOffice: { status: 400, title: 'Bad Request', detail: 'Period is locked' } }))!;
    expect(body.details).toEqual({ powerOffice: { status: 400, title: 'Bad Request', detail: 'Period is locked' } });
  });

  it('knows nothing of other errors (they are a 500 whose message stays in the log)', () => {
    expect(errorResponse(new Error('boom'))).toBeNull();
    expect(errorResponse('boom')).toBeNull();
  });
});
