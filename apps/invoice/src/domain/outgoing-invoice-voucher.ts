import type { InvoicePosted } from '@lib/contracts';
import type { NewOutgoingInvoiceVoucher, OutgoingInvoiceVoucherLine } from '@lib/poweroffice';
import type { AccountMapping } from '@lib/tenancy';
import type { PostingFactor } from './posting-direction';

/**
 * An InvoicePosted (the POS issued the invoice) as a PowerOffice outgoing-invoice voucher: the
 * customer's ledger account is debited with the total, each invoice line is credited to the sales
 * account the tenant maps for its VAT code, and PowerOffice splits the VAT off each line.
 *
 * One voucher line per invoice line, with its description, rather than one per account × VAT code:
 * PowerOffice computes VAT as gross − round(gross / (1 + rate)) per line. For a POS line priced as
 * net + round(net × rate), that gives back exactly the POS's VAT, line by line; splitting an
 * aggregated gross instead rounds once over many lines and can move the ledger's VAT an øre or more
 * away from the VAT printed on the invoice. It also keeps the invoice's own wording in the ledger.
 */

/** Where a mapping does not cover the invoice, in tenancy's words (`invoiceSales.33`). */
export interface MappingGap {
  key: string;
  problem: string;
}

/** The account number one VAT code's revenue goes to, and which mapping entry said so. */
export interface SalesAccountChoice {
  vatCode: string;
  accountNo: number;
  mappingKey: string;
}

/** Lines PowerOffice gets: it refuses zero amounts, and a zero line changes no account. */
export function postableLines(invoice: InvoicePosted): InvoicePosted['lines'] {
  return invoice.lines.filter((l) => l.grossAmount !== 0);
}

/** The revenue account per VAT code of the invoice: `invoiceSales`, falling back to `sales`. */
export function invoiceSalesAccounts(
  invoice: InvoicePosted,
  mapping: AccountMapping,
): { accounts: SalesAccountChoice[]; gaps: MappingGap[] } {
  const accounts: SalesAccountChoice[] = [];
  const gaps: MappingGap[] = [];
  const codes = [...new Set(postableLines(invoice).map((l) => l.vatCode))];
  for (const vatCode of codes) {
    const own = mapping.invoiceSales?.[vatCode];
    const shared = mapping.sales?.[vatCode];
    if (own) accounts.push({ vatCode, accountNo: own.account, mappingKey: `invoiceSales.${vatCode}` });
    else if (shared) accounts.push({ vatCode, accountNo: shared.account, mappingKey: `sales.${vatCode}` });
    else
      gaps.push({
        key: `invoiceSales.${vatCode}`,
        problem: `no sales account is mapped for VAT code ${vatCode} (neither invoiceSales nor sales)`,
      });
  }
  return { accounts, gaps };
}

/** A VAT code's line target in PowerOffice ids. */
export interface PostingTarget {
  accountId: number;
  vatId: number;
}

export interface VoucherParts {
  factor: PostingFactor;
  /** The customer's SubledgerAccountId. */
  customerAccountId: number;
  /** PowerOffice department id when the invoice's department is mapped. */
  departmentId: number | null;
  importReference: string;
  /** By VAT code; covers every VAT code of the postable lines. */
  sales: ReadonlyMap<string, PostingTarget>;
}

export function buildOutgoingInvoiceVoucher(invoice: InvoicePosted, parts: VoucherParts): NewOutgoingInvoiceVoucher {
  const { factor } = parts;
  const lines: OutgoingInvoiceVoucherLine[] = postableLines(invoice).map((line) => {
    const target = parts.sales.get(line.vatCode);
    if (!target) throw new Error(`buildOutgoingInvoiceVoucher: no posting target for VAT code ${line.vatCode}`);
    const out: OutgoingInvoiceVoucherLine = {
      accountId: target.accountId,
      vatId: target.vatId,
      currencyAmount: factor * line.grossAmount,
      quantity: factor * line.quantity,
      description: line.description,
    };
    if (parts.departmentId !== null) out.departmentId = parts.departmentId;
    return out;
  });
  const voucher: NewOutgoingInvoiceVoucher = {
    invoiceNo: invoice.invoiceNumber,
    customerAccountId: parts.customerAccountId,
    voucherDate: invoice.invoiceDate,
    dueDate: invoice.dueDate,
    currencyCode: invoice.currency,
    currencyAmount: factor * invoice.totals.gross,
    description: invoiceText(invoice),
    externalImportReference: parts.importReference,
    outgoingInvoiceLines: lines,
  };
  if (invoice.kid !== undefined) voucher.cid = invoice.kid;
  if (invoice.reference !== undefined) voucher.customerReference = invoice.reference;
  if (parts.departmentId !== null) voucher.departmentId = parts.departmentId;
  return voucher;
}

/** The voucher text the accountant sees; a credit note names the invoice it credits. */
export function invoiceText(invoice: InvoicePosted): string {
  if (invoice.kind === 'invoice') return `Faktura ${invoice.invoiceNumber}`;
  return invoice.creditedInvoiceNumber
    ? `Kreditnota ${invoice.invoiceNumber} for faktura ${invoice.creditedInvoiceNumber}`
    : `Kreditnota ${invoice.invoiceNumber}`;
}
