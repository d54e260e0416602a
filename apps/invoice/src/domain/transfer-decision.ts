/**
 * Whether (and how) an InvoicePosted is sent to PowerOffice, given what this flow remembers about the
 * invoice number. The invoice number is what PowerOffice knows an invoice by, so it is the key of
 * idempotency: a redelivered or resent invoice must never become a second voucher or sales order.
 */

export type TransferState = 'attempting' | 'transferred' | 'rejected';

/** What invoice.invoices holds about an invoice number of the tenant. */
export interface PriorTransfer {
  invoiceId: string;
  state: TransferState;
  contentHash: string;
  poVoucherId: string | null;
  poSalesOrderId: string | null;
  poInvoiceNo: string | null;
  customerNumber: number | null;
  errorCode: string | null;
}

export interface InvoiceIdentity {
  invoiceId: string;
  invoiceNumber: string;
  contentHash: string;
}

export type TransferDecision =
  /** Already in PowerOffice with this very content: answer again, call nothing. */
  | { kind: 'answered'; prior: PriorTransfer }
  /** The number belongs to another document: refuse, PowerOffice must keep the first. */
  | { kind: 'conflict'; reason: string }
  | {
      kind: 'transfer';
      /**
       * An earlier attempt may have reached PowerOffice (or this is a resync comparing with it):
       * look the invoice up before creating it.
       */
      lookUpFirst: boolean;
      /** A sales order an earlier attempt created: continue with it instead of creating another. */
      salesOrderId: string | null;
      /** Why an earlier attempt was rejected after creating that sales order, if it was. */
      salesOrderRejectedFor: string | null;
    };

/**
 * @param comparing true in a resync (replay, dry-run): there is nothing to trust but PowerOffice.
 */
export function decideTransfer(
  prior: PriorTransfer | null,
  invoice: InvoiceIdentity,
  comparing: boolean,
): TransferDecision {
  if (prior === null)
    return { kind: 'transfer', lookUpFirst: comparing, salesOrderId: null, salesOrderRejectedFor: null };
  if (prior.invoiceId !== invoice.invoiceId) {
    return {
      kind: 'conflict',
      reason:
        `invoice number ${invoice.invoiceNumber} already belongs to POS invoice ${prior.invoiceId} ` +
        `(${prior.state === 'transferred' ? 'transferred' : prior.state}); two documents cannot share a number in PowerOffice`,
    };
  }
  if (prior.state === 'transferred') {
    if (prior.contentHash === invoice.contentHash) return { kind: 'answered', prior };
    return {
      kind: 'conflict',
      reason:
        `invoice ${invoice.invoiceNumber} was already transferred` +
        `${prior.poVoucherId ? ` (voucher ${prior.poVoucherId})` : prior.poSalesOrderId ? ` (sales order ${prior.poSalesOrderId})` : ''} ` +
        'with different content; a posted invoice is not changed by sending it again — credit it and issue a new one',
    };
  }
  // 'attempting': the last try may have created it before failing. 'rejected': a resend after the fix;
  // a rejection can follow a create whose answer was lost, so looking costs one read and is safe.
  return {
    kind: 'transfer',
    lookUpFirst: true,
    salesOrderId: prior.poSalesOrderId,
    salesOrderRejectedFor: prior.state === 'rejected' && prior.poSalesOrderId ? prior.errorCode : null,
  };
}
