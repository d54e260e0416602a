import { customerSynced } from './customer-sync-table';
import {
  FlowWorld,
  inboxEntry,
  onboardTenant,
  postInvoice,
  startInvoiceWorld,
  TestTenant,
  waitFor,
} from './invoice-flow-harness';
import { creditNoteFor, creditSale, twoArticleSale } from './invoices';

/*
 * Sales-order mode end to end (PowerOffice issues and sends the invoice): InvoicePosted → sales order
 * on the article-sync products → createAndSendInvoice → sent state → InvoiceTransferred with
 * PowerOffice's invoice number, and the ledger PowerOffice booked.
 */

type Row = Record<string, unknown>;

describe('invoice flow, sales-order mode', () => {
  let world: FlowWorld;
  let shop: TestTenant;

  beforeAll(async () => {
    world = await startInvoiceWorld({ env: { INVOICE_SEND_FROM_POWEROFFICE: 'true', POWEROFFICE_TIMEOUT_MS: '1500' } });
    shop = await onboardTenant(world, { invoiceMode: 'salesOrder' });
    const customer = await shop.powerOffice.customers.create({
      name: 'Fjordkafeen AS',
      number: 10001,
      invoiceEmailAddress: 'faktura@fjordkafeen.example',
    });
    // What the article sync would have created: product code = article number, sales account by VAT.
    await shop.powerOffice.products.create({
      name: 'Catering',
      code: '3001',
      unitPrice: 100000,
      standardSalesAccount: 3000,
    });
    await shop.powerOffice.products.create({
      name: 'Kaffe latte',
      code: '2001',
      unitPrice: 5130,
      standardSalesAccount: 3030,
    });
    await shop.powerOffice.products.create({
      name: 'Kake (feil konto)',
      code: '4001',
      unitPrice: 4000,
      standardSalesAccount: 3000,
    });
    await customerSynced(world.db, shop.id, 'c-1001', {
      id: customer.id,
      number: 10001,
      subledgerAccountId: customer.subledgerAccountId,
    });
  });
  afterAll(async () => world?.close());
  afterEach(async () => world.emulator.admin.clearFaults());

  async function ledgerOfInvoice(invoiceNo: number): Promise<Row[]> {
    const state = await world.emulator.admin.state(shop.clientKey);
    const invoice = state.outgoingInvoices.find((i) => i.InvoiceNo === invoiceNo);
    return state.accountTransactions
      .filter((t) => t.VoucherId === invoice?.Id)
      .map((t) => ({ account: t.AccountNo, amount: t.Amount, vatCode: t.VatCode, department: t.DepartmentCode }))
      .sort((a, b) => Number(a.account) - Number(b.account));
  }

  async function ordersWith(reference: unknown): Promise<Row[]> {
    return (await world.emulator.admin.state(shop.clientKey)).salesOrders.filter(
      (o) => o.ExternalImportReference === reference,
    );
  }

  async function statusOf(invoiceId: string): Promise<Row | undefined> {
    const rows: Row[] = await world.db.query(
      `SELECT * FROM invoice.status_view WHERE tenant_id = $1 AND invoice_id = $2`,
      [shop.id, invoiceId],
    );
    return rows[0];
  }

  it('has PowerOffice issue and send the invoice, and reports its number', async () => {
    const event = await postInvoice(world, shop.id, twoArticleSale('7001'));

    const outcome = await world.outcomes.answerTo<'InvoiceTransferred'>(event);
    expect(outcome.type).toBe('InvoiceTransferred');
    const po = outcome.data.powerOffice as typeof outcome.data.powerOffice & { invoiceNo?: number };
    expect(po).toMatchObject({
      customerNumber: 10001,
      salesOrderId: expect.any(String),
      invoiceNo: expect.any(Number),
    });
    expect(world.outcomes.problems).toEqual([]);

    const state = await world.emulator.admin.state(shop.clientKey);
    const order = state.salesOrders.find((o) => o.Id === po.salesOrderId)!;
    expect(order).toMatchObject({ CustomerId: expect.any(Number), TotalAmount: 1780.96, NetAmount: 1461.7 });
    expect(state.outgoingInvoices.find((i) => i.InvoiceNo === po.invoiceNo)).toMatchObject({
      VoucherType: 'OutgoingInvoice',
      TotalAmount: 1780.96,
      VoucherDate: '2026-03-14',
      DueDate: '2026-03-28',
      SentDateTimeOffset: expect.any(String),
    });
    // Dr customer 1 780.96 / Cr 3000 1 000.00 + 2700 250.00 / Cr 3030 461.70 + 2701 69.26.
    expect(await ledgerOfInvoice(po.invoiceNo!)).toEqual([
      { account: 1500, amount: 1780.96, vatCode: '0', department: 'D10' },
      { account: 2700, amount: -250, vatCode: '3', department: 'D10' },
      { account: 2701, amount: -69.26, vatCode: '31', department: 'D10' },
      { account: 3000, amount: -1000, vatCode: '3', department: 'D10' },
      { account: 3030, amount: -461.7, vatCode: '31', department: 'D10' },
    ]);
    expect(await statusOf('inv-7001')).toMatchObject({
      state: 'transferred',
      po_sales_order_id: po.salesOrderId,
      po_voucher_id: null,
    });
  });

  it('credits by a negative sales order: PowerOffice issues a credit note', async () => {
    const credited = twoArticleSale('7002');
    await world.outcomes.answerTo(await postInvoice(world, shop.id, credited));
    const event = await postInvoice(world, shop.id, creditNoteFor(credited, '7003'));

    const outcome = await world.outcomes.answerTo<'InvoiceTransferred'>(event);
    const po = outcome.data.powerOffice as typeof outcome.data.powerOffice & { invoiceNo?: number };
    const state = await world.emulator.admin.state(shop.clientKey);
    expect(state.outgoingInvoices.find((i) => i.InvoiceNo === po.invoiceNo)).toMatchObject({
      VoucherType: 'OutgoingCreditNote',
      TotalAmount: -1780.96,
    });
    expect(await ledgerOfInvoice(po.invoiceNo!)).toContainEqual({
      account: 1500,
      amount: -1780.96,
      vatCode: '0',
      department: 'D10',
    });
  });

  it('does not send an invoice PowerOffice computes differently from the POS, nor retry it on a resend', async () => {
    // Product 4001 posts to 3000 (25 %), but the till sold it at 15 %.
    const cake = creditSale('7101', {
      lines: [
        {
          articleNumber: '4001',
          description: 'Kake',
          quantity: 1,
          unitPriceExclVat: 4000,
          vatCode: '31',
          netAmount: 4000,
          vatAmount: 600,
          grossAmount: 4600,
        },
      ],
      totals: { net: 4000, vat: 600, gross: 4600 },
    });
    const event = await postInvoice(world, shop.id, cake);

    const outcome = await world.outcomes.answerTo<'InvoiceRejected'>(event);
    expect(outcome.data.error.code).toBe('IDENTITY_MISMATCH');
    expect(outcome.data.error.message).toContain(
      'line 1 ("Kake"): PowerOffice uses VAT code 3 (from product 4001\'s sales account), the POS VAT code 31; total incl. VAT: PowerOffice 50.00, the POS 46.00',
    );
    const status = await statusOf('inv-7101');
    expect(status).toMatchObject({
      state: 'rejected',
      error_code: 'IDENTITY_MISMATCH',
      po_sales_order_id: expect.any(String),
    });
    const state = await world.emulator.admin.state(shop.clientKey);
    const order = state.salesOrders.find((o) => o.Id === status!.po_sales_order_id)!;
    expect(order).toBeDefined();
    expect(state.outgoingInvoices.filter((i) => i.OrderNo === order.SalesOrderNo)).toEqual([]);

    const resend = await postInvoice(world, shop.id, cake);
    const again = await world.outcomes.answerTo<'InvoiceRejected'>(resend);
    expect(again.data.error.code).toBe('IDENTITY_MISMATCH');
    expect(again.data.error.message).toContain(
      `already has sales order ${String(status!.po_sales_order_id)} in PowerOffice`,
    );
    expect(await ordersWith(order.ExternalImportReference)).toHaveLength(1);
  });

  it('continues with the sales order whose answer was lost: one order, one invoice', async () => {
    await world.emulator.admin.setFaults({ latencyMs: 2500, clientKey: shop.clientKey });
    const since = (await world.emulator.admin.requests()).at(-1)?.seq ?? 0;
    const event = await postInvoice(world, shop.id, twoArticleSale('7201'));
    await waitFor(
      async () =>
        (await world.emulator.admin.requests({ since, clientKey: shop.clientKey })).some(
          (r) => r.path === '/v2/SalesOrders/Complete' && r.status === 201,
        ),
      'PowerOffice to create the sales order whose answer the client gave up on',
    );
    await world.emulator.admin.clearFaults();

    const outcome = await world.outcomes.answerTo<'InvoiceTransferred'>(event);
    const po = outcome.data.powerOffice as typeof outcome.data.powerOffice & { invoiceNo?: number };
    expect((await inboxEntry(world.db, event.id))!.attempts).toBeGreaterThan(1);
    const state = await world.emulator.admin.state(shop.clientKey);
    const order = state.salesOrders.find((o) => o.Id === po.salesOrderId)!;
    expect(await ordersWith(order.ExternalImportReference)).toHaveLength(1);
    expect(state.outgoingInvoices.filter((i) => i.OrderNo === order.SalesOrderNo)).toEqual([
      expect.objectContaining({ InvoiceNo: po.invoiceNo }),
    ]);
  });

  it('answers a resent invoice from memory', async () => {
    const first = await postInvoice(world, shop.id, twoArticleSale('7301'));
    const transferred = await world.outcomes.answerTo<'InvoiceTransferred'>(first);
    const since = (await world.emulator.admin.requests()).at(-1)?.seq ?? 0;

    const resend = await world.outcomes.answerTo<'InvoiceTransferred'>(
      await postInvoice(world, shop.id, twoArticleSale('7301')),
    );
    expect(resend.data.powerOffice).toEqual(transferred.data.powerOffice);
    expect(await world.emulator.admin.requests({ since, clientKey: shop.clientKey })).toEqual([]);
  });
});
