import { addDays, Clock, formatDateTimeOffset, msToTicks, parseBusinessDate, parseDateTimeOffset } from './time';

describe('DateTimeOffset as Go writes it', () => {
  it('has 7 fractional digits and the Oslo offset (winter +01:00, summer +02:00)', () => {
    expect(formatDateTimeOffset(msToTicks(Date.UTC(2026, 0, 15, 11, 0, 0, 123)))).toBe(
      '2026-01-15T12:00:00.1230000+01:00',
    );
    expect(formatDateTimeOffset(msToTicks(Date.UTC(2026, 6, 15, 11, 0, 0)) + 4567)).toBe(
      '2026-07-15T13:00:00.0004567+02:00',
    );
  });

  it('reads back exactly what it wrote, so an exclusive "greater than" poll is exact', () => {
    const t = msToTicks(Date.UTC(2026, 2, 29, 0, 59, 59, 999)) + 9999;
    const text = formatDateTimeOffset(t);
    expect(parseDateTimeOffset(text)).toBe(t);
    expect(parseDateTimeOffset(text)! + 1).toBeGreaterThan(t);
  });

  it('reads UTC, offsets and no offset (UTC), and rejects an unencoded + (arrives as a space)', () => {
    const expected = msToTicks(Date.UTC(2026, 0, 1, 10, 0, 0));
    expect(parseDateTimeOffset('2026-01-01T10:00:00Z')).toBe(expected);
    expect(parseDateTimeOffset('2026-01-01T11:00:00+01:00')).toBe(expected);
    expect(parseDateTimeOffset('2026-01-01T10:00:00')).toBe(expected);
    expect(parseDateTimeOffset('2026-01-01T11:00:00.0000000 01:00')).toBeNull();
    expect(parseDateTimeOffset('yesterday')).toBeNull();
    expect(parseDateTimeOffset('2026-02-30T00:00:00Z')).toBeNull();
  });

  it('never hands out the same instant twice, even within one millisecond', () => {
    const clock = new Clock(() => Date.UTC(2026, 0, 1));
    const a = clock.tick();
    const b = clock.tick();
    expect(b).toBe(a + 1);
  });
});

describe('business dates', () => {
  it('accept YYYY-MM-DD and tolerate a time part, reject impossible dates', () => {
    expect(parseBusinessDate('2026-03-10')).toBe('2026-03-10');
    expect(parseBusinessDate('2026-03-10T00:00:00')).toBe('2026-03-10');
    expect(parseBusinessDate('2026-02-29')).toBeNull();
    expect(parseBusinessDate('10.03.2026')).toBeNull();
  });

  it('add days across month ends', () => {
    expect(addDays('2026-01-25', 14)).toBe('2026-02-08');
  });

  it('know which day it is in Oslo', () => {
    expect(new Clock(() => Date.UTC(2026, 5, 30, 22, 30)).today()).toBe('2026-07-01');
  });
});
