/**
 * SAF-T amounts are `xsd:decimal` text ("295.00", "-16.4", "0"). They become integer øre by
 * reading the digits, never through a float multiply (0.29 * 100 = 28.999999999999996).
 */
const DECIMAL = /^([+-])?(\d+)(?:\.(\d*))?$|^([+-])?\.(\d+)$/;

export class AmountFormatError extends Error {
  constructor(
    readonly value: string,
    reason: string,
  ) {
    super(`amount ${JSON.stringify(value)} ${reason}`);
    this.name = 'AmountFormatError';
  }
}

/**
 * Decimal text → integer øre. Accepts more than two decimals only when the extra digits are zeros
 * ("12.500" → 1250); anything finer than an øre cannot be posted and is rejected, as are
 * thousands separators, decimal commas, exponents and amounts beyond safe integers.
 */
export function parseAmountToOre(text: string): number {
  const value = text.trim();
  const m = DECIMAL.exec(value);
  if (!m) throw new AmountFormatError(text, 'is not a decimal number');
  const sign = (m[1] ?? m[4]) === '-' ? -1 : 1;
  const whole = m[2] ?? '0';
  const fraction = m[3] ?? m[5] ?? '';
  if (/[1-9]/.test(fraction.slice(2))) throw new AmountFormatError(text, 'has fractions of an øre');
  const ore = Number(whole) * 100 + Number(fraction.slice(0, 2).padEnd(2, '0'));
  if (!Number.isSafeInteger(ore)) throw new AmountFormatError(text, 'is too large');
  // `|| 0` turns "-0.00" into 0 rather than -0.
  return sign * ore || 0;
}

/** A count (`Nonnegativeinteger10`); SAF-T also allows decimals for article-group quantities. */
export function parseCount(text: string): number {
  const value = text.trim();
  if (!/^\d+(?:\.0*)?$/.test(value)) throw new AmountFormatError(text, 'is not a whole count');
  return Number.parseInt(value, 10);
}
