import { expectedZNumber, missingDayCauseId, missingDayFailure, type MissingDay } from './missing-day';

const day = (overrides: Partial<MissingDay> = {}): MissingDay => ({
  tenantId: 'kaffe-1',
  registerId: 'reg1',
  businessDate: '2026-03-15',
  lastReceived: { zNumber: 41, businessDate: '2026-03-14' },
  ...overrides,
});

describe('missing day', () => {
  it('stands in for a cause with an id that is the same for the same register-day, on every instance', () => {
    expect(missingDayCauseId(day())).toBe(missingDayCauseId(day()));
    expect(missingDayCauseId(day())).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it.each<[string, Partial<MissingDay>]>([
    ['another day', { businessDate: '2026-03-16' }],
    ['another register', { registerId: 'reg2' }],
    ['another tenant', { tenantId: 'kaffe-2' }],
    // JSON keeps the parts apart: "a|b" + "c" is not "a" + "b|c".
    ['parts that would run together', { tenantId: 'kaffe-1|reg1', registerId: '' }],
  ])('differs for %s', (_name, overrides) => {
    expect(missingDayCauseId(day(overrides))).not.toBe(missingDayCauseId(day()));
  });

  it('expects the Z number after the last one received', () => {
    expect(expectedZNumber(day())).toBe(42);
  });

  it('says which day, which Z was expected, and what to do', () => {
    const error = missingDayFailure(day(), '06:00');
    expect(error).toMatchObject({
      code: 'SETTLEMENT_MISSING',
      retryable: false,
      details: {
        registerId: 'reg1',
        businessDate: '2026-03-15',
        expectedZNumber: 42,
        lastReceived: { zNumber: 41, businessDate: '2026-03-14' },
      },
    });
    expect(error.message).toBe(
      'No Z-report from register reg1 of tenant kaffe-1 for business day 2026-03-15: it was expected by 06:00 the next morning ' +
        '(as Z 42; the last one received is Z 41 of 2026-03-14). A till without sales that day needs no Z-report; otherwise ' +
        'close the day on the till or send its Z-report again, so the day reaches the books.',
    );
  });
});
