import { AmountFormatError, parseAmountToOre, parseCount } from './amount';

describe('parseAmountToOre', () => {
  it.each<[string, number]>([
    ['295.00', 29500],
    ['218.80', 21880],
    ['0.29', 29], // 0.29 * 100 = 28.999999999999996 in floating point
    ['1.15', 115], // 1.15 * 100 = 114.99999999999999
    ['-16.40', -1640],
    ['-16.4', -1640],
    ['+5', 500],
    ['12', 1200],
    ['12.', 1200],
    ['.5', 50],
    ['-0.00', 0],
    ['12.500', 1250],
    [' 514.20 ', 51420],
    ['90071992547409.91', 9007199254740991],
  ])('%s → %d øre', (text, ore) => {
    expect(Object.is(parseAmountToOre(text), ore)).toBe(true);
  });

  it.each(['', '1,50', '1 000.00', '1e3', '12.345', '0.001', 'NaN', '--1', '90071992547409.92'])(
    'refuses %j',
    (text) => {
      expect(() => parseAmountToOre(text)).toThrow(AmountFormatError);
    },
  );
});

describe('parseCount', () => {
  it.each<[string, number]>([
    ['0', 0],
    ['17', 17],
    ['3.000000', 3],
  ])('%s → %d', (text, n) => expect(parseCount(text)).toBe(n));

  it.each(['-1', '1.5', 'x'])('refuses %j', (text) => expect(() => parseCount(text)).toThrow(AmountFormatError));
});
