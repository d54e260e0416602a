import type { InvoicePosted } from '@lib/contracts';
import type { NewSalesOrder, NewSalesOrderLine, SalesOrder, SendInvoiceRequest } from '@lib/poweroffice';
import { nok } from './money';
import type { MappingGap } from './outgoing-invoice-voucher';
import type { PostingFactor } from './posting-direction';

/**
 * An InvoicePosted as a PowerOffice sales order (PowerOffice issues the invoice): one order line per
 * invoice line on the product the article sync created (product code = article number), with the
 * POS's quantity, unit price excl. VAT and discount. PowerOffice takes VAT from each product's sales
 * account, so the order it computes is compared with the POS invoice before it is sent.
 */

/** Every line needs a product: without one PowerOffice would pick a default sales account and VAT. */
export function productGaps(invoice: InvoicePosted): MappingGap[] {
  return invoice.lines.flatMap((line, i) =>
    line.articleNumber
      ? []
      : [
          {
            key: `lines[${i}].articleNumber`,
            problem: `line ${i + 1} ("${line.description}") has no article number, so it has no PowerOffice product`,
          },
        ],
  );
}

export interface SalesOrderParts {
  factor: PostingFactor;
  customerId: number;
  /** PowerOffice department code, when the invoice's department is mapped. */
  departmentCode: string | null;
  importReference: string;
}

export function buildSalesOrder(invoice: InvoicePosted, parts: SalesOrderParts): NewSalesOrder {
  const lines: NewSalesOrderLine[] = invoice.lines.map((line, i) => {
    const out: NewSalesOrderLine = {
      productCode: line.articleNumber,
      // A credit note given as magnitudes credits by negative quantities; the price stays a price.
      quantity: parts.factor * line.quantity,
      productUnitPrice: line.unitPriceExclVat,
      description: line.description,
      sortOrder: i + 1,
    };
    if (line.discountPercent !== undefined && line.discountPercent !== 0) out.allowance = line.discountPercent;
    return out;
  });
  const order: NewSalesOrder = {
    customerId: parts.customerId,
    salesOrderDate: invoice.invoiceDate,
    currencyCode: invoice.currency,
    externalImportReference: parts.importReference,
    salesOrderLines: lines,
  };
  if (invoice.reference !== undefined) order.customerReference = invoice.reference;
  if (parts.departmentCode !== null) order.departmentCode = parts.departmentCode;
  if (
    invoice.kind === 'creditNote' &&
    invoice.creditedInvoiceNumber &&
    /^\d{1,15}$/.test(invoice.creditedInvoiceNumber)
  ) {
    order.relatedInvoiceNo = Number(invoice.creditedInvoiceNumber);
  }
  return order;
}

/** PowerOffice issues the invoice with the POS's dates: the till already told the customer them. */
export function sendRequest(invoice: InvoicePosted): SendInvoiceRequest {
  return { deliveryType: 'Auto', voucherDate: invoice.invoiceDate, overrideDueDate: invoice.dueDate };
}

/**
 * Where the order PowerOffice computed differs from the POS invoice (VAT code per line, net per
 * line, the totals), to the øre. Empty when PowerOffice would invoice exactly what the till did.
 */
export function salesOrderDifferences(invoice: InvoicePosted, factor: PostingFactor, order: SalesOrder): string[] {
  const differences: string[] = [];
  const lines = order.salesOrderLines ?? [];
  if (lines.length === invoice.lines.length) {
    invoice.lines.forEach((line, i) => {
      const po = lines[i];
      if (po.vatCode != null && po.vatCode !== line.vatCode) {
        differences.push(
          `line ${i + 1} ("${line.description}"): PowerOffice uses VAT code ${po.vatCode} (from product ${line.articleNumber}'s sales account), the POS VAT code ${line.vatCode}`,
        );
      }
      if (po.netAmount != null && po.netAmount !== factor * line.netAmount) {
        differences.push(
          `line ${i + 1} ("${line.description}"): PowerOffice computes net ${nok(po.netAmount)}, the POS ${nok(factor * line.netAmount)}`,
        );
      }
    });
  } else {
    differences.push(`PowerOffice made ${lines.length} order lines of the invoice's ${invoice.lines.length}`);
  }
  if (order.netAmount != null && order.netAmount !== factor * invoice.totals.net) {
    differences.push(`total net: PowerOffice ${nok(order.netAmount)}, the POS ${nok(factor * invoice.totals.net)}`);
  }
  if (order.totalAmount != null && order.totalAmount !== factor * invoice.totals.gross) {
    differences.push(
      `total incl. VAT: PowerOffice ${nok(order.totalAmount)}, the POS ${nok(factor * invoice.totals.gross)}`,
    );
  }
  return differences;
}
