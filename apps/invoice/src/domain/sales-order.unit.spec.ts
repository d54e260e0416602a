import { InvoicePosted, invoicePostedExample } from '@lib/contracts';
import type { SalesOrder } from '@lib/poweroffice';
import { buildSalesOrder, productGaps, salesOrderDifferences, sendRequest } from './sales-order';

const line = invoicePostedExample.lines[0];
const REFERENCE = '6f1d7c5e-0000-5000-8000-000000000002';
const discounted: InvoicePosted = {
  ...invoicePostedExample,
  lines: [
    { ...line },
    {
      ...line,
      articleNumber: '2001',
      description: 'Kaffe latte',
      vatCode: '31',
      quantity: 10,
      unitPriceExclVat: 5130,
      discountPercent: 10,
      netAmount: 46170,
      vatAmount: 6926,
      grossAmount: 53096,
    },
  ],
  totals: { net: 146170, vat: 31926, gross: 178096 },
};

/** The order as PowerOffice answers it when it computed exactly what the POS did. */
function answered(invoice: InvoicePosted, factor: 1 | -1, over: Partial<SalesOrder> = {}): SalesOrder {
  return {
    id: 'b7c9e4f0-1111-4222-8333-444455556666',
    customerId: 7,
    salesOrderNo: 1,
    netAmount: factor * invoice.totals.net,
    totalAmount: factor * invoice.totals.gross,
    salesOrderLines: invoice.lines.map((l, i) => ({
      id: `line-${i}`,
      productCode: l.articleNumber,
      vatCode: l.vatCode,
      netAmount: factor * l.netAmount,
    })),
    ...over,
  };
}

describe('productGaps', () => {
  it('lists every line without an article number', () => {
    const { articleNumber: _a, ...noArticle } = line;
    expect(productGaps({ ...invoicePostedExample, lines: [line, noArticle, noArticle] })).toEqual([
      {
        key: 'lines[1].articleNumber',
        problem: 'line 2 ("Catering, lunsj for 10 personer") has no article number, so it has no PowerOffice product',
      },
      {
        key: 'lines[2].articleNumber',
        problem: 'line 3 ("Catering, lunsj for 10 personer") has no article number, so it has no PowerOffice product',
      },
    ]);
    expect(productGaps(discounted)).toEqual([]);
  });
});

describe('buildSalesOrder', () => {
  it('orders the article-sync products with the POS quantity, price excl. VAT and discount', () => {
    expect(
      buildSalesOrder(discounted, { factor: 1, customerId: 7, departmentCode: 'D10', importReference: REFERENCE }),
    ).toEqual({
      customerId: 7,
      salesOrderDate: '2026-03-14',
      currencyCode: 'NOK',
      customerReference: 'Ola Nordmann',
      departmentCode: 'D10',
      externalImportReference: REFERENCE,
      salesOrderLines: [
        {
          productCode: '3001',
          quantity: 1,
          productUnitPrice: 100000,
          description: 'Catering, lunsj for 10 personer',
          sortOrder: 1,
        },
        {
          productCode: '2001',
          quantity: 10,
          productUnitPrice: 5130,
          allowance: 10,
          description: 'Kaffe latte',
          sortOrder: 2,
        },
      ],
    });
  });

  it('credits by negative quantities and names the credited invoice', () => {
    const order = buildSalesOrder(
      { ...invoicePostedExample, kind: 'creditNote', invoiceNumber: '5002', creditedInvoiceNumber: '5001' },
      { factor: -1, customerId: 7, departmentCode: null, importReference: REFERENCE },
    );
    expect(order.salesOrderLines).toEqual([expect.objectContaining({ quantity: -1, productUnitPrice: 100000 })]);
    expect(order.relatedInvoiceNo).toBe(5001);
    expect(order).not.toHaveProperty('departmentCode');
  });

  it('sends with the POS dates', () => {
    expect(sendRequest(invoicePostedExample)).toEqual({
      deliveryType: 'Auto',
      voucherDate: '2026-03-14',
      overrideDueDate: '2026-03-28',
    });
  });
});

describe('salesOrderDifferences', () => {
  it.each<[string, InvoicePosted, 1 | -1]>([
    ['an invoice', discounted, 1],
    ['a credit note given as magnitudes', { ...discounted, kind: 'creditNote' }, -1],
  ])('finds none when PowerOffice computed %s as the POS did', (_, invoice, factor) => {
    expect(salesOrderDifferences(invoice, factor, answered(invoice, factor))).toEqual([]);
  });

  it.each<[string, Partial<SalesOrder>, string[]]>([
    [
      'a product whose sales account carries another VAT code',
      {
        salesOrderLines: [
          { id: 'a', vatCode: '3', netAmount: 100000 },
          { id: 'b', vatCode: '3', netAmount: 46170 },
        ],
        totalAmount: 182713,
      },
      [
        'line 2 ("Kaffe latte"): PowerOffice uses VAT code 3 (from product 2001\'s sales account), the POS VAT code 31',
        'total incl. VAT: PowerOffice 1827.13, the POS 1780.96',
      ],
    ],
    [
      'a one-øre rounding difference on a line',
      {
        salesOrderLines: [
          { id: 'a', vatCode: '3', netAmount: 100000 },
          { id: 'b', vatCode: '31', netAmount: 46171 },
        ],
        netAmount: 146171,
      },
      [
        'line 2 ("Kaffe latte"): PowerOffice computes net 461.71, the POS 461.70',
        'total net: PowerOffice 1461.71, the POS 1461.70',
      ],
    ],
    [
      'a lost line',
      { salesOrderLines: [{ id: 'a', vatCode: '3', netAmount: 100000 }] },
      ["PowerOffice made 1 order lines of the invoice's 2"],
    ],
  ])('names %s', (_, over, expected) => {
    expect(salesOrderDifferences(discounted, 1, answered(discounted, 1, over))).toEqual(expected);
  });
});
