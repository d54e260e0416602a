import { IntegrationError, PermanentError, TransientError } from '@lib/contracts';
import { classifyFailure, isDatabaseUnavailable, retriesExhausted, truncateMessage } from './classify';

describe('classifyFailure', () => {
  it('retries what the error says may pass, keeping its Retry-After', () => {
    const f = classifyFailure(
      new TransientError('PowerOffice answered 429', { retryAfterMs: 2000, powerOffice: { status: 429 } }),
    );
    expect(f).toMatchObject({
      kind: 'transient',
      retryAfterMs: 2000,
      error: { retryable: true, powerOffice: { status: 429 } },
    });
  });

  it('ends permanent errors at once, with their code, details and PowerOffice words', () => {
    const f = classifyFailure(
      new PermanentError('MAPPING_MISSING', 'no account for vipps', {
        details: ['payments.vipps'],
        powerOffice: { status: 400, title: 'Bad' },
      }),
    );
    expect(f.kind).toBe('permanent');
    expect(f.error).toEqual({
      code: 'MAPPING_MISSING',
      message: 'no account for vipps',
      retryable: false,
      details: ['payments.vipps'],
      powerOffice: { status: 400, title: 'Bad' },
    });
  });

  it('treats anything that is not an IntegrationError as unexpected (a bug), reported as RETRIES_EXHAUSTED', () => {
    const f = classifyFailure(new TypeError("Cannot read properties of undefined (reading 'zNumber')"));
    expect(f.kind).toBe('unexpected');
    expect(f.error.code).toBe('RETRIES_EXHAUSTED');
    expect(f.error.message).toContain("TypeError: Cannot read properties of undefined (reading 'zNumber')");
    expect(classifyFailure('a string').error.message).toContain('non-error thrown: a string');
  });

  it('cuts very long messages so outcomes and headers stay small', () => {
    const f = classifyFailure(new IntegrationError('POWEROFFICE_REJECTED', 'x'.repeat(50_000)));
    expect(f.error.message.length).toBeLessThanOrEqual(2000);
    expect(truncateMessage('short')).toBe('short');
  });
});

describe('retriesExhausted', () => {
  it('says how often and how long it tried, and what failed last', () => {
    const last = classifyFailure(new TransientError('PowerOffice 503', { powerOffice: { status: 503 } }));
    const e = retriesExhausted(last, 6, 12_340);
    expect(e).toMatchObject({
      code: 'RETRIES_EXHAUSTED',
      retryable: true,
      powerOffice: { status: 503 },
      details: { attempts: 6 },
    });
    expect(e.message).toBe('Gave up after 6 attempt(s) over 12.3 s. Last error: PowerOffice 503');
  });
});

describe('isDatabaseUnavailable', () => {
  it.each([
    [{ code: '08006', message: 'connection failure' }],
    [{ code: '57P01', message: 'terminating connection due to administrator command' }],
    [{ name: 'QueryFailedError', message: 'x', driverError: { code: '57P03' } }],
    [new Error('Connection terminated unexpectedly')],
    [new Error('timeout exceeded when trying to connect')],
  ])('recognises %j', (err) => expect(isDatabaseUnavailable(err)).toBe(true));

  it.each([
    [{ code: '23505', message: 'duplicate key value violates unique constraint' }],
    [new TransientError('PowerOffice timed out')],
    [new Error('boom')],
    [undefined],
  ])('does not mistake %j for an outage', (err) => expect(isDatabaseUnavailable(err)).toBe(false));
});
