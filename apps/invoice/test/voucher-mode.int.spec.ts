import { setTimeout as sleep } from 'node:timers/promises';
import type { Customer } from '@lib/poweroffice';
import { customerBeingCreated, customerSynced, ensureCustomerSyncTable } from './customer-sync-table';
import {
  FlowWorld,
  inboxEntry,
  onboardTenant,
  postInvoice,
  startInvoiceWorld,
  TestTenant,
  waitFor,
} from './invoice-flow-harness';
import { creditNoteFor, creditSale } from './invoices';

/*
 * Voucher mode end to end: InvoicePosted on the real broker → the invoice app (pipeline, PostgreSQL)
 * → the PowerOffice emulator → InvoiceTransferred / InvoiceRejected on the outcome topic, and the
 * ledger as PowerOffice booked it.
 */

type Row = Record<string, unknown>;

describe('invoice flow, voucher mode', () => {
  let world: FlowWorld;
  let shop: TestTenant;
  let fjordkafeen: Customer;

  beforeAll(async () => {
    world = await startInvoiceWorld({
      // A short wait for customers being created, and a client timeout the emulator's latency can exceed.
      env: { INVOICE_CUSTOMER_WAIT_MS: '3000', POWEROFFICE_TIMEOUT_MS: '1500' },
    });
    shop = await onboardTenant(world);
    fjordkafeen = await shop.powerOffice.customers.create({ name: 'Fjordkafeen AS', number: 10001 });
    await ensureCustomerSyncTable(world.db);
  });
  afterAll(async () => world?.close());
  afterEach(async () => world.emulator.admin.clearFaults());

  /** The ledger lines of a voucher, as PowerOffice's AccountTransactions show them. */
  async function ledgerOf(voucherId: string): Promise<Row[]> {
    const state = await world.emulator.admin.state(shop.clientKey);
    return state.accountTransactions
      .filter((t) => t.VoucherId === voucherId)
      .map((t) => ({
        account: t.AccountNo,
        amount: t.Amount,
        vatCode: t.VatCode,
        department: t.DepartmentCode,
        customer: t.CustomerAccountNo,
      }))
      .sort((a, b) => Number(a.account) - Number(b.account));
  }

  async function invoicesNumbered(invoiceNo: number): Promise<Row[]> {
    return (await world.emulator.admin.state(shop.clientKey)).outgoingInvoices.filter((i) => i.InvoiceNo === invoiceNo);
  }

  /** The API calls this tenant made after `since` (a request-log sequence number). */
  async function callsSince(since: number): Promise<{ call: string; status: number }[]> {
    return (await world.emulator.admin.requests({ since, clientKey: shop.clientKey })).map((r) => ({
      call: `${r.method} ${r.path}`,
      status: r.status,
    }));
  }

  async function requestSeq(): Promise<number> {
    const all = await world.emulator.admin.requests();
    return all.length ? all[all.length - 1].seq : 0;
  }

  async function statusOf(invoiceId: string): Promise<Row | undefined> {
    const rows: Row[] = await world.db.query(
      `SELECT * FROM invoice.status_view WHERE tenant_id = $1 AND invoice_id = $2`,
      [shop.id, invoiceId],
    );
    return rows[0];
  }

  it('posts an invoice on the customer ledger and the mapped sales account, with its department', async () => {
    const event = await postInvoice(world, shop.id, creditSale('5001'));

    const outcome = await world.outcomes.answerTo<'InvoiceTransferred'>(event);
    expect(outcome.type).toBe('InvoiceTransferred');
    expect(outcome.data).toMatchObject({
      invoiceId: 'inv-5001',
      invoiceNumber: '5001',
      powerOffice: { customerNumber: 10001 },
    });
    const voucherId = outcome.data.powerOffice.voucherId!;

    // Dr customer ledger (1500, customer 10001) 1 250.00 / Cr sales 3000 1 000.00 + Cr output VAT 2700 250.00.
    expect(await ledgerOf(voucherId)).toEqual([
      { account: 1500, amount: 1250, vatCode: '0', department: 'D10', customer: 10001 },
      { account: 2700, amount: -250, vatCode: '3', department: 'D10', customer: null },
      { account: 3000, amount: -1000, vatCode: '3', department: 'D10', customer: null },
    ]);
    expect(await invoicesNumbered(5001)).toEqual([
      expect.objectContaining({
        Id: voucherId,
        VoucherType: 'OutgoingInvoice',
        TotalAmount: 1250,
        Cid: '50013',
        DueDate: '2026-03-28',
        CustomerNo: 10001,
      }),
    ]);
    expect(await statusOf('inv-5001')).toMatchObject({
      invoice_number: '5001',
      kind: 'invoice',
      state: 'transferred',
      po_voucher_id: voucherId,
      customer_number: '10001',
      error_code: null,
    });
  });

  it('posts a credit note with opposite signs, naming the credited invoice', async () => {
    const event = await postInvoice(world, shop.id, creditNoteFor(creditSale('5002'), '5003'));

    const outcome = await world.outcomes.answerTo<'InvoiceTransferred'>(event);
    expect(outcome.type).toBe('InvoiceTransferred');
    const voucherId = outcome.data.powerOffice.voucherId!;
    expect(await ledgerOf(voucherId)).toEqual([
      { account: 1500, amount: -1250, vatCode: '0', department: 'D10', customer: 10001 },
      { account: 2700, amount: 250, vatCode: '3', department: 'D10', customer: null },
      { account: 3000, amount: 1000, vatCode: '3', department: 'D10', customer: null },
    ]);
    const state = await world.emulator.admin.state(shop.clientKey);
    expect(state.outgoingInvoices.find((i) => i.Id === voucherId)).toMatchObject({
      InvoiceNo: 5003,
      VoucherType: 'OutgoingCreditNote',
      TotalAmount: -1250,
    });
    expect(state.vouchers.find((v) => v.Id === voucherId)).toMatchObject({
      Description: 'Kreditnota 5003 for faktura 5002',
    });
    expect(await statusOf('inv-5003')).toMatchObject({ kind: 'creditNote', state: 'transferred' });
  });

  it('rejects an invoice to an unknown customer at once: CUSTOMER_NOT_FOUND, one lookup, no retries', async () => {
    const since = await requestSeq();
    const event = await postInvoice(
      world,
      shop.id,
      creditSale('5101', { customer: { customerId: 'c-9999', customerNumber: 19999 } }),
    );

    const outcome = await world.outcomes.answerTo<'InvoiceRejected'>(event);
    expect(outcome.type).toBe('InvoiceRejected');
    expect(outcome.data).toMatchObject({
      invoiceId: 'inv-5101',
      invoiceNumber: '5101',
      error: { code: 'CUSTOMER_NOT_FOUND', retryable: false },
    });
    expect(outcome.data.error.message).toContain(
      'Customer c-9999 (customer number 19999) does not exist in PowerOffice',
    );
    expect(outcome.data.error.details).toEqual({ customerId: 'c-9999', customerNumber: 19999 });
    expect(await inboxEntry(world.db, event.id)).toMatchObject({ status: 'failed', attempts: 1 });
    expect(await callsSince(since)).toEqual([{ call: 'GET /v2/Customers', status: 204 }]);
    expect(await statusOf('inv-5101')).toMatchObject({
      state: 'rejected',
      error_code: 'CUSTOMER_NOT_FOUND',
      po_voucher_id: null,
    });
  });

  it('waits for a customer that customer sync is creating, then posts to it', async () => {
    await customerBeingCreated(world.db, shop.id, 'c-2002');
    const event = await postInvoice(
      world,
      shop.id,
      creditSale('5201', { customer: { customerId: 'c-2002', customerNumber: 10002 } }),
    );

    // Customer sync finishes a moment later: the customer is in PowerOffice and the row says so
    // (without the ledger account, which the invoice flow then reads from PowerOffice).
    await sleep(1200);
    const created = await shop.powerOffice.customers.create({ name: 'Nordlys Catering AS', number: 10002 });
    await customerSynced(world.db, shop.id, 'c-2002', { id: created.id, number: 10002, subledgerAccountId: null });

    const outcome = await world.outcomes.answerTo<'InvoiceTransferred'>(event);
    expect(outcome.type).toBe('InvoiceTransferred');
    expect(outcome.data.powerOffice.customerNumber).toBe(10002);
    expect((await inboxEntry(world.db, event.id))!.attempts).toBeGreaterThan(1);
    expect(await ledgerOf(outcome.data.powerOffice.voucherId!)).toContainEqual(
      expect.objectContaining({ account: 1500, amount: 1250, customer: 10002 }),
    );
  });

  it('rejects as CUSTOMER_NOT_FOUND once a customer being created does not appear within the wait', async () => {
    await customerBeingCreated(world.db, shop.id, 'c-2003');
    const event = await postInvoice(
      world,
      shop.id,
      creditSale('5202', { customer: { customerId: 'c-2003', customerNumber: 10003 } }),
    );

    const outcome = await world.outcomes.answerTo<'InvoiceRejected'>(event);
    expect(outcome.data.error).toMatchObject({ code: 'CUSTOMER_NOT_FOUND', retryable: false });
    expect(outcome.data.error.message).toMatch(
      /customer sync has not finished creating it within 3 s, and PowerOffice has no customer number 10003/,
    );
    expect((await inboxEntry(world.db, event.id))!.attempts).toBeGreaterThan(1);
  });

  it("reports PowerOffice's validation error verbatim", async () => {
    const event = await postInvoice(world, shop.id, creditSale('5301', { dueDate: '2026-03-01' }));

    const outcome = await world.outcomes.answerTo<'InvoiceRejected'>(event);
    expect(outcome.data.error).toMatchObject({
      code: 'POWEROFFICE_REJECTED',
      retryable: false,
      powerOffice: {
        status: 400,
        title: 'Voucher validation error(s)',
        detail: 'DueDate 2026-03-01 is before VoucherDate 2026-03-14.',
      },
    });
    expect(outcome.data.error.message).toContain(
      'Voucher validation error(s): DueDate 2026-03-01 is before VoucherDate 2026-03-14.',
    );
    expect(await inboxEntry(world.db, event.id)).toMatchObject({ status: 'failed', attempts: 1 });
    expect(await invoicesNumbered(5301)).toEqual([]);
    expect(await statusOf('inv-5301')).toMatchObject({ state: 'rejected', error_code: 'POWEROFFICE_REJECTED' });
  });

  it('rejects a mapping gap and an invoice that does not add up without calling PowerOffice', async () => {
    const since = await requestSeq();
    const rawFish = creditSale('5302', {
      lines: [
        {
          description: 'Torsk, 10 kg',
          quantity: 10,
          unitPriceExclVat: 1000,
          vatCode: '32',
          netAmount: 10000,
          vatAmount: 1111,
          grossAmount: 11111,
        },
      ],
      totals: { net: 10000, vat: 1111, gross: 11111 },
    });
    const offByOne = creditSale('5303');
    offByOne.lines[0].grossAmount = 125001;
    offByOne.totals.gross = 125001;
    const [gap, mismatch] = [await postInvoice(world, shop.id, rawFish), await postInvoice(world, shop.id, offByOne)];

    const gapOutcome = await world.outcomes.answerTo<'InvoiceRejected'>(gap);
    expect(gapOutcome.data.error).toMatchObject({
      code: 'MAPPING_MISSING',
      details: [
        {
          key: 'invoiceSales.32',
          account: null,
          problem: 'no sales account is mapped for VAT code 32 (neither invoiceSales nor sales)',
        },
      ],
    });
    const mismatchOutcome = await world.outcomes.answerTo<'InvoiceRejected'>(mismatch);
    expect(mismatchOutcome.data.error.code).toBe('IDENTITY_MISMATCH');
    expect(mismatchOutcome.data.error.message).toContain(
      'line 1 ("Catering, lunsj for 10 personer"): net 1000.00 + VAT 250.00 = 1250.00, but its gross is 1250.01',
    );
    expect(await callsSince(since)).toEqual([]);
  });

  it('recovers from 429 throttling: retried in the pipeline, posted once', async () => {
    await world.emulator.admin.setFaults({ errorRate: 1, errorStatus: 429, clientKey: shop.clientKey });
    const since = await requestSeq();
    const event = await postInvoice(world, shop.id, creditSale('5401'));
    await waitFor(
      async () => (await callsSince(since)).filter((c) => c.status === 429).length >= 2,
      'PowerOffice to throttle the invoice',
    );
    await world.emulator.admin.clearFaults();

    const outcome = await world.outcomes.answerTo<'InvoiceTransferred'>(event);
    expect(outcome.type).toBe('InvoiceTransferred');
    expect((await inboxEntry(world.db, event.id))!.attempts).toBeGreaterThan(1);
    expect(await invoicesNumbered(5401)).toEqual([expect.objectContaining({ Id: outcome.data.powerOffice.voucherId })]);
  });

  it('recovers from a PowerOffice outage: retried until it answers, posted once', async () => {
    await world.emulator.admin.setFaults({ outageMs: 2500 });
    const since = await requestSeq();
    const event = await postInvoice(world, shop.id, creditSale('5402'));

    const outcome = await world.outcomes.answerTo<'InvoiceTransferred'>(event);
    expect(outcome.type).toBe('InvoiceTransferred');
    expect((await callsSince(since)).some((c) => c.status === 503)).toBe(true);
    expect((await inboxEntry(world.db, event.id))!.attempts).toBeGreaterThan(1);
    expect(await invoicesNumbered(5402)).toHaveLength(1);
  });

  it('answers a redelivered event once and a resent invoice from memory: one voucher', async () => {
    const first = await postInvoice(world, shop.id, creditSale('5501'));
    const transferred = await world.outcomes.answerTo<'InvoiceTransferred'>(first);
    const since = await requestSeq();

    // Kafka delivers the same event again, then the POS sends the same invoice again (a new event).
    await postInvoice(world, shop.id, creditSale('5501'), { id: first.id });
    const resend = await postInvoice(world, shop.id, creditSale('5501'));
    const again = await world.outcomes.answerTo<'InvoiceTransferred'>(resend);

    expect(again.type).toBe('InvoiceTransferred');
    expect(again.data.powerOffice).toEqual(transferred.data.powerOffice);
    expect(world.outcomes.of(first.id)).toHaveLength(1);
    expect(await callsSince(since)).toEqual([]);
    expect(await invoicesNumbered(5501)).toHaveLength(1);
  });

  it('refuses a resend with changed content after the invoice was posted', async () => {
    const first = await postInvoice(world, shop.id, creditSale('5502'));
    await world.outcomes.answerTo(first);
    const changed = creditSale('5502', { kid: '55029' });
    const resend = await postInvoice(world, shop.id, changed);

    const outcome = await world.outcomes.answerTo<'InvoiceRejected'>(resend);
    expect(outcome.data.error.code).toBe('INVALID_EVENT');
    expect(outcome.data.error.message).toMatch(/already transferred \(voucher .*\) with different content/);
    expect(await invoicesNumbered(5502)).toHaveLength(1);
    expect(await statusOf('inv-5502')).toMatchObject({ state: 'transferred' });
  });

  it('does not post twice when the answer to the create is lost (PowerOffice slower than the client timeout)', async () => {
    // The customer comes from customer sync, so the create is the first call PowerOffice sees.
    await customerSynced(world.db, shop.id, 'c-1001', {
      id: fjordkafeen.id,
      number: 10001,
      subledgerAccountId: fjordkafeen.subledgerAccountId,
    });
    await world.emulator.admin.setFaults({ latencyMs: 2500, clientKey: shop.clientKey });
    const since = await requestSeq();
    const event = await postInvoice(world, shop.id, creditSale('5601'));
    await waitFor(
      async () =>
        (await callsSince(since)).some(
          (c) => c.call === 'POST /v2/Vouchers/OutgoingInvoiceJournals' && c.status === 201,
        ),
      'PowerOffice to apply the create whose answer the client gave up on',
    );
    await world.emulator.admin.clearFaults();

    const outcome = await world.outcomes.answerTo<'InvoiceTransferred'>(event);
    expect(outcome.type).toBe('InvoiceTransferred');
    expect((await inboxEntry(world.db, event.id))!.attempts).toBeGreaterThan(1);
    expect(await invoicesNumbered(5601)).toEqual([expect.objectContaining({ Id: outcome.data.powerOffice.voucherId })]);
  });
});
