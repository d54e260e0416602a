import type { INestApplication } from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import { dlqTopic, invoicePostedExample, topicName, type InvoicePosted } from '@lib/contracts';
import { ensureTopics, loadEnv } from '@lib/platform';
import { TenantService } from '@lib/tenancy';
import { InvoiceConfig } from '../../invoice/src/invoice.config';
import { InvoiceModule } from '../../invoice/src/invoice.module';
import { filePrefix, newShop, posEvent, produce, RunningConsole, runEnv, startConsole, startFlowApp, testKafka, waitFor } from './console-harness';

/**
 * A rejected invoice, fixed and resent from the console: the invoice flow (running in-process as in
 * production) rejects an invoice to a customer PowerOffice does not have and parks its event; the
 * console shows it rejected with the reason; once the customer exists, "resend" redrives the parked
 * event and the invoice reaches PowerOffice.
 */
describe('console: a rejected invoice resent over a running invoice flow', () => {
  const prefix = filePrefix('console-invoice');
  let c: RunningConsole;
  let invoiceApp: INestApplication;
  let kafka: Kafka;
  let shop: Awaited<ReturnType<typeof newShop>>;
  const invoice: InvoicePosted = {
    ...structuredClone(invoicePostedExample),
    invoiceId: 'inv-7001',
    invoiceNumber: '7001',
    customer: { customerId: 'c-7001', customerNumber: 17001 },
  };
  const invoiceRow = async () => {
    const s = (await c.http.get(`/tenants/${shop.tenantId}/status`)).body;
    return s.invoices.items?.find((i: { invoiceId: string }) => i.invoiceId === 'inv-7001') as Record<string, string | null> | undefined;
  };

  beforeAll(async () => {
    kafka = testKafka('console-invoice-test');
    const input = topicName('invoicePosted', prefix);
    await ensureTopics(kafka, [input, dlqTopic(input), topicName('invoiceOutcomes', prefix)], 3);
    c = await startConsole({ env: { TOPIC_PREFIX: prefix } });
    invoiceApp = await startFlowApp(InvoiceModule.register(loadEnv(InvoiceConfig, runEnv(c.emulator.baseUrl, { TOPIC_PREFIX: prefix, PORT: '0' }))));
    shop = await newShop(c.emulator, { prefix: 'invoice' });
    expect((await c.http.post('/tenants', shop.onboarding)).status).toBe(201);
    // The invoice is for POS department 10: the shop has department D10 in PowerOffice, mapped.
    const tenants: TenantService = c.app.get(TenantService);
    const powerOffice = await tenants.clientFor(shop.tenantId, 'customer');
    await powerOffice.departments.create({ name: 'Avdeling 10', code: 'D10', isActive: true });
    await tenants.refreshReferenceData(shop.tenantId, { kinds: ['departments'] });
    const mapping = (await c.http.put(`/tenants/${shop.tenantId}/mapping`, { preset: 'ns4102' })).body.mapping;
    expect((await c.http.put(`/tenants/${shop.tenantId}/mapping`, { mapping: { ...mapping, departments: { '10': 'D10' } } })).status).toBe(200);

    await produce(kafka, 'invoicePosted', prefix, [posEvent('InvoicePosted', shop.tenantId, invoice)]);
    await waitFor('the invoice rejected', async () => (await invoiceRow())?.state === 'rejected');
  });

  afterAll(async () => {
    await invoiceApp?.close();
    await c?.close();
  });

  it('shows the invoice rejected with the reason, and its parked event', async () => {
    const s = (await c.http.get(`/tenants/${shop.tenantId}/status`)).body;
    expect(s.invoices.available).toBe(true);
    expect(s.invoices.counts).toMatchObject({ byState: { rejected: 1 }, failing: 1 });
    expect(await invoiceRow()).toMatchObject({ invoiceNumber: '7001', state: 'rejected', errorCode: 'CUSTOMER_NOT_FOUND' });
    expect(s.parkedEvents.items).toEqual([expect.objectContaining({ eventType: 'InvoicePosted', errorCode: 'CUSTOMER_NOT_FOUND' })]);
    const overview = (await c.http.get('/status')).body.tenants.find((t: { tenantId: string }) => t.tenantId === shop.tenantId);
    expect(overview).toMatchObject({ needsAttention: true, invoicesFailing: 1, reasons: expect.arrayContaining(['1 invoice rejected', '1 parked event']) });
  });

  it('resend finds the parked event of that invoice and redrives it; with the customer created the invoice is transferred', async () => {
    const tenants: TenantService = c.app.get(TenantService);
    const powerOffice = await tenants.clientFor(shop.tenantId, 'customer');
    await powerOffice.customers.create({ name: 'Fjordkafeen AS', number: 17001 });

    const res = await c.http.post(`/tenants/${shop.tenantId}/invoices/inv-7001/resend`);
    expect(res.status).toBe(200);
    expect(res.body.redriven).toEqual([expect.objectContaining({ key: `${shop.tenantId}:inv-7001`, eventType: 'InvoicePosted' })]);

    const row = await waitFor('the invoice transferred', async () => {
      const r = await invoiceRow();
      return r?.state === 'transferred' ? r : undefined;
    });
    expect(row).toMatchObject({ customerNumber: '17001', errorCode: null });
    const state = await c.emulator.admin.state(shop.clientKey);
    expect(state.outgoingInvoices.filter((i) => i.InvoiceNo === 7001)).toHaveLength(1);
    const s = (await c.http.get(`/tenants/${shop.tenantId}/status`)).body;
    expect(s.parkedEvents.count).toBe(0);
  });

  it('a second resend has nothing to resend: 409; an invoice never rejected: 404', async () => {
    const again = await c.http.post(`/tenants/${shop.tenantId}/invoices/inv-7001/resend`);
    expect(again.status).toBe(409);
    expect(again.body.message).toMatch(/no rejected event to resend \(state: transferred\)/);
    const unknown = await c.http.post(`/tenants/${shop.tenantId}/invoices/inv-0000/resend`);
    expect(unknown.status).toBe(404);
    expect(unknown.body.message).toMatch(/No parked InvoicePosted event for invoice inv-0000/);
  });
});
