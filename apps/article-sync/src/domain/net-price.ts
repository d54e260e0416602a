/**
 * PowerOffice keeps a product's sales price EXCLUDING VAT (`UnitPrice`); the till sells at a price
 * INCLUDING it. The net price is gross / (1 + rate), rounded to the øre, half away from zero (the
 * usual commercial rounding, and symmetric, so a pant-return article at -2.00 gets the negative of
 * the +2.00 article's net).
 *
 * Computed in integers: the rate (0..1, as PowerOffice gives it, e.g. 0.1111 for råfisk) is scaled
 * to millionths, which holds every Norwegian rate exactly, and the division is done with BigInt, so
 * no binary fraction can tip a half-øre the wrong way. Rounding the net means net × (1 + rate) may
 * miss the gross by up to half an øre per unit; that is inherent in storing a net price, and why
 * invoices and settlements post the POS's own amounts rather than recomputing from the product.
 */
const RATE_SCALE = 1_000_000n;

export function netPriceFromGross(grossOre: number, vatRate: number): number {
  if (!Number.isSafeInteger(grossOre))
    throw new RangeError(`gross price must be a whole number of øre, got ${grossOre}`);
  if (!Number.isFinite(vatRate) || vatRate < 0 || vatRate >= 10) {
    throw new RangeError(`VAT rate must be a fraction such as 0.25, got ${vatRate}`);
  }
  const scaledRate = BigInt(Math.round(vatRate * Number(RATE_SCALE)));
  const numerator = BigInt(Math.abs(grossOre)) * RATE_SCALE;
  const denominator = RATE_SCALE + scaledRate;
  let net = numerator / denominator;
  if ((numerator % denominator) * 2n >= denominator) net += 1n;
  return grossOre < 0 ? -Number(net) : Number(net);
}
