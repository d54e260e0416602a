import { CodeFilter, NumberFilter } from './filters';
import { GoClient, LedgerEntry, OutgoingInvoice } from './go-client';
import { notFound } from './problem';
import { Ticks } from './time';

export interface LedgerQuery {
  fromDate: string;
  toDate: string;
  accountNos?: NumberFilter;
  voucherNos?: NumberFilter;
  voucherTypes?: ReadonlySet<string>;
  departmentCodes?: CodeFilter;
  productCodes?: CodeFilter;
  vatCodes?: ReadonlySet<string>;
  createdAfter?: Ticks;
  changedAfter?: Ticks;
}

/** GET /AccountTransactions: rows whose posting date lies in [fromDate, toDate], both inclusive. */
export function queryLedger(client: GoClient, q: LedgerQuery): LedgerEntry[] {
  const out: LedgerEntry[] = [];
  for (const e of client.ledger) {
    if (e.postingDate < q.fromDate || e.postingDate > q.toDate) continue;
    if (q.accountNos && !q.accountNos.matches(e.accountNo)) continue;
    if (q.voucherNos && !q.voucherNos.matches(e.voucherNo)) continue;
    if (q.voucherTypes && !q.voucherTypes.has(e.voucherType.toLowerCase())) continue;
    if (q.vatCodes && !q.vatCodes.has(e.vatCode.toLowerCase())) continue;
    if (q.departmentCodes) {
      const d = e.departmentId === null ? undefined : client.departments.get(e.departmentId);
      if (!q.departmentCodes.matches(d?.fields.Code)) continue;
    }
    if (q.productCodes) {
      const p = e.productId === null ? undefined : client.products.get(e.productId);
      if (!q.productCodes.matches(p?.fields.Code)) continue;
    }
    if (q.createdAfter !== undefined && !(e.createdAt > q.createdAfter)) continue;
    if (q.changedAfter !== undefined && !(e.lastChangedAt > q.changedAfter)) continue;
    out.push(e);
  }
  return out;
}

export interface InvoiceQuery {
  fromDate?: string;
  toDate?: string;
  invoiceNos?: NumberFilter;
  voucherNos?: NumberFilter;
  customerNos?: NumberFilter;
  invoiceIds?: ReadonlySet<string>;
  customMatchingReferences?: ReadonlySet<string>;
  departmentCodes?: CodeFilter;
  onlyUnpaid?: boolean;
  sentAfter?: Ticks;
  balanceChangedAfter?: Ticks;
}

/** GET /OutgoingInvoices: invoices and credit notes, by voucher date (inclusive). */
export function queryInvoices(client: GoClient, q: InvoiceQuery): OutgoingInvoice[] {
  const out: OutgoingInvoice[] = [];
  for (const inv of client.invoices.values()) {
    if (q.fromDate !== undefined && inv.voucherDate < q.fromDate) continue;
    if (q.toDate !== undefined && inv.voucherDate > q.toDate) continue;
    if (q.invoiceNos && !q.invoiceNos.matches(numericInvoiceNo(inv))) continue;
    if (q.voucherNos && !q.voucherNos.matches(inv.voucherNo)) continue;
    if (q.customerNos && !q.customerNos.matches(client.customers.get(inv.customerId)?.fields.Number)) continue;
    if (q.invoiceIds && !q.invoiceIds.has(inv.id)) continue;
    if (
      q.customMatchingReferences &&
      !q.customMatchingReferences.has((inv.customMatchingReference ?? '').toLowerCase())
    )
      continue;
    if (q.departmentCodes) {
      const d = inv.departmentId === null ? undefined : client.departments.get(inv.departmentId);
      if (!q.departmentCodes.matches(d?.fields.Code)) continue;
    }
    if (q.onlyUnpaid && inv.balance === 0) continue;
    if (q.sentAfter !== undefined && !(inv.sentAt !== null && inv.sentAt > q.sentAfter)) continue;
    if (q.balanceChangedAfter !== undefined && !(inv.lastChangedAt > q.balanceChangedAfter)) continue;
    out.push(inv);
  }
  return out;
}

export function getInvoice(client: GoClient, id: string): OutgoingInvoice {
  const invoice = client.invoices.get(id.toLowerCase());
  if (!invoice) throw notFound(`Outgoing invoice with id = ${id} not found.`);
  return invoice;
}

/** OutgoingInvoiceDto.InvoiceNo is int64; an imported invoice number that is not numeric shows as null. */
export function numericInvoiceNo(invoice: OutgoingInvoice): number | null {
  return /^\d{1,15}$/.test(invoice.invoiceNo) ? Number(invoice.invoiceNo) : null;
}
