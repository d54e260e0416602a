import {
  normaliseOrganizationNumber,
  organizationNumberProblem,
  settlementScheduleProblems,
  tenantIdProblem,
} from './tenant';

describe('tenant input rules', () => {
  it.each(['shop-1', 'A', 'kaffe.grunerlokka_2', 'x'.repeat(64)])('accepts tenant id %s', (id) => {
    expect(tenantIdProblem(id)).toBeNull();
  });

  it.each(['', '-shop', '.shop', 'shop 1', 'shop:1', 'x'.repeat(65), 'ø-butikk'])('rejects tenant id "%s"', (id) => {
    expect(tenantIdProblem(id)).toMatch(/1–64 characters/);
  });

  it('takes 9-digit organisation numbers, spaces as printed removed', () => {
    expect(organizationNumberProblem(normaliseOrganizationNumber('999 888 777'))).toBeNull();
    expect(organizationNumberProblem('99988877')).toMatch(/9 digits/);
    expect(organizationNumberProblem('NO999888777MVA')).toMatch(/9 digits/);
  });

  it('validates settlement schedules', () => {
    expect(settlementScheduleProblems({ mode: 'afterEndOfDay' })).toEqual([]);
    expect(settlementScheduleProblems({ mode: 'at', time: '00:00' })).toEqual([]);
    expect(settlementScheduleProblems({ mode: 'at', time: '23:59' })).toEqual([]);
    expect(settlementScheduleProblems({ mode: 'at', time: '24:00' })).toEqual([
      { field: 'schedule.time', problem: 'must be a local time "HH:MM" (00:00–23:59, Europe/Oslo)' },
    ]);
    expect(settlementScheduleProblems({ mode: 'at', time: '3:30' })).toHaveLength(1);
    expect(settlementScheduleProblems({ mode: 'afterEndOfDay', time: '03:00' })[0].problem).toMatch(
      /takes no other fields/,
    );
    expect(settlementScheduleProblems({ mode: 'nightly' })[0].field).toBe('schedule.mode');
    expect(settlementScheduleProblems('03:00')[0].field).toBe('schedule');
  });
});
