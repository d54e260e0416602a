import { clip, isCalendarDate, isRfc3339Time, isValidTenantId, showValue, textProblem } from './index';

describe('isCalendarDate', () => {
  it.each(['2026-03-14', '2024-02-29', '2000-02-29', '2026-12-31', '1900-01-01'])('accepts %s', (date) => {
    expect(isCalendarDate(date)).toBe(true);
  });

  it.each([
    '2026-02-30',
    '2026-02-29',
    '1900-02-29',
    '2026-04-31',
    '2026-00-10',
    '2026-01-00',
    '2026-1-5',
    '20260314',
    '0026-03-14',
    '3000-01-01',
    ' 2026-03-14',
  ])('refuses %j', (date) => {
    expect(isCalendarDate(date)).toBe(false);
  });
});

describe('isRfc3339Time', () => {
  it.each([
    '2026-03-14T22:05:13+01:00',
    '2026-03-14T21:05:13Z',
    '2026-03-14T21:05:13.5z',
    '2026-03-14t21:05:13.123456789-09:30',
  ])('accepts %s', (time) => {
    expect(isRfc3339Time(time)).toBe(true);
  });

  it.each([
    '2026-03-14T22:05:13',
    '2026-03-14 22:05:13+01:00',
    '2026-03-14T22:05+01:00',
    '2026-02-30T10:00:00Z',
    '2026-03-14T22:05:60Z',
    '2026-03-14T22:05:13+24:00',
    '2026-03-14T22:05:13+0100',
    '1773522313',
  ])('refuses %j', (time) => {
    expect(isRfc3339Time(time)).toBe(false);
  });
});

describe('isValidTenantId', () => {
  it('accepts plain ids and refuses anything that could escape a key, path, header or SQL string', () => {
    expect(['acme', 'Tenant_1', 'a.b-c', '7'].every(isValidTenantId)).toBe(true);
    expect(['', 'a b', 'a/b', "a'b", 'a:b', 'a\nb', '_a', 'æøå', 'a'.repeat(65)].some(isValidTenantId)).toBe(false);
  });
});

describe('textProblem', () => {
  it('names what is wrong with a text', () => {
    expect(textProblem('ok', { max: 10 })).toBeUndefined();
    expect(textProblem('x'.repeat(11), { max: 10 })).toBe('must be at most 10 characters (has 11)');
    expect(textProblem('  ', { max: 10, nonBlank: true })).toBe('must not be empty');
    expect(textProblem('a\tb', { max: 10 })).toBe('must be one line without control characters');
    expect(textProblem('line 1\nline 2', { max: 20, multiline: true })).toBeUndefined();
    expect(textProblem('a\u0007b', { max: 10, multiline: true })).toBe('must not contain control characters');
    expect(textProblem('\uDC00', { max: 10 })).toBe('contains broken Unicode (a lone surrogate)');
    expect(textProblem('😀', { max: 10 })).toBeUndefined();
  });
});

describe('showValue', () => {
  it('quotes, escapes and shortens values for problem texts', () => {
    expect(showValue('2026-02-30')).toBe('"2026-02-30"');
    expect(showValue('a\nb')).toBe('"a\\nb"');
    expect(showValue(12.5)).toBe('12.5');
    expect(showValue(undefined)).toBe('nothing');
    expect(showValue({ a: 1 })).toBe('an object');
    expect(showValue('x'.repeat(100))).toHaveLength(60);
  });
});

describe('clip', () => {
  it('shortens without splitting a surrogate pair', () => {
    expect(clip('abcdef', 6)).toBe('abcdef');
    expect(clip('abcdefg', 6)).toBe('abc...');
    const cut = clip('ab😀cdefgh', 6);
    expect(cut).toBe('ab...');
    expect(textProblem(cut, { max: 10 })).toBeUndefined();
  });
});
