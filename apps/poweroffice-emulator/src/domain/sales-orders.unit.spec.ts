import { createCustomer } from './customers';
import { Problem } from './problem';
import { createProduct } from './products';
import {
  completeSalesOrder,
  createAndSendInvoice,
  lineNet,
  SalesOrderInput,
  SalesOrderLineInput,
} from './sales-orders';
import { NOW, ns4102Client } from './test-fixtures';

function problemOf(fn: () => unknown): Problem {
  try {
    fn();
  } catch (e) {
    if (e instanceof Problem) return e;
    throw e;
  }
  throw new Error('expected a Problem');
}

const orderLine = (extra: Partial<SalesOrderLineInput>): SalesOrderLineInput => ({
  lineType: null,
  productId: null,
  productCode: null,
  quantity: null,
  unitPrice: null,
  allowance: null,
  description: null,
  useStandardSalesAccount: null,
  departmentId: null,
  echo: {},
  ...extra,
});

const order = (
  customerNo: number,
  lines: SalesOrderLineInput[],
  extra: Partial<SalesOrderInput> = {},
): SalesOrderInput => ({
  customerId: null,
  customerNo,
  salesOrderDate: null,
  currencyCode: null,
  externalImportReference: null,
  status: null,
  departmentId: null,
  departmentCode: null,
  lines,
  echo: {},
  ...extra,
});

function setup(): ReturnType<typeof ns4102Client> {
  const client = ns4102Client();
  createCustomer(client, { Name: 'Kunde AS', EmailAddress: 'faktura@kunde.no' });
  createCustomer(client, { Name: 'Fritatt AS', IsVatFree: true });
  createProduct(client, {
    Name: 'Brød',
    Code: 'BROD',
    UnitPrice: 100,
    StandardSalesAccount: 3030,
    OptionalSalesAccount: 3100,
  });
  return client;
}

describe("sales order lines take their VAT from the product's sales account", () => {
  it("prices lines net, adds VAT at the account's code, and totals the order", () => {
    const client = setup();
    const o = completeSalesOrder(
      client,
      order(10000, [
        orderLine({ productCode: 'brod', quantity: 2 }),
        orderLine({ productCode: 'BROD', quantity: 1, allowance: 10 }),
      ]),
      '2026-03-10',
    );
    expect(o.lines.map((l) => [l.net, l.vat, l.vatCode, l.vatRate])).toEqual([
      [20000, 3000, '31', 0.15],
      [9000, 1350, '31', 0.15],
    ]);
    expect([o.netAmount, o.totalAmount, o.salesOrderNo]).toEqual([29000, 33350, 1]);
    expect(o.lines[0]!.description).toBe('Brød');
  });

  it('uses the optional (VAT-free) account for a VAT-free customer', () => {
    const client = setup();
    const o = completeSalesOrder(client, order(10001, [orderLine({ productCode: 'BROD', quantity: 1 })]), '2026-03-10');
    expect(o.lines[0]).toMatchObject({ net: 10000, vat: 0, vatCode: '5' });
  });

  it('needs an existing customer (404) and a quantity on product lines', () => {
    const client = setup();
    expect(problemOf(() => completeSalesOrder(client, order(19999, []), '2026-03-10'))).toMatchObject({
      status: 404,
      detail: 'Customer with number = 19999 not found.',
    });
    expect(
      problemOf(() => completeSalesOrder(client, order(10000, [orderLine({ productCode: 'BROD' })]), '2026-03-10'))
        .detail,
    ).toBe('Sales order line 1: Quantity is required when a product is set.');
  });

  it('keeps ExternalImportReference unique among sales orders', () => {
    const client = setup();
    const first = completeSalesOrder(client, order(10000, [], { externalImportReference: 'INV-1' }), '2026-03-10');
    expect(
      problemOf(() => completeSalesOrder(client, order(10000, [], { externalImportReference: 'inv-1' }), '2026-03-10'))
        .detail,
    ).toBe(`ExternalImportReference is already in use. 'inv-1' is used on sales order Id = ${first.id}.`);
  });

  it('rounds line nets half away from zero', () => {
    expect(lineNet(333, 1.5, null)).toBe(500);
    expect(lineNet(333, -1.5, null)).toBe(-500);
    expect(lineNet(null, 1, null)).toBe(0);
  });
});

describe('createAndSendInvoice', () => {
  const ctx = { allowSendInvoice: true, today: '2026-03-10', nowMs: NOW, processingMs: 0 };

  it('assigns an invoice number and posts Dr 1500 / Cr sales / Cr VAT', () => {
    const client = setup();
    const o = completeSalesOrder(client, order(10000, [orderLine({ productCode: 'BROD', quantity: 2 })]), '2026-03-10');
    createAndSendInvoice(
      client,
      o,
      { deliveryType: null, emailAddress: null, voucherDate: null, overrideDueDate: null },
      ctx,
    );
    expect(o.dispatch).toMatchObject({
      invoiceNo: 10001,
      dueDate: '2026-03-24',
      deliveryType: 'PdfByEmail',
      lastErrorMessage: null,
    });
    expect(client.ledger.map((e) => [e.accountNo, e.amount, e.voucherType])).toEqual([
      [1500, 23000, 'OutgoingInvoice'],
      [3030, -20000, 'OutgoingInvoice'],
      [2701, -3000, 'OutgoingInvoice'],
    ]);
    expect(
      problemOf(() =>
        createAndSendInvoice(
          client,
          o,
          { deliveryType: null, emailAddress: null, voucherDate: null, overrideDueDate: null },
          ctx,
        ),
      ).detail,
    ).toContain('has already been invoiced (InvoiceNo = 10001)');
  });

  it('answers 400 "Missing privilege" without the invoice-sending privilege', () => {
    const client = setup();
    const o = completeSalesOrder(client, order(10000, [orderLine({ productCode: 'BROD', quantity: 1 })]), '2026-03-10');
    const p = problemOf(() =>
      createAndSendInvoice(
        client,
        o,
        { deliveryType: null, emailAddress: null, voucherDate: null, overrideDueDate: null },
        { ...ctx, allowSendInvoice: false },
      ),
    );
    expect(p).toMatchObject({
      status: 400,
      title: 'Missing privilege',
      detail: 'The integration does not have the required privileges to send invoices.',
    });
    expect(client.ledger).toHaveLength(0);
  });

  it('records a failed e-mail delivery in the sent state', () => {
    const client = setup();
    createCustomer(client, { Name: 'Uten epost AS', InvoiceDeliveryType: 'PdfByEmail' });
    const o = completeSalesOrder(client, order(10002, [orderLine({ productCode: 'BROD', quantity: 1 })]), '2026-03-10');
    createAndSendInvoice(
      client,
      o,
      { deliveryType: 'Auto', emailAddress: null, voucherDate: null, overrideDueDate: null },
      ctx,
    );
    expect(o.dispatch?.sentAt).toBeNull();
    expect(o.dispatch?.lastErrorMessage).toContain('no e-mail address');
  });
});
