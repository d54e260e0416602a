import { Envelope, InvoicePosted, invoicePostedExample, PermanentError, TransientError } from '@lib/contracts';
import type { HandlerContext, HandlerResult, ProcessingMode } from '@lib/pipeline';
import type { JsonLogger } from '@lib/platform';
import type { PowerOfficeClient } from '@lib/poweroffice';
import type { InvoiceMode, Tenant } from '@lib/tenancy';
import { NS4102_PRESET } from '@lib/tenancy';
import type { DataSource, EntityManager } from 'typeorm';
import type { CustomerLookup, InvoiceCustomer } from './customer-lookup';
import { invoiceContentHash } from './domain/invoice-reference';
import type { PriorTransfer } from './domain/transfer-decision';
import type { InvoiceAccounts } from './invoice-accounts';
import type { InvoiceKey, InvoiceRepository, TransferredInvoice } from './invoice.repository';
import { InvoiceTransfer } from './invoice-transfer';
import { SalesOrderTransfer } from './sales-order-transfer';
import { VoucherTransfer } from './voucher-transfer';

/*
 * The use case with its edges replaced by in-memory stand-ins (no I/O): which calls each processing
 * mode makes, in which order, and what it records. The real edges are covered by the *.int.spec.ts.
 */

const CUSTOMER: InvoiceCustomer = { id: 7340012, number: 10001, subledgerAccountId: 90010001 };
const VOUCHER_ID = 'd5b0b5c2-0000-4000-8000-000000000001';
const ORDER_ID = 'b7c9e4f0-1111-4222-8333-444455556666';

class World {
  readonly calls: string[] = [];
  prior: PriorTransfer | null = null;
  alreadyInPowerOffice = false;
  transferred?: TransferredInvoice;

  readonly invoices = {
    prior: async () => this.prior,
    markAttempting: async () => void this.calls.push('db:attempting'),
    recordSalesOrder: async () => void this.calls.push('db:salesOrder'),
    recordRejection: async (_: InvoiceKey, e: { code: string }) => void this.calls.push(`db:rejected:${e.code}`),
    recordRetryableError: async (_t: string, _i: string, e: { code: string }) =>
      void this.calls.push(`db:retryable:${e.code}`),
    recordTransferred: async (_tx: EntityManager, _k: InvoiceKey, t: TransferredInvoice) => {
      this.calls.push('db:transferred');
      this.transferred = t;
    },
  } as unknown as InvoiceRepository;

  readonly customers = { find: async () => (this.calls.push('customer'), CUSTOMER) } as unknown as CustomerLookup;

  readonly accounts = {
    mapping: async () => NS4102_PRESET,
    voucherTargets: async () => ({ sales: new Map([['3', { accountId: 5003000, vatId: 1003 }]]), departmentId: null }),
    departmentCode: async () => null,
  } as unknown as InvoiceAccounts;

  readonly powerOffice = {
    outgoingInvoiceJournals: { create: async () => (this.calls.push('po:POST voucher'), { id: VOUCHER_ID }) },
    outgoingInvoices: {
      listAll: async () => {
        this.calls.push('po:GET invoices');
        return this.alreadyInPowerOffice
          ? [{ id: VOUCHER_ID, invoiceNo: 5001, totalAmount: 125000, isReversed: false, voucherNo: 1 }]
          : [];
      },
    },
    salesOrders: {
      complete: async () => {
        this.calls.push('po:POST sales order');
        return {
          id: ORDER_ID,
          salesOrderNo: 1,
          netAmount: 100000,
          totalAmount: 125000,
          salesOrderLines: [{ id: 'l', vatCode: '3', netAmount: 100000 }],
        };
      },
      createAndSendInvoice: async () => void this.calls.push('po:send'),
      sentState: async () => undefined,
    },
  } as unknown as PowerOfficeClient;

  use(send = false): InvoiceTransfer {
    return new InvoiceTransfer(
      this.invoices,
      this.customers,
      this.accounts,
      new VoucherTransfer(this.invoices, this.accounts),
      new SalesOrderTransfer(this.invoices, this.accounts, { send }),
      { customerWaitMs: 8000, maxAttempts: 6 },
    );
  }

  ctx(
    mode: ProcessingMode,
    invoiceMode: InvoiceMode = 'voucher',
    invoice: InvoicePosted = invoicePostedExample,
  ): HandlerContext<InvoicePosted> {
    const log = {
      info: () => undefined,
      warn: () => undefined,
      debug: () => undefined,
      error: () => undefined,
    } as unknown as JsonLogger;
    const envelope: Envelope<InvoicePosted> = {
      id: '0b6f3c1e-2222-4333-8444-555566667777',
      type: 'InvoicePosted',
      source: 'open-one',
      time: new Date().toISOString(),
      tenantId: 'shop-1',
      key: 'shop-1:inv-5001',
      data: invoice,
    };
    return {
      envelope,
      tenant: { id: 'shop-1', invoiceMode } as Tenant,
      flow: 'invoice',
      topic: 'pos.invoice-posted.v1',
      partition: 0,
      offset: '0',
      attempt: 1,
      redrive: 0,
      mode,
      powerOffice: this.powerOffice,
      heartbeat: async () => undefined,
      signal: new AbortController().signal,
      log,
      db: {} as DataSource,
    };
  }
}

async function persisted(result: HandlerResult): Promise<void> {
  await result.persist?.({} as EntityManager);
}

describe('InvoiceTransfer', () => {
  it('live: marks the invoice attempting before the create, and records the voucher with the outcome', async () => {
    const w = new World();
    const result = await w.use().handle(w.ctx('live'));
    await persisted(result);

    expect(w.calls).toEqual(['customer', 'db:attempting', 'po:POST voucher', 'db:transferred']);
    expect(result.outcomes).toEqual([
      {
        type: 'InvoiceTransferred',
        data: {
          invoiceId: 'inv-5001',
          invoiceNumber: '5001',
          powerOffice: { customerNumber: 10001, voucherId: VOUCHER_ID },
        },
      },
    ]);
    expect(result.changed).toBe(true);
    expect(w.transferred).toEqual({
      poVoucherId: VOUCHER_ID,
      poSalesOrderId: null,
      poInvoiceNo: null,
      customerNumber: 10001,
    });
  });

  it('dry-run: reads, but neither writes to PowerOffice nor records anything, and shows what it would send', async () => {
    const w = new World();
    const result = await w.use().handle(w.ctx('dry-run'));

    expect(w.calls).toEqual(['customer', 'po:GET invoices']);
    expect(result.changed).toBe(true);
    expect(result.change).toMatchObject({ invoiceNo: '5001', currencyAmount: 125000, customerAccountId: 90010001 });
  });

  it('dry-run of an invoice PowerOffice already has: unchanged', async () => {
    const w = new World();
    w.alreadyInPowerOffice = true;
    const result = await w.use().handle(w.ctx('dry-run'));

    expect(w.calls).toEqual(['customer', 'po:GET invoices']);
    expect(result.changed).toBe(false);
  });

  it('replay without memory of the invoice: compares with PowerOffice and changes nothing when it is there', async () => {
    const w = new World();
    w.alreadyInPowerOffice = true;
    const result = await w.use().handle(w.ctx('replay'));
    await persisted(result);

    expect(w.calls).toEqual(['customer', 'po:GET invoices', 'db:transferred']);
    expect(result.changed).toBe(false);
    expect(result.outcomes[0].data).toMatchObject({ powerOffice: { voucherId: VOUCHER_ID } });
  });

  it('replay of a transferred invoice: answered from memory without a call', async () => {
    const w = new World();
    const contentHash = invoiceContentHash(invoicePostedExample);
    w.prior = {
      invoiceId: 'inv-5001',
      state: 'transferred',
      contentHash,
      poVoucherId: VOUCHER_ID,
      poSalesOrderId: null,
      poInvoiceNo: null,
      customerNumber: 10001,
      errorCode: null,
    };
    const result = await w.use().handle(w.ctx('replay'));

    expect(w.calls).toEqual([]);
    expect(result.changed).toBe(false);
    expect(result.outcomes[0].data).toMatchObject({ powerOffice: { voucherId: VOUCHER_ID, customerNumber: 10001 } });
  });

  it('sales-order mode without sending: the order is the answer, nothing is sent', async () => {
    const w = new World();
    const result = await w.use(false).handle(w.ctx('live', 'salesOrder'));

    expect(w.calls).toEqual(['customer', 'db:attempting', 'po:POST sales order', 'db:salesOrder']);
    expect(result.outcomes[0].data).toMatchObject({ powerOffice: { salesOrderId: ORDER_ID, customerNumber: 10001 } });
  });

  it('records a permanent failure as rejected and a transient one as the reason it is still attempting', async () => {
    const permanent = new World();
    permanent.customers.find = async () => {
      throw new PermanentError('CUSTOMER_NOT_FOUND', 'no such customer');
    };
    await expect(permanent.use().handle(permanent.ctx('live'))).rejects.toMatchObject({ code: 'CUSTOMER_NOT_FOUND' });
    expect(permanent.calls).toEqual(['db:rejected:CUSTOMER_NOT_FOUND']);

    const transient = new World();
    transient.powerOffice.outgoingInvoiceJournals.create = async () => {
      throw new TransientError('PowerOffice 503');
    };
    await expect(transient.use().handle(transient.ctx('live'))).rejects.toMatchObject({ retryable: true });
    expect(transient.calls).toEqual(['customer', 'db:attempting', 'db:retryable:RETRIES_EXHAUSTED']);
  });

  it('dry-run records no failure either', async () => {
    const w = new World();
    w.customers.find = async () => {
      throw new PermanentError('CUSTOMER_NOT_FOUND', 'no such customer');
    };
    await expect(w.use().handle(w.ctx('dry-run'))).rejects.toMatchObject({ code: 'CUSTOMER_NOT_FOUND' });
    expect(w.calls).toEqual([]);
  });
});
