import { toNok, toOre } from './money';

describe('money: øre ↔ NOK at the PowerOffice boundary', () => {
  it.each([
    [0, 0],
    [1, 0.01],
    [1999, 19.99],
    [-125050, -1250.5],
    [1865000, 18650],
  ])('%i øre is %d NOK and back', (ore, nok) => {
    expect(toNok(ore)).toBe(nok);
    expect(toOre(nok)).toBe(ore);
    expect(JSON.stringify(toNok(ore))).toBe(JSON.stringify(nok));
  });

  it('survives the float noise of multiplying by 100', () => {
    expect(0.285 * 100).not.toBe(28.5); // the trap
    expect(toOre(0.285)).toBe(29);
    expect(toOre(1.005)).toBe(101);
    expect(toOre(19.99)).toBe(1999);
    expect(toOre(4.35)).toBe(435);
    expect(toOre(0.1 + 0.2)).toBe(30);
  });

  it('rounds half away from zero, symmetric for credits', () => {
    expect(toOre(0.125)).toBe(13);
    expect(toOre(-0.125)).toBe(-13);
    expect(toOre(-0.001)).toBe(0);
    expect(Object.is(toOre(-0.001), -0)).toBe(false);
  });

  it('round-trips every øre amount in a wide range', () => {
    for (let ore = -100_000; ore <= 100_000; ore += 7) expect(toOre(toNok(ore))).toBe(ore);
  });

  it('refuses fractions of øre and non-numbers', () => {
    expect(() => toNok(1.5)).toThrow(RangeError);
    expect(() => toNok(Number.NaN)).toThrow(RangeError);
    expect(() => toOre(Number.POSITIVE_INFINITY)).toThrow(RangeError);
    expect(() => toOre(Number.NaN)).toThrow(RangeError);
  });
});
