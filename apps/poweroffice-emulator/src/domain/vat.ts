import { divideRounded, Ore } from './money';

/** A VAT rate in basis points of the net amount: 25 % = 2500, raw-fish 11.11 % = 1111. */
export type RateBasisPoints = number;

export function rateToBasisPoints(rate: number): RateBasisPoints {
  return Math.round(rate * 10_000);
}

export interface VatSplit {
  net: Ore;
  vat: Ore;
}

/**
 * Splits a gross (VAT-inclusive) amount the way Go posts a cash-journal or outgoing-invoice line:
 * net = round(gross / (1 + rate)) on the line's account, and the rest — so net + VAT is the gross
 * to the øre — on the VAT account. 102.80 at 15 % gives 89.39 + 13.41 (not the 13.42 a Z-report
 * that sums per-receipt VAT may show).
 */
export function splitGross(gross: Ore, rate: RateBasisPoints): VatSplit {
  if (rate === 0) return { net: gross, vat: 0 };
  const net = divideRounded(gross * 10_000, 10_000 + rate);
  return { net, vat: gross - net };
}

/** VAT on a net amount (sales-order lines are net; the invoice adds VAT on top). */
export function vatOnNet(net: Ore, rate: RateBasisPoints): Ore {
  return divideRounded(net * rate, 10_000);
}
