import { RunningEmulator, startEmulator } from '../src/bootstrap';
import { connect, GoApi, sleep } from './support/go-api';

let emu: RunningEmulator;

beforeAll(async () => {
  emu = await startEmulator({ port: 0, rateLimit: 0 });
});
afterAll(() => emu.close());

async function shop(api: GoApi): Promise<{ customerId: number; customerNo: number }> {
  await api.post('/Products', { Code: 'BROD', Name: 'Grovbrød', UnitPrice: 49.9, StandardSalesAccount: 3030 });
  await api.post('/Products', { Code: 'KURS', Name: 'Bakekurs', UnitPrice: 500, StandardSalesAccount: 3050 });
  const c = (await api.post('/Customers', { Name: 'Kantina AS', InvoiceEmailAddress: 'faktura@kantina.no' })).body;
  return { customerId: c.Id, customerNo: c.Number };
}

describe('sales order → invoice (flow A)', () => {
  it("POST /SalesOrders/Complete → 201 with lines, VAT from each product's sales account, Net/Total", async () => {
    const api = await connect(emu);
    const { customerNo } = await shop(api);
    const r = await api.post('/SalesOrders/Complete', {
      CustomerNo: customerNo,
      SalesOrderDate: '2026-03-09',
      ExternalImportReference: 'pos-inv-1',
      SalesOrderLines: [
        { ProductCode: 'BROD', Quantity: 10 },
        { ProductCode: 'KURS', Quantity: 1, Allowance: 10 },
        { LineType: 'Text', Description: 'Takk for handelen' },
      ],
    });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({
      Id: expect.any(String),
      SalesOrderNo: 1,
      CustomerNo: customerNo,
      NetAmount: 949,
      TotalAmount: 1077.85,
      LineCount: 3,
      IsCreatedByCurrentIntegration: true,
    });
    expect(
      r.body.SalesOrderLines.map((l: Record<string, unknown>) => [
        l.ProductCode,
        l.NetAmount,
        l.VatAmount,
        l.TotalAmount,
        l.VatCode,
        l.VatRate,
      ]),
    ).toEqual([
      ['BROD', 499, 74.85, 573.85, '31', 0.15],
      ['KURS', 450, 54, 504, '33', 0.12],
      [null, 0, 0, 0, null, null],
    ]);
    expect((await api.get(`/SalesOrders/${r.body.Id}/Complete`)).body.SalesOrderNo).toBe(1);
    const dup = await api.post('/SalesOrders/Complete', {
      CustomerNo: customerNo,
      ExternalImportReference: 'pos-inv-1',
      SalesOrderLines: [],
    });
    expect(dup.status).toBe(400);
    expect(dup.body.detail).toContain("ExternalImportReference is already in use. 'pos-inv-1'");
  });

  it('404 for an unknown customer or product', async () => {
    const api = await connect(emu);
    await shop(api);
    const noCustomer = await api.post('/SalesOrders/Complete', { CustomerNo: 19999, SalesOrderLines: [] });
    expect(noCustomer.status).toBe(404);
    expect(noCustomer.body).toMatchObject({
      title: 'Sales order validation error(s)',
      detail: 'Customer with number = 19999 not found.',
    });
    const noProduct = await api.post('/SalesOrders/Complete', {
      CustomerNo: 10000,
      SalesOrderLines: [{ ProductCode: 'NOPE', Quantity: 1 }],
    });
    expect(noProduct.status).toBe(404);
  });

  it('createAndSendInvoice → 202 with Location; sentState shows the invoice; the ledger and OutgoingInvoices have it', async () => {
    const api = await connect(emu);
    const { customerNo } = await shop(api);
    const order = (
      await api.post('/SalesOrders/Complete', {
        CustomerNo: customerNo,
        SalesOrderLines: [{ ProductCode: 'BROD', Quantity: 2 }],
      })
    ).body;
    expect((await api.get(`/SalesOrders/sentState?id=${order.Id}`)).status).toBe(204);
    const sent = await api.post(`/SalesOrders/${order.Id}/createAndSendInvoice`, {
      DeliveryType: 'PdfByEmail',
      VoucherDate: '2026-03-10',
    });
    expect(sent.status).toBe(202);
    expect(sent.headers.get('location')).toBe(`${emu.baseUrl}/v2/SalesOrders/sentState?id=${order.Id}`);
    const state = await api.get(`/SalesOrders/sentState?id=${order.Id}`);
    expect(state.body).toEqual([
      expect.objectContaining({
        Id: order.Id,
        InvoiceNo: 10001,
        DueDate: '2026-03-24',
        IsInvoiceBeingProcessed: false,
        LastErrorMessage: null,
        SentDateTimeOffset: expect.any(String),
      }),
    ]);
    const tx = await api.get('/AccountTransactions?fromDate=2026-03-10&toDate=2026-03-10');
    expect(tx.body.map((t: Record<string, unknown>) => [t.AccountNo, t.Amount, t.VoucherType])).toEqual([
      [1500, 114.77, 'OutgoingInvoice'],
      [3030, -99.8, 'OutgoingInvoice'],
      [2701, -14.97, 'OutgoingInvoice'],
    ]);
    const invoices = await api.get('/OutgoingInvoices?invoiceNos=10001');
    expect(invoices.body[0]).toMatchObject({
      InvoiceNo: 10001,
      OrderNo: order.SalesOrderNo,
      TotalAmount: 114.77,
      SentDateTimeOffset: expect.any(String),
    });
    const twice = await api.post(`/SalesOrders/${order.Id}/createAndSendInvoice`, {});
    expect(twice.status).toBe(400);
  });

  it('400 "Missing privilege" when the integration may not send invoices', async () => {
    const api = await connect(emu, { allowSendInvoice: false });
    const { customerNo } = await shop(api);
    const order = (
      await api.post('/SalesOrders/Complete', {
        CustomerNo: customerNo,
        SalesOrderLines: [{ ProductCode: 'BROD', Quantity: 1 }],
      })
    ).body;
    const r = await api.post(`/SalesOrders/${order.Id}/createAndSendInvoice`, {});
    expect(r.status).toBe(400);
    expect(r.body).toEqual({
      title: 'Missing privilege',
      status: 400,
      detail: 'The integration does not have the required privileges to send invoices.',
    });
  });

  it('shows the invoice as being processed until Go has sent it (configurable delay)', async () => {
    const slow = await startEmulator({ port: 0, rateLimit: 0, invoiceProcessingMs: 800 });
    try {
      const api = await connect(slow, {}, 'demo');
      const { customerNo } = await shop(api);
      const order = (
        await api.post('/SalesOrders/Complete', {
          CustomerNo: customerNo,
          SalesOrderLines: [{ ProductCode: 'BROD', Quantity: 1 }],
        })
      ).body;
      const sent = await api.post(`/SalesOrders/${order.Id}/createAndSendInvoice`);
      expect(sent.headers.get('location')).toContain('/Demo/v2/SalesOrders/sentState?id=');
      expect((await api.get(`/SalesOrders/sentState?id=${order.Id}`)).body[0]).toMatchObject({
        IsInvoiceBeingProcessed: true,
        InvoiceNo: null,
      });
      await sleep(850);
      expect((await api.get(`/SalesOrders/sentState?id=${order.Id}`)).body[0]).toMatchObject({
        IsInvoiceBeingProcessed: false,
        InvoiceNo: 10001,
      });
    } finally {
      await slow.close();
    }
  });
});
