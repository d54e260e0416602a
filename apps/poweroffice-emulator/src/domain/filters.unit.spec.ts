import { CodeFilter, NumberFilter } from './filters';
import { Problem } from './problem';

describe('NumberFilter ("10000-11000, 12000, 13000-")', () => {
  const f = NumberFilter.parse('10000-11000, 12000, 13000-', 'customerNos');

  it.each([
    [9999, false],
    [10000, true],
    [10500, true],
    [11000, true],
    [11001, false],
    [12000, true],
    [12001, false],
    [13000, true],
    [99999999, true],
  ])('matches %p → %p', (n, expected) => {
    expect(f.matches(n)).toBe(expected);
  });

  it('offers exact values for index lookups only when there are no ranges', () => {
    expect(NumberFilter.parse('10001,10003', 'customerNos').exactValues()?.sort()).toEqual([10001, 10003]);
    expect(f.exactValues()).toBeNull();
  });

  it('rejects what it cannot read with a 400 naming the parameter', () => {
    for (const bad of ['abc', '10-5', '1-2-3', '-5']) {
      let thrown: unknown;
      try {
        NumberFilter.parse(bad, 'accountNos');
      } catch (e) {
        thrown = e;
      }
      expect(thrown).toBeInstanceOf(Problem);
      expect((thrown as Problem).status).toBe(400);
      expect((thrown as Problem).detail).toContain('accountNos');
    }
  });
});

describe('CodeFilter', () => {
  it('matches codes case-insensitively and "-1" as "without a code"', () => {
    const f = CodeFilter.parse('A1, b2');
    expect(f.matches('a1')).toBe(true);
    expect(f.matches('B2')).toBe(true);
    expect(f.matches(null)).toBe(false);
    const withEmpty = CodeFilter.parse('-1,X');
    expect(withEmpty.matches(null)).toBe(true);
    expect(withEmpty.matches('')).toBe(true);
    expect(withEmpty.matches('x')).toBe(true);
    expect(withEmpty.exactValues()).toBeNull();
  });
});
