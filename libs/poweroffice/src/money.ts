/**
 * Money is integer øre everywhere in the integration; PowerOffice speaks decimal NOK. These two
 * functions are the only place where one becomes the other (see docs/conventions.md).
 */

/** Integer øre; a plain number, named so DTO types say what their amounts are. */
export type Ore = number;

/** øre → NOK for the wire. Division by 100 yields the double nearest the 2-decimal value, so it serialises exactly ("19.99"). */
export function toNok(ore: Ore): number {
  if (!Number.isSafeInteger(ore)) {
    throw new RangeError(`toNok expects a whole number of øre, got ${String(ore)}`);
  }
  return ore / 100;
}

/**
 * NOK from the wire → øre, rounded half away from zero. Multiplying by 100 in binary floating point
 * can land just below a half (0.285 * 100 = 28.499999999999996), so the product is first cut back
 * to 15 significant digits, which removes that noise without touching real digits of any amount
 * PowerOffice can hold.
 */
export function toOre(nok: number): Ore {
  if (!Number.isFinite(nok)) {
    throw new RangeError(`toOre expects a finite NOK amount, got ${String(nok)}`);
  }
  const scaled = Number((Math.abs(nok) * 100).toPrecision(15));
  const ore = Math.sign(nok) * Math.round(scaled);
  if (!Number.isSafeInteger(ore)) {
    throw new RangeError(`NOK amount ${nok} is too large to hold as øre`);
  }
  // Math.sign(-0.001) * 0 is -0; amounts have no negative zero.
  return ore === 0 ? 0 : ore;
}
