import { divideRounded, toNok, toOre } from './money';
import { rateToBasisPoints, splitGross, vatOnNet } from './vat';

describe('money on the wire', () => {
  it.each([
    [102.8, 10280],
    [0.1 + 0.2, 30],
    [-16.4, -1640],
    [1234567.89, 123456789],
    [-0.001, 0],
  ])('reads %p NOK as %p øre', (nok, ore) => {
    expect(toOre(nok)).toBe(ore);
    expect(Object.is(toOre(nok), -0)).toBe(false);
  });

  it('writes øre back as decimal NOK', () => {
    expect(toNok(10280)).toBe(102.8);
    expect(toNok(-1)).toBe(-0.01);
  });
});

describe('divideRounded', () => {
  it.each([
    [5, 2, 3],
    [-5, 2, -3],
    [7, 2, 4],
    [4, 3, 1],
    [-4, 3, -1],
    [102800000, 11500, 8939],
  ])('%p / %p rounds half away from zero to %p', (n, d, q) => {
    expect(divideRounded(n, d)).toBe(q);
  });
});

describe('splitGross: Go posts net on the line account and VAT on the VAT account', () => {
  it.each([
    // The øre trap of the SAF-T example: 102.80 at 15 % is 89.39 + 13.41, not + 13.42.
    ['15 %', 10280, 0.15, 8939, 1341],
    ['25 %', 1250000, 0.25, 1000000, 250000],
    ['25 % (pos-domain §8.2)', 950000, 0.25, 760000, 190000],
    ['15 % (pos-domain §8.2)', 460040, 0.15, 400035, 60005],
    ['12 %', 11200, 0.12, 10000, 1200],
    ['raw fish 11.11 %', 11111, 0.1111, 10000, 1111],
    ['0 %', 30000, 0, 30000, 0],
  ])('%s: %p øre gross → %p net + %p VAT', (_label, gross, rate, net, vat) => {
    const split = splitGross(gross, rateToBasisPoints(rate));
    expect(split).toEqual({ net, vat });
    expect(split.net + split.vat).toBe(gross);
  });

  it('splits a credit (negative gross) as the exact mirror of the debit', () => {
    expect(splitGross(-10280, 1500)).toEqual({ net: -8939, vat: -1341 });
    expect(splitGross(-41140, 2500)).toEqual({ net: -32912, vat: -8228 });
  });

  it('computes VAT on a net amount for sales-order lines', () => {
    expect(vatOnNet(10000, 2500)).toBe(2500);
    expect(vatOnNet(8939, 1500)).toBe(1341);
    expect(vatOnNet(-8939, 1500)).toBe(-1341);
  });
});
