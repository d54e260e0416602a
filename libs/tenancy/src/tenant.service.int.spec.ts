import { randomBytes, randomUUID } from 'node:crypto';
import { PermanentError } from '@lib/contracts';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { CreateTenancySchema1795829205691 } from '../../../db/migrations/1795829205691-CreateTenancySchema';
import { uniqueId } from '../../../test/support/env';
import { AccountMapping, NS4102_PRESET } from './account-mapping';
import { KeyCipher, keyIdOf, keyIdOfCiphertext } from './crypto/key-cipher';
import { MappingInvalidError, TenantInputInvalidError } from './errors';
import { FakePowerOfficeFactory } from './testing/power-office-fixtures';
import { TenantService } from './tenant.service';

/**
 * TenantService against a real PostgreSQL: the run's database from the jest global setup
 * (DATABASE_URL, all migrations applied), and for the key-rotation test a database of its own,
 * because re-encryption rewrites every tenant of a database. PowerOffice is the fixture factory.
 */

const ADMIN_URL = process.env.OOP_TEST_ADMIN_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** A new database with only the tenancy schema; dropped by the returned function. */
async function tenancyOnlyDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `tenancy_test_${randomBytes(6).toString('hex')}`;
  const admin = new Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const ds = new DataSource({ type: 'postgres', url: url.toString(), migrations: [CreateTenancySchema1795829205691] });
  await ds.initialize();
  await ds.runMigrations();
  await ds.destroy();
  return {
    url: url.toString(),
    drop: async () => {
      const c = new Client({ connectionString: ADMIN_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await c.end();
    },
  };
}

const newClientKey = () => randomUUID();
const keyRejected = (message: string) => new PermanentError('TENANT_NOT_AUTHORISED', message);

describe('TenantService (PostgreSQL)', () => {
  let dataSource: DataSource;
  let ownDatabase: { url: string; drop: () => Promise<void> } | undefined;
  let cipher: KeyCipher;
  let powerOffice: FakePowerOfficeFactory;
  let clock: number;
  let service: TenantService<ReturnType<FakePowerOfficeFactory['forTenant']>>;

  beforeAll(async () => {
    // Normally the run's database (global setup); run outside it, the file brings its own.
    if (!process.env.DATABASE_URL) ownDatabase = await tenancyOnlyDatabase();
    dataSource = new DataSource({
      type: 'postgres',
      url: process.env.DATABASE_URL ?? ownDatabase!.url,
      extra: { max: 4 },
    });
    await dataSource.initialize();
    cipher = new KeyCipher(randomBytes(32));
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await ownDatabase?.drop();
  });

  beforeEach(() => {
    powerOffice = new FakePowerOfficeFactory(keyRejected);
    clock = 1_000_000;
    service = new TenantService(dataSource, cipher, powerOffice, { cacheTtlMs: 5000, now: () => clock });
  });

  async function onboardShop(overrides: Partial<Parameters<TenantService['onboard']>[0]> = {}) {
    const clientKey = overrides.clientKey ?? newClientKey();
    if (!powerOffice.companies.has(clientKey)) powerOffice.addCompany(clientKey);
    const id = overrides.id ?? uniqueId('shop');
    const tenant = await service.onboard({
      id,
      name: 'Kaffebrenneriet Grünerløkka',
      organizationNumber: '999 888 777',
      clientKey,
      actor: 'ops:kari',
      ...overrides,
    });
    return { tenant, clientKey, id };
  }

  async function rawRows(sql: string, params: unknown[]): Promise<string> {
    const rows: { j: string }[] = await dataSource.query(sql, params);
    return rows.map((r) => r.j).join('\n');
  }

  describe('onboard', () => {
    it('checks the key in the customer lane, stores the tenant and its reference data, and never returns the key', async () => {
      const { tenant, clientKey, id } = await onboardShop();

      expect(tenant).toMatchObject({
        id,
        name: 'Kaffebrenneriet Grünerløkka',
        organizationNumber: '999888777',
        enabled: true,
        authorised: true,
        notAuthorisedReason: null,
        invoiceMode: 'voucher',
        settlementSchedule: { mode: 'afterEndOfDay' },
        customerNumberSeries: { id: '09ab6bcf-4219-4149-8283-6b6a7342bfd9', name: 'Kunder', from: 10000, to: 19999 },
      });
      expect(tenant.privileges).toContain('CashVoucher_Full');
      expect(JSON.stringify(tenant)).not.toContain(clientKey);
      expect(powerOffice.calls.map((c) => `${c.lane}:${c.resource}`)).toEqual([
        'customer:clientIntegrationInformation',
        'customer:generalLedgerAccounts',
        'customer:vatCodes',
        'customer:subLedgerNumberSeries',
        'customer:departments',
        'customer:lockDate',
      ]);

      const ref = await service.referenceData(id);
      expect(ref.accounts['3000']).toEqual(
        expect.objectContaining({
          id: 103000,
          no: 3000,
          active: true,
          vatCode: '3',
          vatLocked: true,
          departmentRequired: false,
        }),
      );
      expect(ref.vatCodes['31']).toEqual(expect.objectContaining({ id: 231, rate: 0.15, side: 'sale' }));
      expect(ref.vatCodes['1'].side).toBe('purchase');
      expect(ref.departments['10']).toEqual({ id: 1610, code: '10', name: 'Butikk', active: true });
      expect(ref.numberSeries).toHaveLength(2);
      expect(ref.lockDate).toBe('2024-12-31');
      expect(Object.keys(ref.fetchedAt).sort()).toEqual([
        'accounts',
        'departments',
        'lockDate',
        'numberSeries',
        'vatCodes',
      ]);

      expect(await service.revealClientKeyForPowerOffice(id)).toBe(clientKey);
    });

    it('stores the client key only as ciphertext (nowhere in the tenancy tables in clear)', async () => {
      const { clientKey, id } = await onboardShop();

      const [row] = await dataSource.query(
        `SELECT client_key_ciphertext, client_key_fingerprint FROM tenancy.tenants WHERE id = $1`,
        [id],
      );
      expect(row.client_key_ciphertext).toMatch(/^v1:[0-9a-f]{8}:/);
      expect(keyIdOfCiphertext(row.client_key_ciphertext)).toBe(cipher.currentKeyId);
      expect(row.client_key_fingerprint).toMatch(/^[0-9a-f]{12}$/);
      const everything = [
        await rawRows(`SELECT row_to_json(t)::text AS j FROM tenancy.tenants t WHERE id = $1`, [id]),
        await rawRows(`SELECT row_to_json(a)::text AS j FROM tenancy.audit_log a WHERE tenant_id = $1`, [id]),
        await rawRows(`SELECT row_to_json(r)::text AS j FROM tenancy.reference_data r WHERE tenant_id = $1`, [id]),
      ].join('\n');
      expect(everything).toContain(id);
      expect(everything).not.toContain(clientKey);
      expect(everything.toLowerCase()).not.toContain(clientKey.replace(/-/g, '').toLowerCase());
    });

    it('names every missing PowerOffice privilege and stores nothing', async () => {
      const clientKey = newClientKey();
      powerOffice.addCompany(clientKey, {
        validPrivileges: [
          'Customer_Full',
          'Product_Full',
          'GeneralLedgerAccount_Full',
          'CommonServices',
          'SalesOrders_Full',
        ],
        invalidPrivileges: ['CashVoucher_Full'],
      });
      const id = uniqueId('shop');

      const error = await onboardShop({ id, clientKey }).catch((e: unknown) => e);

      expect(error).toBeInstanceOf(PermanentError);
      expect(error).toMatchObject({ code: 'TENANT_NOT_AUTHORISED', retryable: false });
      const message = (error as Error).message;
      expect(message).toContain('CashVoucher_Full (post daily settlements');
      expect(message).toContain("not included in the client's PowerOffice Go subscription");
      expect(message).toContain('Department or Department_Full');
      expect(message).not.toContain('Customer_Full');
      expect(message).not.toContain(clientKey);
      expect((error as PermanentError).details).toEqual({
        missingPrivileges: ['CashVoucher_Full', 'Department or Department_Full'],
        notInSubscription: ['CashVoucher_Full'],
      });
      expect(await service.get(id)).toBeNull();
      expect(await dataSource.query(`SELECT 1 FROM tenancy.reference_data WHERE tenant_id = $1`, [id])).toHaveLength(0);
    });

    it('reports a key PowerOffice refuses as TENANT_NOT_AUTHORISED without echoing it', async () => {
      const clientKey = newClientKey(); // never registered with the fake PowerOffice
      const id = uniqueId('shop');

      const error = await service
        .onboard({ id, name: 'Feil nøkkel AS', organizationNumber: '912345678', clientKey, actor: 'ops:kari' })
        .catch((e: unknown) => e);

      expect(error).toMatchObject({ code: 'TENANT_NOT_AUTHORISED' });
      expect((error as Error).message).toMatch(
        new RegExp(`did not accept the client key for tenant ${id}: invalid_client`),
      );
      expect((error as Error).message).not.toContain(clientKey);
      expect(await service.get(id)).toBeNull();
    });

    it('lists every input problem at once, and refuses a taken id', async () => {
      const error = await service
        .onboard({ id: '-bad id', name: ' ', organizationNumber: '12345678', clientKey: '', actor: '' })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TenantInputInvalidError);
      expect((error as TenantInputInvalidError).problems.map((p) => p.field)).toEqual([
        'id',
        'name',
        'organizationNumber',
        'clientKey',
        'actor',
      ]);
      expect(powerOffice.calls).toHaveLength(0);

      const { id } = await onboardShop();
      await expect(onboardShop({ id })).rejects.toThrow(/id is already taken/);
    });
  });

  describe('get', () => {
    it('answers from a cache for a few seconds, and sees its own changes at once', async () => {
      const { id } = await onboardShop();
      expect((await service.get(id))!.name).toBe('Kaffebrenneriet Grünerløkka');

      // Another process renames the shop: this instance keeps its cached answer until the TTL ends.
      await dataSource.query(`UPDATE tenancy.tenants SET name = 'Renamed elsewhere' WHERE id = $1`, [id]);
      clock += 4000;
      expect((await service.get(id))!.name).toBe('Kaffebrenneriet Grünerløkka');
      clock += 1001;
      expect((await service.get(id))!.name).toBe('Renamed elsewhere');

      // A change made through this instance invalidates at once.
      await service.get(id);
      await service.setEnabled(id, false, 'ops:kari');
      expect((await service.get(id))!.enabled).toBe(false);
    });

    it('returns null for an unknown tenant, and lists tenants without keys', async () => {
      expect(await service.get(uniqueId('nobody'))).toBeNull();
      const { id, clientKey } = await onboardShop();
      const all = await service.list();
      expect(all.map((t) => t.id)).toContain(id);
      expect(JSON.stringify(all)).not.toContain(clientKey);
      expect(all.every((t) => !('clientKeyCiphertext' in t))).toBe(true);
    });
  });

  describe('account mapping', () => {
    it('stores a valid mapping with a version, and audits who changed what', async () => {
      const { id } = await onboardShop();
      expect(await service.getMapping(id)).toBeNull();

      const first = await service.setMapping(id, NS4102_PRESET, 'accountant:per');
      expect(first).toMatchObject({ tenantId: id, version: 1, updatedBy: 'accountant:per', mapping: NS4102_PRESET });

      const changed: AccountMapping = { ...NS4102_PRESET, tips: { account: 3990, vatCode: '7' } };
      const second = await service.setMapping(id, changed, 'accountant:kari', { expectedVersion: 1 });
      expect(second.version).toBe(2);
      expect((await service.getMapping(id))!.mapping.tips).toEqual({ account: 3990, vatCode: '7' });

      const audit = (await service.auditLog(id)).filter((e) => e.action === 'mapping.set');
      expect(audit).toHaveLength(2);
      expect(audit[0]).toMatchObject({
        actor: 'accountant:kari',
        before: { version: 1, mapping: NS4102_PRESET },
        after: { version: 2, mapping: changed },
      });
      expect(audit[1]).toMatchObject({ actor: 'accountant:per', before: null, after: { version: 1 } });
      expect(audit[0].at).toBeInstanceOf(Date);
    });

    it('rejects an invalid mapping with every problem, and keeps the stored one', async () => {
      const { id } = await onboardShop();
      await service.setMapping(id, NS4102_PRESET, 'accountant:per');
      const bad: AccountMapping = {
        ...NS4102_PRESET,
        sales: { ...NS4102_PRESET.sales, '33': { account: 3060 }, '1': { account: 3001 } },
      };

      const error = await service.setMapping(id, bad, 'accountant:per').catch((e: unknown) => e);

      expect(error).toBeInstanceOf(MappingInvalidError);
      expect((error as MappingInvalidError).code).toBe('MAPPING_MISSING');
      expect((error as MappingInvalidError).problems.map((p) => `${p.key}:${p.rule}`)).toEqual([
        'sales.1:unknownAccount',
        'sales.1:purchaseVatOnSales',
        'sales.33:inactiveAccount',
      ]);
      expect((error as Error).message).toContain('sales.33 → 3060: account 3060 is inactive in PowerOffice');
      expect((await service.getMapping(id))!.version).toBe(1);
      expect((await service.auditLog(id)).filter((e) => e.action === 'mapping.set')).toHaveLength(1);
    });

    it('refuses a stale edit (expectedVersion)', async () => {
      const { id } = await onboardShop();
      await service.setMapping(id, NS4102_PRESET, 'accountant:per');
      await expect(service.setMapping(id, NS4102_PRESET, 'accountant:kari', { expectedVersion: 0 })).rejects.toThrow(
        /stored mapping is version 1 \(changed by accountant:per\)/,
      );
    });

    it('checkMapping reports problems without saving, and notices PowerOffice changes after a refresh', async () => {
      const { id, clientKey } = await onboardShop();
      await service.setMapping(id, NS4102_PRESET, 'accountant:per');
      expect(await service.checkMapping(id)).toEqual([]);

      const dryRun = await service.checkMapping(id, { ...NS4102_PRESET, rounding: { account: 9999 } });
      expect(dryRun).toEqual([expect.objectContaining({ key: 'rounding', account: 9999, rule: 'unknownAccount' })]);
      expect((await service.getMapping(id))!.mapping.rounding).toEqual({ account: 7740 });

      // The accountant deactivates 3050 in PowerOffice; the next refresh makes the stored mapping fail its check.
      powerOffice.companies.get(clientKey)!.accounts.find((a) => a.AccountNo === 3050)!.IsActive = false;
      await service.refreshReferenceData(id, { kinds: ['accounts'], lane: 'settlement' });
      expect(powerOffice.calls.at(-1)).toEqual({ tenantId: id, lane: 'settlement', resource: 'generalLedgerAccounts' });
      expect(await service.checkMapping(id)).toEqual([
        { key: 'sales.33', account: 3050, problem: 'account 3050 is inactive in PowerOffice', rule: 'inactiveAccount' },
      ]);
    });

    it('says so when a tenant has no mapping to check', async () => {
      const { id } = await onboardShop();
      await expect(service.checkMapping(id)).rejects.toMatchObject({ code: 'MAPPING_MISSING' });
    });
  });

  describe('schedule and invoice mode', () => {
    it('sets the settlement schedule, validates it, and audits the change', async () => {
      const { id } = await onboardShop();

      const tenant = await service.setSchedule(id, { mode: 'at', time: '03:30' }, 'ops:kari');
      expect(tenant.settlementSchedule).toEqual({ mode: 'at', time: '03:30' });
      await expect(service.setSchedule(id, { mode: 'at', time: '24:00' }, 'ops:kari')).rejects.toThrow(
        /schedule.time must be a local time "HH:MM"/,
      );
      await expect(service.setSchedule(id, { mode: 'nightly' } as never, 'ops:kari')).rejects.toBeInstanceOf(
        TenantInputInvalidError,
      );
      await service.setSchedule(id, { mode: 'at', time: '03:30' }, 'ops:kari'); // unchanged: no audit entry

      const audit = (await service.auditLog(id)).filter((e) => e.action === 'schedule.set');
      expect(audit).toEqual([
        expect.objectContaining({
          actor: 'ops:kari',
          before: { settlementSchedule: { mode: 'afterEndOfDay' } },
          after: { settlementSchedule: { mode: 'at', time: '03:30' } },
        }),
      ]);
      const [row] = await dataSource.query(`SELECT settlement_schedule FROM tenancy.tenants WHERE id = $1`, [id]);
      expect(row.settlement_schedule).toEqual({ mode: 'at', time: '03:30' });
    });

    it('switches the invoice mode when PowerOffice granted the privilege, and refuses otherwise', async () => {
      const { id } = await onboardShop();
      expect((await service.setInvoiceMode(id, 'salesOrder', 'ops:kari')).invoiceMode).toBe('salesOrder');
      expect((await service.auditLog(id))[0]).toMatchObject({
        action: 'invoiceMode.set',
        before: { invoiceMode: 'voucher' },
        after: { invoiceMode: 'salesOrder' },
      });

      const clientKey = newClientKey();
      powerOffice.addCompany(clientKey, {
        validPrivileges: [
          'Customer_Full',
          'Product_Full',
          'CashVoucher_Full',
          'SalesOrders_Full',
          'GeneralLedgerAccount',
          'CommonServices',
          'Department',
        ],
      });
      const { tenant } = await onboardShop({ clientKey });
      expect(tenant.invoiceMode).toBe('salesOrder');
      await expect(service.setInvoiceMode(tenant.id, 'voucher', 'ops:kari')).rejects.toThrow(
        /has not granted the integration OutgoingInvoiceVoucher_Full/,
      );
    });

    it('chooses a customer number series from the reference data', async () => {
      const { id } = await onboardShop();
      await expect(
        service.setCustomerNumberSeries(id, '19ab6bcf-4219-4149-8283-6b6a7342bfd9', 'ops:kari'),
      ).rejects.toThrow(
        /not a customer number series in PowerOffice \(known: 09ab6bcf-4219-4149-8283-6b6a7342bfd9 "Kunder" 10000–19999\)/,
      );
    });
  });

  describe('authorisation and PowerOffice clients', () => {
    it("hands out the tenant's own client, and refuses while the tenant is not authorised", async () => {
      const { id, clientKey } = await onboardShop();

      const client = await service.clientFor(id, 'invoice');
      expect(client.args).toEqual({ tenantId: id, clientKey, lane: 'invoice' });

      await service.markNotAuthorised(id, 'PowerOffice answered 401 on the token request (invalid_client)');
      await expect(service.clientFor(id, 'settlement')).rejects.toMatchObject({
        code: 'TENANT_NOT_AUTHORISED',
        message: expect.stringContaining('invalid_client'),
      });
      await service.markAuthorised(id, 'ops:kari');
      await expect(service.clientFor(id, 'settlement')).resolves.toBeDefined();
      await expect(service.clientFor(uniqueId('nobody'), 'invoice')).rejects.toMatchObject({ code: 'TENANT_UNKNOWN' });

      const actions = (await service.auditLog(id)).map((e) => `${e.action}:${e.actor}`);
      expect(actions).toEqual([
        'tenant.authorised:ops:kari',
        'tenant.notAuthorised:system',
        'tenant.onboarded:ops:kari',
      ]);
    });

    it('verifyAuthorisation records a privilege withdrawn in PowerOffice, and its return', async () => {
      const { id, clientKey } = await onboardShop();
      const company = powerOffice.companies.get(clientKey)!;
      company.validPrivileges = company.validPrivileges.filter((p) => p !== 'CashVoucher_Full');

      const revoked = await service.verifyAuthorisation(id, 'ops:kari');
      expect(revoked.authorised).toBe(false);
      expect(revoked.notAuthorisedReason).toContain('CashVoucher_Full');

      company.validPrivileges.push('CashVoucher_Full');
      const restored = await service.verifyAuthorisation(id, 'ops:kari');
      expect(restored).toMatchObject({ authorised: true, notAuthorisedReason: null });
    });

    it('replaces the client key after checking it, auditing fingerprints only', async () => {
      const { id, clientKey: oldKey } = await onboardShop();
      const newKey = newClientKey();
      powerOffice.addCompany(newKey);

      const tenant = await service.replaceClientKey(id, newKey, 'ops:kari');
      expect(await service.revealClientKeyForPowerOffice(id)).toBe(newKey);
      const [entry] = await service.auditLog(id, 1);
      expect(entry.action).toBe('clientKey.replaced');
      expect((entry.after as { clientKeyFingerprint: string }).clientKeyFingerprint).toBe(tenant.clientKeyFingerprint);
      expect(JSON.stringify(entry)).not.toContain(newKey);
      expect(JSON.stringify(entry)).not.toContain(oldKey);
    });

    it('resolves account numbers and VAT codes to PowerOffice ids', async () => {
      const { id } = await onboardShop();
      expect(await service.resolveAccount(id, 1920).catch((e: Error) => e.message)).toMatch(
        /Account 1920 is not in the PowerOffice chart of accounts/,
      );
      expect(await service.resolveAccount(id, 1910)).toMatchObject({ id: 101910, no: 1910 });
      expect(await service.resolveVat(id, '33')).toMatchObject({ id: 233, rate: 0.12, side: 'sale' });
      await expect(service.resolveVat(id, '99')).rejects.toMatchObject({ code: 'MAPPING_MISSING' });
      expect(await service.resolveVat(id, '3', '2025-03-14')).toMatchObject({ id: 203, rate: 0.25 });
      await expect(service.resolveVat(id, '3', '2015-12-31')).rejects.toThrow(
        /VAT code 3 of tenant .* is not valid on 2015-12-31/,
      );
      await expect(service.referenceData(uniqueId('nobody'))).rejects.toMatchObject({ code: 'TENANT_UNKNOWN' });
    });
  });

  describe('key rotation (own database)', () => {
    let rotationDb: { url: string; drop: () => Promise<void> };
    let rotationDs: DataSource;

    beforeAll(async () => {
      rotationDb = await tenancyOnlyDatabase();
      rotationDs = new DataSource({ type: 'postgres', url: rotationDb.url, extra: { max: 2 } });
      await rotationDs.initialize();
    });
    afterAll(async () => {
      await rotationDs?.destroy();
      await rotationDb?.drop();
    });

    it('reencryptAll rewrites every stored key under the current key; the old key can then go', async () => {
      const oldKey = randomBytes(32);
      const newKey = randomBytes(32);
      const before = new TenantService(rotationDs, new KeyCipher(oldKey), powerOffice);
      const keys = new Map<string, string>();
      for (const id of ['shop-a', 'shop-b', 'shop-c']) {
        const clientKey = newClientKey();
        powerOffice.addCompany(clientKey);
        await before.onboard({ id, name: id, organizationNumber: '999888777', clientKey, actor: 'ops:kari' });
        keys.set(id, clientKey);
      }

      const during = new TenantService(rotationDs, new KeyCipher(newKey, [oldKey]), powerOffice);
      expect(await during.revealClientKeyForPowerOffice('shop-b')).toBe(keys.get('shop-b'));
      const report = await during.reencryptAllClientKeys('ops:rotation');
      expect(report).toEqual({ total: 3, reencrypted: 3, alreadyCurrent: 0, changedMeanwhile: 0, failed: [] });
      expect(await during.reencryptAllClientKeys()).toMatchObject({ total: 3, reencrypted: 0, alreadyCurrent: 3 });

      const rows: { client_key_ciphertext: string }[] = await rotationDs.query(
        `SELECT client_key_ciphertext FROM tenancy.tenants`,
      );
      expect(rows.map((r) => keyIdOfCiphertext(r.client_key_ciphertext))).toEqual([
        keyIdOf(newKey),
        keyIdOf(newKey),
        keyIdOf(newKey),
      ]);

      const after = new TenantService(rotationDs, new KeyCipher(newKey), powerOffice);
      for (const [id, clientKey] of keys) expect(await after.revealClientKeyForPowerOffice(id)).toBe(clientKey);
      const [entry] = await after.auditLog('shop-a', 1);
      expect(entry).toMatchObject({
        actor: 'ops:rotation',
        action: 'clientKey.reencrypted',
        before: { keyId: keyIdOf(oldKey) },
        after: { keyId: keyIdOf(newKey) },
      });
    });

    it('reports keys it cannot open instead of failing the whole run', async () => {
      const stranger = new KeyCipher(randomBytes(32));
      await rotationDs.query(
        `INSERT INTO tenancy.tenants (id, name, organization_number, client_key_ciphertext, client_key_fingerprint)
         VALUES ('shop-x', 'x', '999888777', $1, 'ffffffffffff')`,
        [stranger.encrypt(newClientKey(), 'shop-x')],
      );
      const report = await new TenantService(rotationDs, new KeyCipher(randomBytes(32))).reencryptAllClientKeys();
      expect(report.failed.map((f) => f.tenantId)).toContain('shop-x');
      expect(report.failed[0].reason).toMatch(/TENANT_KEY_ENCRYPTION_KEYS_OLD/);
    });
  });
});
