import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { IntegrationError, PermanentError, TransientError } from '@lib/contracts';
import { EmulatorFixture, startEmulatorFixture } from '../../test-support/emulator';
import { InMemoryApiBudget } from '../budget/in-memory-api-budget';
import { PowerOfficeClientFactory } from '../client';
import { InMemoryCallRecorder } from '../recording/in-memory-call-recorder';
import {
  PowerOfficeNotAuthorisedError,
  PowerOfficeRejectedError,
  PowerOfficeUnavailableError,
} from './power-office-errors';

async function failure(p: Promise<unknown>): Promise<IntegrationError> {
  try {
    await p;
  } catch (err) {
    return err as IntegrationError;
  }
  throw new Error('expected the call to fail');
}

/** Every error class, provoked at the emulator the way PowerOffice would. */
describe('PowerOffice errors against the emulator', () => {
  let fx: EmulatorFixture;
  beforeAll(async () => {
    fx = await startEmulatorFixture({ timeoutMs: 300 });
  });
  afterEach(async () => {
    await fx.emulator.admin.clearFaults();
  });
  afterAll(async () => {
    await fx.close();
  });

  function expectNoSecret(err: Error, clientKey: string) {
    const everything = `${err.message} ${JSON.stringify(err)} ${JSON.stringify(fx.recorder.calls)}`;
    expect(everything).not.toContain(clientKey);
    expect(everything).not.toContain(fx.config.applicationKey);
    expect(everything).not.toContain(fx.config.subscriptionKey);
    expect(everything).not.toMatch(/Bearer |Basic /);
  }

  describe('rejected (POWEROFFICE_REJECTED and the specific codes)', () => {
    it('400 validation: PowerOffice’s title and detail verbatim, tenant and subject in the message', async () => {
      const { api, tenantId, clientKey } = await fx.tenant();
      const err = await failure(api.customers.create({ externalImportReference: 'no-name' }));
      expect(err).toBeInstanceOf(PowerOfficeRejectedError);
      expect(err.code).toBe('POWEROFFICE_REJECTED');
      expect(err.retryable).toBe(false);
      expect(err.powerOffice).toEqual({
        status: 400,
        title: 'Customer validation error(s)',
        detail: 'Name is required for a company customer (or set IsPerson = true with FirstName and LastName).',
      });
      expect(err.message).toContain(tenantId);
      expect(err.message).toContain('new customer no-name');
      expect(err.message).toContain(err.powerOffice!.detail);
      expectNoSecret(err, clientKey);
      expect(fx.recorder.calls.at(-1)).toMatchObject({ status: 400, errorTitle: 'Customer validation error(s)' });
    });

    it('404 not found', async () => {
      const { api } = await fx.tenant();
      const err = (await failure(api.customers.get(424242))) as PowerOfficeRejectedError;
      expect(err.powerOffice).toEqual({
        status: 404,
        title: 'Object(s) not found',
        detail: 'Customer with id = 424242 not found.',
      });
      expect(err.isNotFound).toBe(true);
    });

    it('409 conflict', async () => {
      const { api, clientKey } = await fx.tenant();
      await fx.emulator.admin.setFaults({ errorRate: 1, errorStatus: 409, clientKey });
      const err = await failure(api.products.get(1));
      expect(err).toBeInstanceOf(PowerOfficeRejectedError);
      expect(err.powerOffice?.status).toBe(409);
    });

    it('a posting on or before the lock date is PERIOD_LOCKED', async () => {
      const { api } = await fx.tenant({ lockDate: '2025-01-31' });
      const [cash, sales] = await api.generalLedgerAccounts.listByAccountNos([1900, 3000]);
      const vat = new Map((await api.vatCodes.listAll()).map((v) => [v.code, v.id]));
      const err = await failure(
        api.cashJournals.create({
          voucherDate: '2025-01-15',
          currencyCode: 'NOK',
          voucherLines: [
            { accountId: cash.id, vatId: vat.get('0')!, postingDate: '2025-01-15', currencyAmount: 10000 },
            { accountId: sales.id, vatId: vat.get('3')!, postingDate: '2025-01-15', currencyAmount: -10000 },
          ],
        }),
      );
      expect(err).toBeInstanceOf(PermanentError);
      expect(err.code).toBe('PERIOD_LOCKED');
      expect(err.powerOffice?.detail).toContain('lock date 2025-01-31');
      expect(err.message).toMatch(/lock date/);
    });

    it('a customer number outside every series is NUMBER_OUT_OF_SERIES', async () => {
      const { api } = await fx.tenant();
      const err = await failure(api.customers.create({ name: 'Utenfor AS', number: 500 }));
      expect(err.code).toBe('NUMBER_OUT_OF_SERIES');
      expect(err.powerOffice?.detail).toContain('not within a customer number series');
    });
  });

  describe('not authorised (TENANT_NOT_AUTHORISED)', () => {
    it('a client key PowerOffice does not know (token 400 invalid_client)', async () => {
      const unknownKey = '9b0c6e39-1111-4222-8333-444455556666';
      const api = fx.factory.forTenant({ tenantId: 'tenant-unknown', clientKey: unknownKey, lane: 'customer' });
      const err = await failure(api.vatCodes.listAll());
      expect(err).toBeInstanceOf(PowerOfficeNotAuthorisedError);
      expect(err.code).toBe('TENANT_NOT_AUTHORISED');
      expect(err.powerOffice).toMatchObject({ status: 400, title: 'invalid_client' });
      expect(err.message).toContain('tenant-unknown');
      expect(err.message).toMatch(/client key/);
      expectNoSecret(err, unknownKey);
    });

    it('403 for a missing role names the privilege', async () => {
      const { api } = await fx.tenant({ privileges: ['Customer', 'CommonServices'] });
      expect(await api.customers.listAll()).toEqual([]);
      const err = await failure(api.customers.create({ name: 'Uten rettighet AS' }));
      expect(err.code).toBe('TENANT_NOT_AUTHORISED');
      expect(err.powerOffice?.status).toBe(403);
      expect(err.message).toContain('"Customer_Full"');
      expect(err.details).toMatchObject({ missingPrivilege: 'Customer_Full' });
    });

    it('400 "Missing privilege" to send invoices', async () => {
      const { api } = await fx.tenant({ allowSendInvoice: false });
      const customer = await api.customers.create({ name: 'Send AS', emailAddress: 's@example.no' });
      const product = await api.products.create({ code: 'X', name: 'X', unitPrice: 10000 });
      const order = await api.salesOrders.complete({
        customerId: customer.id,
        salesOrderLines: [{ productId: product.id, quantity: 1 }],
      });
      const err = await failure(api.salesOrders.createAndSendInvoice(order.id));
      expect(err.code).toBe('TENANT_NOT_AUTHORISED');
      expect(err.powerOffice).toEqual({
        status: 400,
        title: 'Missing privilege',
        detail: 'The integration does not have the required privileges to send invoices.',
      });
    });

    it('the integration’s own subscription key refused', async () => {
      const { clientKey } = await fx.tenant();
      const factory = new PowerOfficeClientFactory(
        { ...fx.config, subscriptionKey: 'not-the-key' },
        new InMemoryApiBudget({ rateLimit: 0 }),
        new InMemoryCallRecorder(),
      );
      const err = await failure(factory.forTenant({ tenantId: 't', clientKey, lane: 'invoice' }).lockDate.get());
      expect(err.code).toBe('TENANT_NOT_AUTHORISED');
      expect(err.message).toContain('POWEROFFICE_SUBSCRIPTION_KEY');
      expect(err.message).not.toContain('not-the-key');
    });
  });

  describe('transient (retryable)', () => {
    it('5xx', async () => {
      const { api, clientKey } = await fx.tenant();
      await fx.emulator.admin.setFaults({ errorRate: 1, errorStatus: 503, clientKey });
      const err = (await failure(api.lockDate.get())) as PowerOfficeUnavailableError;
      expect(err).toBeInstanceOf(TransientError);
      expect(err.retryable).toBe(true);
      expect(err.status).toBe(503);
      expect(err.powerOffice).toMatchObject({ status: 503, title: 'Service Unavailable' });
    });

    it('an outage', async () => {
      const { api } = await fx.tenant();
      await api.lockDate.get(); // token first
      await fx.emulator.admin.setFaults({ outageMs: 60_000 });
      const err = await failure(api.lockDate.get());
      expect(err).toBeInstanceOf(PowerOfficeUnavailableError);
      expect(err.powerOffice?.status).toBe(503);
    });

    it('a timeout (AbortSignal.timeout, configurable)', async () => {
      const { api, clientKey } = await fx.tenant();
      await api.lockDate.get();
      await fx.emulator.admin.setFaults({ latencyMs: 1500, clientKey });
      const err = (await failure(api.lockDate.get())) as PowerOfficeUnavailableError;
      expect(err).toBeInstanceOf(TransientError);
      expect(err.status).toBeUndefined();
      expect(err.message).toContain('No answer from PowerOffice within 0.3 s');
      expect(fx.recorder.calls.at(-1)).toMatchObject({ status: null, errorTitle: 'Timeout' });
    });

    it('a network error', async () => {
      const { clientKey } = await fx.tenant();
      const closedPort = await new Promise<number>((resolve) => {
        const probe = createServer().listen(0, '127.0.0.1', () => {
          const { port } = probe.address() as AddressInfo;
          probe.close(() => resolve(port));
        });
      });
      const factory = new PowerOfficeClientFactory(
        { ...fx.config, baseUrl: `http://127.0.0.1:${closedPort}` },
        new InMemoryApiBudget({ rateLimit: 0 }),
        new InMemoryCallRecorder(),
      );
      const err = await failure(factory.forTenant({ tenantId: 't', clientKey, lane: 'customer' }).lockDate.get());
      expect(err).toBeInstanceOf(TransientError);
      expect(err.message).toMatch(/Could not reach PowerOffice .*ECONNREFUSED/);
      expect(err.message).not.toContain('ExternalImportReference'); // a token request changes nothing
    });

    it('429: waited out once when Retry-After ≤ 2 s; a second 429 surfaces with retryAfterMs', async () => {
      const { api, clientKey } = await fx.tenant();
      await api.lockDate.get();
      await fx.emulator.admin.setFaults({ rateLimit: 1, clientKey });
      const results = await Promise.allSettled([api.lockDate.get(), api.lockDate.get(), api.lockDate.get()]);
      const ok = results.filter((r) => r.status === 'fulfilled');
      const failed = results
        .filter((r): r is PromiseRejectedResult => r.status === 'rejected')
        .map((r) => r.reason as PowerOfficeUnavailableError);
      // One admitted at once, one admitted after waiting out its 429, one throttled twice.
      expect(ok).toHaveLength(2);
      expect(failed).toHaveLength(1);
      expect(failed[0]).toBeInstanceOf(TransientError);
      expect(failed[0].status).toBe(429);
      expect(failed[0].retryAfterMs).toBe(1000);
      expect(failed[0].powerOffice).toEqual({ status: 429, detail: 'Rate limit is exceeded. Try again in 1 seconds.' });
      const throttled = fx.recorder.calls.filter((c) => c.status === 429);
      expect(throttled.map((c) => c.attempt).sort()).toEqual([1, 1, 2]);
    });
  });
});
