import { InvoicePosted, invoicePostedExample } from '@lib/contracts';

/** Small named invoices for the flow tests, all derived from the §8.2 credit sale (1 250.00 at 25 %). */
export function creditSale(invoiceNumber: string, over: Partial<InvoicePosted> = {}): InvoicePosted {
  return { ...structuredClone(invoicePostedExample), invoiceId: `inv-${invoiceNumber}`, invoiceNumber, ...over };
}

/** The credit note of a whole credit sale, given as magnitudes (the `kind` says it is a credit). */
export function creditNoteFor(credited: InvoicePosted, invoiceNumber: string): InvoicePosted {
  return {
    ...structuredClone(credited),
    invoiceId: `inv-${invoiceNumber}`,
    invoiceNumber,
    kind: 'creditNote',
    creditedInvoiceNumber: credited.invoiceNumber,
  };
}

/** Two articles at two VAT rates, one of them discounted: 1 250.00 @25 % + 530.96 @15 %. */
export function twoArticleSale(invoiceNumber: string, over: Partial<InvoicePosted> = {}): InvoicePosted {
  const base = creditSale(invoiceNumber);
  return {
    ...base,
    lines: [
      base.lines[0],
      {
        articleId: 'a-2001',
        articleNumber: '2001',
        description: 'Kaffe latte, 10 stk',
        quantity: 10,
        unitPriceExclVat: 5130,
        discountPercent: 10,
        vatCode: '31',
        netAmount: 46170,
        vatAmount: 6926,
        grossAmount: 53096,
      },
    ],
    totals: { net: 146170, vat: 31926, gross: 178096 },
    ...over,
  };
}
