/**
 * Money is integer øre everywhere (docs/conventions.md). This module only turns øre into the text
 * an accountant reads in a problem message; it never does arithmetic in NOK.
 */

/** U+2212, the typographic minus: "−0,40" reads as a negative amount, not as a dash. */
const MINUS = '\u2212';

/**
 * Norwegian notation without currency sign: `1560000` → `15 600,00`, `-40` → `−0,40`.
 * Thousands are grouped with a plain space (not the NBSP `Intl` would emit), so messages stay
 * ASCII-friendly in logs and test expectations do not depend on the ICU build.
 */
export function formatNok(ore: number): string {
  if (!Number.isSafeInteger(ore)) throw new RangeError(`not an integer amount of øre: ${ore}`);
  const negative = ore < 0;
  const abs = Math.abs(ore);
  const kroner = Math.floor(abs / 100).toString();
  const orepart = (abs % 100).toString().padStart(2, '0');
  const grouped = kroner.replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
  return `${negative ? MINUS : ''}${grouped},${orepart}`;
}

/** Sum of integer øre amounts. */
export function sumOre(amounts: Iterable<number>): number {
  let total = 0;
  for (const a of amounts) total += a;
  return total;
}

/** A percentage as Norwegians write it: 25 → "25", 11.11 → "11,11". */
export function formatRate(rate: number): string {
  return Number.isInteger(rate) ? String(rate) : String(rate).replace('.', ',');
}
