import { shiftDate } from './business-date';

describe('shiftDate', () => {
  it.each([
    ['2026-03-14', -3, '2026-03-11'],
    ['2026-03-01', -1, '2026-02-28'],
    ['2028-02-28', 1, '2028-02-29'],
    ['2026-12-30', 3, '2027-01-02'],
    // The night DST starts in Oslo is a calendar day like any other.
    ['2026-03-28', 1, '2026-03-29'],
  ])('%s %+d days is %s', (date, days, expected) => {
    expect(shiftDate(date, days)).toBe(expected);
  });
});
