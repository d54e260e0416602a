import { formatInstant, parseInstant, requireInstant, sameInstant, ticksFromDate, ticksFromMs } from './instant';

describe('PowerOffice instants (100 ns ticks)', () => {
  const base = BigInt(Date.UTC(2026, 2, 10, 11, 34, 56)) * 10_000n;

  it.each([
    ['seven digits with an offset', '2026-03-10T12:34:56.1234567+01:00', base + 1_234_567n],
    ['Z', '2026-03-10T11:34:56.1234567Z', base + 1_234_567n],
    ['milliseconds only', '2026-03-10T11:34:56.123Z', base + 1_230_000n],
    ['no fraction', '2026-03-10T11:34:56Z', base],
    ['nine digits (beyond PowerOffice, cut)', '2026-03-10T11:34:56.123456789Z', base + 1_234_567n],
    ['no offset means UTC', '2026-03-10T11:34:56', base],
    ['negative offset', '2026-03-10T07:34:56-04:00', base],
    ['offset without colon', '2026-03-10T12:34:56+0100', base],
  ])('parses %s', (_case, text, ticks) => {
    expect(parseInstant(text)).toBe(ticks);
  });

  it.each([['not a time'], ['2026-02-30T10:00:00Z'], ['2026-03-10'], ['']])('refuses %j', (text) => {
    expect(parseInstant(text)).toBeNull();
  });

  it('requireInstant names what was wrong', () => {
    expect(() => requireInstant('yesterday', 'the watermark')).toThrow(/the watermark "yesterday"/);
  });

  it.each([
    ['2026-03-10T12:34:56.1234567+01:00', '2026-03-10T11:34:56.1234567Z'],
    ['2026-03-10T11:34:56Z', '2026-03-10T11:34:56.0000000Z'],
    ['2026-07-01T00:00:00.0000001+02:00', '2026-06-30T22:00:00.0000001Z'],
  ])('formats %s as %s (canonical UTC, seven digits)', (text, canonical) => {
    expect(formatInstant(parseInstant(text)!)).toBe(canonical);
    expect(parseInstant(formatInstant(parseInstant(text)!))).toBe(parseInstant(text));
  });

  it.each([
    ['2026-03-10T12:34:56.1234567+01:00', '2026-03-10T11:34:56.1234567Z', true],
    ['2026-03-10T11:34:56.1234567Z', '2026-03-10T11:34:56.1234568Z', false],
    ['2026-03-10T11:34:56.1234567Z', null, false],
    [null, null, false],
  ])('sameInstant(%j, %j) = %s', (a, b, same) => {
    expect(sameInstant(a, b)).toBe(same);
  });

  it('converts dates and milliseconds to ticks', () => {
    expect(ticksFromDate(new Date('2026-03-10T11:34:56.001Z'))).toBe(base + 10_000n);
    expect(ticksFromMs(5000)).toBe(50_000_000n);
  });
});
