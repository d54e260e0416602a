import { DataSource } from 'typeorm';
import type { PowerOfficeClient } from '@lib/poweroffice';
import { createDataSource } from '@lib/platform';
import { testEnv, uniqueId } from '../../../test/support/env';
import { CustomerLookup, CustomerLookupRequest } from '../src/customer-lookup';
import { customerSynced, ensureCustomerSyncTable } from './customer-sync-table';

/** The invoice flow's read of customer sync's table, against the run's PostgreSQL. */
describe('CustomerLookup on customer_sync.customers', () => {
  let db: DataSource;
  const tenantId = uniqueId('shop');
  /** A PowerOffice client that fails the test when touched. */
  const untouchable = new Proxy(
    {},
    {
      get: (_, name) => {
        throw new Error(`PowerOffice must not be called (${String(name)})`);
      },
    },
  ) as PowerOfficeClient;
  const request = (customerId: string): CustomerLookupRequest => ({
    tenantId,
    invoiceNumber: '9001',
    customer: { customerId },
    eventTime: new Date().toISOString(),
    attempt: 1,
    maxAttempts: 6,
    waitMs: 8000,
    powerOffice: untouchable,
  });

  beforeAll(async () => {
    // logging off: the missing-table cases make PostgreSQL errors on purpose.
    db = createDataSource(testEnv().databaseUrl, { logging: false, extra: { max: 2 } });
    await db.initialize();
    await ensureCustomerSyncTable(db);
  });
  afterAll(async () => db?.destroy());

  it.each([
    ['the schema does not exist', 'invoice_test_no_such_schema.customers'],
    ['the table does not exist', 'invoice.no_such_customers'],
  ])('treats customer sync as "no mapping" when %s', async (_, table) => {
    const lookup = new CustomerLookup(db, table);
    expect(await lookup.syncRow(tenantId, 'c-1')).toBeNull();
    await expect(lookup.find(request('c-1'))).rejects.toMatchObject({
      code: 'CUSTOMER_NOT_FOUND',
      retryable: false,
      message: expect.stringContaining(
        'customer sync has never created it, and the invoice carries no customer number',
      ),
    });
  });

  it('does not hide other database errors', async () => {
    // invoice.invoices exists but has none of the columns: a real mistake, not a missing deployment.
    await expect(new CustomerLookup(db, 'invoice.invoices').syncRow(tenantId, 'c-1')).rejects.toMatchObject({
      code: '42703',
    });
  });

  it("reads the customer sync's ids, so a synced customer costs no PowerOffice call", async () => {
    await customerSynced(db, tenantId, 'c-77', { id: 7340077, number: 10077, subledgerAccountId: 90010077 });
    const lookup = new CustomerLookup(db);
    expect(await lookup.syncRow(tenantId, 'c-77')).toEqual({
      state: 'synced',
      poCustomerId: 7340077,
      poCustomerNumber: 10077,
      poSubledgerAccountId: 90010077,
    });
    expect(await lookup.find(request('c-77'))).toEqual({ id: 7340077, number: 10077, subledgerAccountId: 90010077 });
  });
});
