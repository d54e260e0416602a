import { netPriceFromGross } from './net-price';

describe('netPriceFromGross: the price excl. VAT PowerOffice keeps, from the till price incl. VAT', () => {
  it.each([
    // gross øre, rate, net øre, why
    [5900, 0, 5900, '0 %: exempt and outside-scope codes keep the price'],
    [12500, 0.25, 10000, '25 %: exact'],
    [5900, 0.25, 4720, '25 %: exact'],
    [4999, 0.25, 3999, '25 %: 3999.2 rounds down'],
    [3, 0.25, 2, '25 %: 2.4 rounds down'],
    [2, 0.25, 2, '25 %: 1.6 rounds up'],
    [1, 0.25, 1, '25 %: 0.8 rounds up'],
    [5900, 0.15, 5130, '15 %: 5130.43… (the fixture latte)'],
    [11500, 0.15, 10000, '15 %: exact'],
    [10, 0.15, 9, '15 %: 8.695… rounds up'],
    [11200, 0.12, 10000, '12 %: exact'],
    [14, 0.12, 13, '12 %: exactly 12.5, half away from zero'],
    [42, 0.12, 38, '12 %: exactly 37.5, half away from zero'],
    [1, 0.12, 1, '12 %: 0.89 rounds up'],
    [11111, 0.1111, 10000, '11.11 % (råfisk): exact'],
    [100, 0.1111, 90, '11.11 %: 90.0009 rounds down'],
    [0, 0.25, 0, 'free article'],
    [-5900, 0.15, -5130, 'negative (pant return): mirror of the positive'],
    [-14, 0.12, -13, 'negative half: away from zero as well'],
    [-200, 0, -200, 'negative at 0 %'],
    [99999999, 0.25, 79999999, 'a large price: 79999999.2'],
    [Number.MAX_SAFE_INTEGER, 0.25, 7205759403792793, 'the largest safe øre amount stays exact'],
  ])('%i øre at rate %d → %i øre (%s)', (gross, rate, net) => {
    expect(netPriceFromGross(gross, rate)).toBe(net);
  });

  it.each([
    [1.5, 0.25, /whole number of øre/],
    [Number.NaN, 0.25, /whole number of øre/],
    [100, -0.1, /VAT rate/],
    [100, Number.NaN, /VAT rate/],
    [100, 25, /VAT rate/],
  ])('refuses gross %p at rate %p', (gross, rate, message) => {
    expect(() => netPriceFromGross(gross, rate)).toThrow(message);
  });
});
