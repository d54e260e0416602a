/** A customer number series of the PowerOffice client (SubLedgerNumberSeries of type Customer). */
export interface CustomerNumberRange {
  from: number;
  to: number;
  name?: string;
}

export function isInSeries(customerNumber: number, series: readonly CustomerNumberRange[]): boolean {
  return series.some((s) => customerNumber >= s.from && customerNumber <= s.to);
}

/** "10000–19999 (Kunder), 50000–59999 (Storkunder)", or "none". */
export function describeSeries(series: readonly CustomerNumberRange[]): string {
  if (series.length === 0) return 'none';
  return [...series]
    .sort((a, b) => a.from - b.from)
    .map((s) => `${s.from}–${s.to}${s.name ? ` (${s.name})` : ''}`)
    .join(', ');
}

/** The operator's message for a number outside every series: what, where, the valid ranges, what to do. */
export function numberOutOfSeriesMessage(
  customerNumber: number,
  customerId: string,
  tenantId: string,
  series: readonly CustomerNumberRange[],
): string {
  return (
    `Customer number ${customerNumber} of POS customer ${customerId} (tenant ${tenantId}) is outside the customer ` +
    `number series of the PowerOffice client; valid ranges: ${describeSeries(series)}. Give the customer a number ` +
    'in one of these ranges (or leave customerNumber out so PowerOffice assigns the next free one), or add a ' +
    'series covering it in PowerOffice Go (Settings → Accounting → Sub-ledger number series); then resend.'
  );
}
