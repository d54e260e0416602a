import { osloDate } from './oslo-date';

describe('osloDate: the Norwegian calendar day of an instant', () => {
  it.each<[string, string, string]>([
    ['2026-03-01T08:00:00+01:00', '2026-03-01', 'a morning in winter'],
    ['2026-12-31T22:59:59Z', '2026-12-31', 'winter: 23:59:59 in Oslo'],
    ['2026-12-31T23:00:00Z', '2027-01-01', 'winter: midnight in Oslo is 23:00 UTC'],
    ['2026-06-30T21:59:59Z', '2026-06-30', 'summer: 23:59:59 in Oslo'],
    ['2026-06-30T22:00:00Z', '2026-07-01', 'summer: midnight in Oslo is 22:00 UTC'],
    ['2026-03-29T00:30:00Z', '2026-03-29', 'the night clocks go forward'],
  ])('%s → %s', (instant, date) => {
    expect(osloDate(new Date(instant))).toBe(date);
  });
});
