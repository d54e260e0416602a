import { formatNok, formatRate, sumOre } from './money';

describe('formatNok (what an accountant reads in a problem message)', () => {
  it.each<[number, string]>([
    [0, '0,00'],
    [1, '0,01'],
    [-40, '−0,40'],
    [29500, '295,00'],
    [100000, '1 000,00'],
    [1560040, '15 600,40'],
    [-1440040, '−14 400,40'],
    [123456789012, '1 234 567 890,12'],
  ])('%d øre → %s', (ore, text) => expect(formatNok(ore)).toBe(text));

  it('refuses anything but whole øre', () => {
    expect(() => formatNok(0.5)).toThrow(RangeError);
    expect(() => formatNok(Number.NaN)).toThrow(RangeError);
  });
});

describe('formatRate', () => {
  it.each<[number, string]>([
    [25, '25'],
    [0, '0'],
    [11.11, '11,11'],
  ])('%d → %s', (rate, text) => expect(formatRate(rate)).toBe(text));
});

describe('sumOre', () => {
  it('adds integer øre', () => expect(sumOre([29500, 21880, -40])).toBe(51340));
});
