import type { InvoicePosted } from '@lib/contracts';

/**
 * Multiplies the POS amounts into the amounts PowerOffice gets: invoices positive, credit notes
 * negative ("opposite signs"). The contract lets a POS send a credit note either signed (negative
 * totals) or as magnitudes (positive totals, `kind` says it is a credit), so the factor follows the
 * sign of the total.
 */
export type PostingFactor = 1 | -1;

export type PostingDirection = { factor: PostingFactor } | { problem: string };

export function postingDirection(invoice: InvoicePosted): PostingDirection {
  const gross = invoice.totals.gross;
  if (gross === 0) {
    return {
      problem: `${invoice.kind === 'creditNote' ? 'credit note' : 'invoice'} ${invoice.invoiceNumber} has a total of 0.00: there is nothing to post`,
    };
  }
  if (invoice.kind === 'invoice') {
    return gross > 0
      ? { factor: 1 }
      : {
          problem: `invoice ${invoice.invoiceNumber} has a negative total; a document that gives money back must be sent as kind "creditNote"`,
        };
  }
  return { factor: gross > 0 ? -1 : 1 };
}
