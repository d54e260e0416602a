import type { InvoicePosted } from '@lib/contracts';
import type { HandlerContext } from '@lib/pipeline';
import type { CustomerLookupRequest, InvoiceCustomer } from './customer-lookup';
import type { PostingFactor } from './domain/posting-direction';
import type { TransferDecision } from './domain/transfer-decision';
import type { InvoiceKey } from './invoice.repository';

/** One InvoicePosted on its way to PowerOffice, as both invoice modes get it. */
export interface TransferJob {
  ctx: HandlerContext<InvoicePosted>;
  invoice: InvoicePosted;
  key: InvoiceKey;
  factor: PostingFactor;
  decision: Extract<TransferDecision, { kind: 'transfer' }>;
  importReference: string;
  /**
   * Finds the customer. Called by a mode once its own checks passed, so a mapping gap is reported
   * without spending an API call on the customer.
   */
  customer(): Promise<InvoiceCustomer>;
}

/** What a mode did (or, in a dry run, would do). */
export interface Transfer {
  customerNumber: number;
  poVoucherId: string | null;
  poSalesOrderId: string | null;
  /** The invoice number PowerOffice gave when it issued the invoice (sales-order mode, sent). */
  poInvoiceNo: number | null;
  /** Whether this run changed PowerOffice; false: an earlier attempt had done it all. */
  created: boolean;
  /** Dry run: what would be sent. */
  wouldSend?: unknown;
}

export type CustomerLookupFor = Omit<CustomerLookupRequest, 'powerOffice'>;
