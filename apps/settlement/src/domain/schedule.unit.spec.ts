import { missingBusinessDays, settlementDueAt, type SettlementSchedule } from './schedule';
import { osloInstant, osloInstants } from './oslo-time';

const iso = (d: Date) => d.toISOString();

describe('settlementDueAt', () => {
  const now = new Date('2024-05-02T19:00:00Z');

  it('afterEndOfDay: due now, whatever the till clock says', () => {
    expect(iso(settlementDueAt({ closedAt: '2024-05-02T22:00:00+02:00' }, { mode: 'afterEndOfDay' }, now))).toBe(
      iso(now),
    );
  });

  // [what, closedAt, schedule time, now, expected due (UTC)]
  it.each<[string, string, string, string, string]>([
    [
      'closes 22:00, posts 02:00 the next night',
      '2024-05-02T22:00:00+02:00',
      '02:00',
      '2024-05-02T20:01:00Z',
      '2024-05-03T00:00:00.000Z',
    ],
    [
      'closes 01:30 after midnight, posts 02:00 the same night',
      '2024-05-03T01:30:00+02:00',
      '02:00',
      '2024-05-02T23:31:00Z',
      '2024-05-03T00:00:00.000Z',
    ],
    [
      'closes exactly at the time → due then',
      '2024-05-03T02:00:00+02:00',
      '02:00',
      '2024-05-03T00:00:00Z',
      '2024-05-03T00:00:00.000Z',
    ],
    [
      'closes 15:00, posts 18:00 the same day',
      '2024-05-02T15:00:00+02:00',
      '18:00',
      '2024-05-02T13:00:00Z',
      '2024-05-02T16:00:00.000Z',
    ],
    [
      'closedAt in UTC notation is read as the same instant',
      '2024-05-02T20:00:00Z',
      '02:00',
      '2024-05-02T20:01:00Z',
      '2024-05-03T00:00:00.000Z',
    ],
    ['winter time (+01:00)', '2024-01-10T21:00:00+01:00', '02:00', '2024-01-10T20:01:00Z', '2024-01-11T01:00:00.000Z'],
    // DST, last Sunday of March 2024: 02:00 → 03:00 CEST.
    [
      'spring forward: 02:30 does not exist → 03:00 CEST',
      '2024-03-30T22:00:00+01:00',
      '02:30',
      '2024-03-30T21:01:00Z',
      '2024-03-31T01:00:00.000Z',
    ],
    [
      'spring forward: 02:00 does not exist → 03:00 CEST',
      '2024-03-30T22:00:00+01:00',
      '02:00',
      '2024-03-30T21:01:00Z',
      '2024-03-31T01:00:00.000Z',
    ],
    [
      'spring forward: 03:00 exists',
      '2024-03-30T22:00:00+01:00',
      '03:00',
      '2024-03-30T21:01:00Z',
      '2024-03-31T01:00:00.000Z',
    ],
    // DST, last Sunday of October 2024: 03:00 CEST → 02:00 CET, 02:xx happens twice.
    [
      'fall back: 02:30 happens twice → the first (CEST)',
      '2024-10-26T22:00:00+02:00',
      '02:30',
      '2024-10-26T20:01:00Z',
      '2024-10-27T00:30:00.000Z',
    ],
    [
      'fall back: closed between the two 02:30s → the second (CET)',
      '2024-10-27T02:45:00+02:00',
      '02:30',
      '2024-10-27T00:46:00Z',
      '2024-10-27T01:30:00.000Z',
    ],
    [
      'late arrival: the time has passed → due now',
      '2024-05-02T22:00:00+02:00',
      '02:00',
      '2024-05-03T07:15:00Z',
      '2024-05-03T07:15:00.000Z',
    ],
  ])('at: %s', (_, closedAt, time, nowIso, expected) => {
    const schedule: SettlementSchedule = { mode: 'at', time };
    expect(iso(settlementDueAt({ closedAt }, schedule, new Date(nowIso)))).toBe(expected);
  });

  it.each(['2:00', '24:00', '02:60', 'two'])('refuses the schedule time %s', (time) => {
    expect(() => settlementDueAt({ closedAt: '2024-05-02T22:00:00+02:00' }, { mode: 'at', time }, now)).toThrow(
      RangeError,
    );
  });

  it('refuses a closedAt that is not a time', () => {
    expect(() => settlementDueAt({ closedAt: 'yesterday' }, { mode: 'at', time: '02:00' }, now)).toThrow(RangeError);
  });
});

describe('osloInstant(s)', () => {
  it.each<[string, string, string[]]>([
    ['2024-06-01', '12:00', ['2024-06-01T10:00:00.000Z']],
    ['2024-03-31', '02:30', ['2024-03-31T01:00:00.000Z']],
    ['2024-10-27', '02:30', ['2024-10-27T00:30:00.000Z', '2024-10-27T01:30:00.000Z']],
    ['2024-10-27', '03:00', ['2024-10-27T02:00:00.000Z']],
  ])('%s %s', (date, time, expected) => {
    const [year, month, day] = date.split('-').map(Number) as [number, number, number];
    const [hour, minute] = time.split(':').map(Number) as [number, number];
    expect(osloInstants({ year, month, day }, { hour, minute }).map((d) => d.toUTC().toISO())).toEqual(expected);
    expect(osloInstant({ year, month, day }, { hour, minute }).toUTC().toISO()).toBe(expected[0]);
  });
});

describe('missingBusinessDays', () => {
  // Friday 2024-05-10, 08:00 Oslo (06:00Z) — past the default 06:00 cutoff.
  const friday0800 = new Date('2024-05-10T06:00:00Z');
  // Friday 2024-05-10, 05:00 Oslo — before the cutoff.
  const friday0500 = new Date('2024-05-10T03:00:00Z');

  it.each<[string, Parameters<typeof missingBusinessDays>[0], string[]]>([
    ['a register that never posted is not expected to', { postedBusinessDates: [], now: friday0800 }, []],
    ['yesterday arrived', { postedBusinessDates: ['2024-05-08', '2024-05-09'], now: friday0800 }, []],
    [
      'yesterday is missing once past the cutoff',
      { postedBusinessDates: ['2024-05-08'], now: friday0800 },
      ['2024-05-09'],
    ],
    [
      'before the cutoff yesterday is not due yet; the day before is',
      { postedBusinessDates: ['2024-05-07'], now: friday0500 },
      ['2024-05-08'],
    ],
    ['before the cutoff, nothing missing', { postedBusinessDates: ['2024-05-08'], now: friday0500 }, []],
    ['a custom cutoff', { postedBusinessDates: ['2024-05-08'], now: friday0800, cutoff: '09:00' }, []],
    [
      'a week back finds every hole, not before the first report',
      { postedBusinessDates: ['2024-05-05', '2024-05-07'], now: friday0800, lookbackDays: 7 },
      ['2024-05-06', '2024-05-08', '2024-05-09'],
    ],
    [
      'known closed weekdays are not missing (Sunday 2024-05-05)',
      { postedBusinessDates: ['2024-05-03', '2024-05-04'], now: friday0800, lookbackDays: 7, closedWeekdays: [7] },
      ['2024-05-06', '2024-05-07', '2024-05-08', '2024-05-09'],
    ],
    [
      'a report for today does not count as yesterday',
      { postedBusinessDates: ['2024-05-08', '2024-05-10'], now: friday0800 },
      ['2024-05-09'],
    ],
  ])('%s', (_, input, expected) => {
    expect(missingBusinessDays(input)).toEqual(expected);
  });

  it('uses the Oslo date: 00:30 Oslo on 1 June is still 31 May in UTC', () => {
    // 2024-06-01 00:30 Oslo = 2024-05-31T22:30Z; before the cutoff → the latest expected day is 30 May.
    expect(missingBusinessDays({ postedBusinessDates: ['2024-05-29'], now: new Date('2024-05-31T22:30:00Z') })).toEqual(
      ['2024-05-30'],
    );
  });

  it('refuses nonsense input', () => {
    expect(() => missingBusinessDays({ postedBusinessDates: ['2024-02-30'], now: friday0800 })).toThrow(RangeError);
    expect(() =>
      missingBusinessDays({ postedBusinessDates: ['2024-05-01'], now: friday0800, lookbackDays: 0 }),
    ).toThrow(RangeError);
  });
});
