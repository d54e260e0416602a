import { busiestSecond, countBy, percentile, ratePerSecond, round } from './stats';

describe('bench stats', () => {
  it.each([
    { values: [5, 1, 4, 2, 3], p: 50, expected: 3 },
    { values: [5, 1, 4, 2, 3], p: 99, expected: 5 },
    { values: [5, 1, 4, 2, 3], p: 0, expected: 1 },
    { values: Array.from({ length: 100 }, (_, i) => i + 1), p: 99, expected: 99 },
    { values: Array.from({ length: 100 }, (_, i) => i + 1), p: 50, expected: 50 },
    { values: [7], p: 99, expected: 7 },
  ])('percentile $p of $values.length values is $expected (nearest rank)', ({ values, p, expected }) => {
    expect(percentile(values, p)).toBe(expected);
  });

  it('has no percentile of nothing', () => {
    expect(percentile([], 50)).toBeNaN();
  });

  it.each([
    { count: 11, spanMs: 1000, expected: 10 },
    { count: 5001, spanMs: 25_000, expected: 200 },
    { count: 1, spanMs: 1000, expected: Number.NaN },
    { count: 10, spanMs: 0, expected: Number.NaN },
  ])('$count completions over $spanMs ms are $expected/s', ({ count, spanMs, expected }) => {
    expect(ratePerSecond(count, spanMs)).toEqual(expected);
  });

  it.each([
    { times: [], expected: 0 },
    { times: [0, 999, 1000, 1999], expected: 2 },
    { times: [0, 100, 200, 300, 1500], expected: 4 },
    { times: [3000, 0, 2500, 2600, 2999], expected: 4 },
  ])('busiest second of $times is $expected', ({ times, expected }) => {
    expect(busiestSecond(times)).toBe(expected);
  });

  it('rounds and counts', () => {
    expect(round(1.2345, 2)).toBe(1.23);
    expect(round(Number.NaN)).toBeNaN();
    expect(countBy(['GET', 'POST', 'GET'], (m) => m)).toEqual({ GET: 2, POST: 1 });
  });
});
