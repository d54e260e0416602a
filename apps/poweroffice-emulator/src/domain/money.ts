/**
 * Money inside the emulator is integer øre. PowerOffice speaks decimal NOK on the wire, so the
 * conversion happens only where a body is read or written.
 */
export type Ore = number;

/** Decimal NOK from the wire to øre. `Math.round(x * 100)` is the agreed conversion; `+ 0` drops a -0. */
export function toOre(nok: number): Ore {
  return Math.round(nok * 100) + 0;
}

/** Øre to decimal NOK for the wire. */
export function toNok(ore: Ore): number {
  return ore / 100;
}

/**
 * n / d rounded half away from zero, for integers. Symmetric rounding keeps a credit note the exact
 * mirror of its invoice (−10280 øre splits into −8939 / −1341, as +10280 splits into 8939 / 1341).
 */
export function divideRounded(n: number, d: number): number {
  if (d === 0) throw new RangeError('division by zero');
  const negative = n < 0 !== d < 0;
  const an = Math.abs(n);
  const ad = Math.abs(d);
  let q = Math.floor(an / ad);
  let r = an - q * ad;
  // Float division can be one off for large operands; correct with the exact integer remainder.
  if (r < 0) {
    q -= 1;
    r += ad;
  } else if (r >= ad) {
    q += 1;
    r -= ad;
  }
  const rounded = 2 * r >= ad ? q + 1 : q;
  return negative ? -rounded : rounded + 0;
}
