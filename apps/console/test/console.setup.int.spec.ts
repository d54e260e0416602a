import { NS4102_PRESET } from '@lib/tenancy';
import { DataSource } from 'typeorm';
import { AUTH_ROLES } from '../../poweroffice-emulator/src/domain/privileges';
import { newShop, OPERATOR, RunningConsole, SECOND_OPERATOR, startConsole } from './console-harness';

/**
 * Onboarding a shop and setting it up through the console's HTTP API, against the real database,
 * broker and the PowerOffice emulator: the key is checked at once (token, privileges by name),
 * the mapping is validated against the tenant's own chart of accounts, and every change is recorded
 * with the operator's name.
 */
describe('console: onboarding and setup over HTTP', () => {
  let c: RunningConsole;
  let db: DataSource;

  beforeAll(async () => {
    c = await startConsole();
    db = c.app.get(DataSource);
  });
  afterAll(async () => {
    await c?.close();
  });

  describe('onboarding', () => {
    it('a good key: the tenant is stored with its privileges and reference data, the key never returned', async () => {
      const shop = await newShop(c.emulator);
      const res = await c.http.post('/tenants', shop.onboarding);
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        id: shop.tenantId,
        name: shop.onboarding.name,
        organizationNumber: '999888777',
        enabled: true,
        authorised: true,
        invoiceMode: 'voucher',
        settlementSchedule: { mode: 'afterEndOfDay' },
      });
      expect(res.body.privileges).toEqual(expect.arrayContaining(['CashVoucher_Full', 'Customer_Full']));
      expect(res.body.customerNumberSeries).toMatchObject({ from: expect.any(Number), to: expect.any(Number) });
      expect(res.text).not.toContain(shop.clientKey);
      expect(JSON.stringify(res.body)).not.toMatch(/clientKey"|ciphertext/i);

      // The chart of accounts was read and kept: a mapping can be checked without calling PowerOffice.
      const refs: { kind: string }[] = await db.query(`SELECT kind FROM tenancy.reference_data WHERE tenant_id = $1 ORDER BY kind`, [shop.tenantId]);
      expect(refs.map((r) => r.kind)).toEqual(expect.arrayContaining(['accounts', 'numberSeries', 'vatCodes']));
      const [stored] = await db.query(`SELECT client_key_ciphertext FROM tenancy.tenants WHERE id = $1`, [shop.tenantId]);
      expect(stored.client_key_ciphertext).toMatch(/^v1:/);
      expect(stored.client_key_ciphertext).not.toContain(shop.clientKey);

      const audit = await c.http.get(`/tenants/${shop.tenantId}/audit`);
      expect(audit.body).toEqual([expect.objectContaining({ action: 'tenant.onboarded', actor: OPERATOR.name })]);
      expect(audit.text).not.toContain(shop.clientKey);
    });

    it('a key PowerOffice does not know: 422 TENANT_NOT_AUTHORISED, nothing stored, the attempt recorded', async () => {
      const shop = await newShop(c.emulator);
      const unknownKey = '0f0f0f0f-1111-4222-8333-444455556666';
      const res = await c.http.post('/tenants', { ...shop.onboarding, clientKey: unknownKey });
      expect(res.status).toBe(422);
      expect(res.body).toMatchObject({ code: 'TENANT_NOT_AUTHORISED' });
      expect(res.body.message).toMatch(/did not accept the client key/);
      expect(res.text).not.toContain(unknownKey);
      expect((await c.http.get(`/tenants/${shop.tenantId}`)).status).toBe(404);

      const [logged] = await db.query(
        `SELECT actor, transport, result, error_code, target FROM console.action_log WHERE tenant_id = $1 AND action = 'tenant.onboard'`,
        [shop.tenantId],
      );
      expect(logged).toMatchObject({ actor: OPERATOR.name, transport: 'http', result: 'failed', error_code: 'TENANT_NOT_AUTHORISED' });
      expect(JSON.stringify(logged.target)).not.toContain(unknownKey);
    });

    it('a key without a privilege the integration needs: 422 naming each missing privilege', async () => {
      const shop = await newShop(c.emulator, {
        privileges: AUTH_ROLES.filter((r) => r !== 'CashVoucher_Full' && r !== 'Department' && r !== 'Department_Full'),
      });
      const res = await c.http.post('/tenants', shop.onboarding);
      expect(res.status).toBe(422);
      expect(res.body.code).toBe('TENANT_NOT_AUTHORISED');
      expect(res.body.message).toMatch(/CashVoucher_Full \(post daily settlements/);
      expect(res.body.message).toMatch(/Department or Department_Full/);
      expect(res.body.details.missingPrivileges).toEqual(['CashVoucher_Full', 'Department or Department_Full']);
      expect((await c.http.get(`/tenants/${shop.tenantId}`)).status).toBe(404);
    });

    it('an id already taken: 400 naming the field', async () => {
      const shop = await newShop(c.emulator);
      expect((await c.http.post('/tenants', shop.onboarding)).status).toBe(201);
      const again = await c.http.post('/tenants', shop.onboarding);
      expect(again.status).toBe(400);
      expect(again.body.problems).toEqual([expect.objectContaining({ field: 'id', problem: expect.stringMatching(/already taken/) })]);
    });

    it.each<[string, Record<string, unknown>, string[]]>([
      ['nothing', {}, ['id', 'name', 'organizationNumber', 'clientKey']],
      ['a bad organisation number and an empty key', { id: 'ok-id', name: 'Shop', organizationNumber: '12345', clientKey: '' }, ['organizationNumber', 'clientKey']],
      ['a tenant id with a colon (it would break Kafka keys)', { id: 'a:b', name: 'Shop', organizationNumber: '999888777', clientKey: 'k' }, ['id']],
      ['an unknown field', { id: 'ok-id', name: 'Shop', organizationNumber: '999888777', clientKey: 'k', clientSecret: 'x' }, ['clientSecret']],
    ])('invalid input (%s): 400 naming each field', async (_name, body, fields) => {
      const res = await c.http.post('/tenants', body);
      expect(res.status).toBe(400);
      expect([...new Set(res.body.problems.map((p: { field: string }) => p.field))].sort()).toEqual([...fields].sort());
      for (const field of fields) expect(res.body.message).toContain(field);
    });
  });

  describe('account mapping', () => {
    let tenantId: string;
    beforeAll(async () => {
      const shop = await newShop(c.emulator);
      tenantId = shop.tenantId;
      expect((await c.http.post('/tenants', shop.onboarding)).status).toBe(201);
    });

    it('a new shop has none: GET 404 and the check says so', async () => {
      const res = await c.http.get(`/tenants/${tenantId}/mapping`);
      expect(res.status).toBe(404);
      expect(res.body.message).toMatch(/no account mapping yet/);
      const check = await c.http.post(`/tenants/${tenantId}/mapping/check`, {});
      expect(check.status).toBe(200);
      expect(check.body).toMatchObject({ ok: false, checked: 'stored', problems: [expect.objectContaining({ key: '(mapping)' })] });
    });

    it('the NS 4102 preset makes a typical shop one call, recorded with the operator', async () => {
      const res = await c.http.put(`/tenants/${tenantId}/mapping`, { preset: 'ns4102' });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ tenantId, version: 1, updatedBy: OPERATOR.name, mapping: NS4102_PRESET });
      const shown = await c.http.get(`/tenants/${tenantId}/mapping`);
      expect(shown.body).toMatchObject({ version: 1, mapping: NS4102_PRESET });
      const check = await c.http.post(`/tenants/${tenantId}/mapping/check`, {});
      expect(check.body).toMatchObject({ ok: true, checked: 'stored', version: 1, problems: [] });
    });

    const sample = (change: (m: typeof NS4102_PRESET) => void) => {
      const m = structuredClone(NS4102_PRESET);
      change(m);
      return m;
    };
    it.each<[string, typeof NS4102_PRESET, { key: string; account: number | null; text: RegExp }]>([
      ['an account not in the chart', sample((m) => (m.sales['3'] = { account: 3999 })), { key: 'sales.3', account: 3999, text: /3999 does not exist/ }],
      ['an inactive account', sample((m) => (m.sales['3'] = { account: 3099 })), { key: 'sales.3', account: 3099, text: /3099 is inactive/ }],
      ['a VAT-locked account on a line with another code', sample((m) => (m.payments.card = { account: 3000 })), { key: 'payments.card', account: 3000, text: /locked to VAT code 3/ }],
      ['a sub-ledger control account', sample((m) => (m.payments.other = { account: 1500 })), { key: 'payments.other', account: 1500, text: /control account/ }],
      ['a purchase VAT code on sales', sample((m) => (m.sales['1'] = { account: 1920 })), { key: 'sales.1', account: 1920, text: /purchase \(input VAT\) code/ }],
      ['a VAT code PowerOffice does not have', sample((m) => (m.sales['99'] = { account: 1920 })), { key: 'sales.99', account: 1920, text: /VAT code 99 does not exist/ }],
      ['a department PowerOffice does not have', sample((m) => (m.departments = { '01': 'NOPE' })), { key: 'departments.01', account: null, text: /department NOPE does not exist/ }],
      ['a payment method the POS does not have', sample((m) => ((m.payments as Record<string, unknown>).bitcoin = { account: 1900 })), { key: 'payments.bitcoin', account: null, text: /not a payment method/ }],
    ])('rejects %s: 422 naming the key and the account; nothing saved', async (_name, mapping, expected) => {
      const res = await c.http.put(`/tenants/${tenantId}/mapping`, { mapping });
      expect(res.status).toBe(422);
      expect(res.body.code).toBe('MAPPING_MISSING');
      expect(res.body.problems).toContainEqual(expect.objectContaining({ key: expected.key, account: expected.account, problem: expect.stringMatching(expected.text) }));
      expect(res.body.message).toContain(`${expected.key}${expected.account === null ? '' : ` → ${expected.account}`}:`);
      // The same mapping as a dry run reports the same problem and saves nothing.
      const check = await c.http.post(`/tenants/${tenantId}/mapping/check`, { mapping });
      expect(check.body.ok).toBe(false);
      expect(check.body.problems).toContainEqual(expect.objectContaining({ key: expected.key, text: expect.stringMatching(expected.text) }));
      expect((await c.http.get(`/tenants/${tenantId}/mapping`)).body.version).toBe(1);
    });

    it('two problems at once are both listed', async () => {
      const mapping = sample((m) => {
        m.sales['3'] = { account: 3999 };
        m.payments.card = { account: 3000 };
      });
      const res = await c.http.put(`/tenants/${tenantId}/mapping`, { mapping });
      expect(res.status).toBe(422);
      expect(res.body.problems.map((p: { key: string }) => p.key).sort()).toEqual(['payments.card', 'sales.3']);
    });

    it('refuses a save over someone else\'s newer version', async () => {
      const res = await c.http.put(`/tenants/${tenantId}/mapping`, { preset: 'ns4102', expectedVersion: 0 });
      expect(res.status).toBe(400);
      expect(res.body.problems).toContainEqual(expect.objectContaining({ field: 'expectedVersion' }));
    });

    it.each<[string, Record<string, unknown>, string]>([
      ['neither preset nor mapping', {}, 'preset'],
      ['both', { preset: 'ns4102', mapping: {} }, 'preset'],
      ['an unknown preset', { preset: 'ns9999' }, 'preset'],
      ['a mapping that is not an object', { mapping: 'x' }, 'mapping'],
    ])('400 for %s', async (_name, body, field) => {
      const res = await c.http.put(`/tenants/${tenantId}/mapping`, body);
      expect(res.status).toBe(400);
      expect(res.body.problems.map((p: { field: string }) => p.field)).toContain(field);
    });
  });

  describe('schedule, invoice mode, disable and enable', () => {
    let tenantId: string;
    beforeAll(async () => {
      const shop = await newShop(c.emulator);
      tenantId = shop.tenantId;
      expect((await c.http.post('/tenants', shop.onboarding)).status).toBe(201);
    });

    it('sets the schedule (and refuses a time that is not HH:MM)', async () => {
      const at = await c.http.put(`/tenants/${tenantId}/schedule`, { mode: 'at', time: '06:30' });
      expect(at.status).toBe(200);
      expect(at.body.settlementSchedule).toEqual({ mode: 'at', time: '06:30' });
      const bad = await c.http.put(`/tenants/${tenantId}/schedule`, { mode: 'at', time: '25:00' });
      expect(bad.status).toBe(400);
      expect(bad.body.problems).toEqual([expect.objectContaining({ field: 'time' })]);
      const noTime = await c.http.put(`/tenants/${tenantId}/schedule`, { mode: 'at' });
      expect(noTime.status).toBe(400);
      const back = await c.http.put(`/tenants/${tenantId}/schedule`, { mode: 'afterEndOfDay' });
      expect(back.body.settlementSchedule).toEqual({ mode: 'afterEndOfDay' });
    });

    it('sets the invoice mode', async () => {
      const res = await c.http.put(`/tenants/${tenantId}/invoice-mode`, { invoiceMode: 'salesOrder' });
      expect(res.status).toBe(200);
      expect(res.body.invoiceMode).toBe('salesOrder');
      expect((await c.http.put(`/tenants/${tenantId}/invoice-mode`, { invoiceMode: 'fax' })).status).toBe(400);
    });

    it('disables and enables; each change is in the audit log with who did it', async () => {
      const off = await c.http.as(SECOND_OPERATOR.token).post(`/tenants/${tenantId}/disable`);
      expect(off.status).toBe(200);
      expect(off.body.enabled).toBe(false);
      const on = await c.http.post(`/tenants/${tenantId}/enable`);
      expect(on.body.enabled).toBe(true);
      const audit = (await c.http.get(`/tenants/${tenantId}/audit`)).body as { action: string; actor: string }[];
      expect(audit.slice(0, 5).map((a) => [a.action, a.actor])).toEqual([
        ['tenant.enabled', OPERATOR.name],
        ['tenant.disabled', SECOND_OPERATOR.name],
        ['invoiceMode.set', OPERATOR.name],
        ['schedule.set', OPERATOR.name],
        ['schedule.set', OPERATOR.name],
      ]);
      const actions: { action: string; actor: string; result: string }[] = await db.query(
        `SELECT action, actor, result FROM console.action_log WHERE tenant_id = $1 ORDER BY id`,
        [tenantId],
      );
      // Requests refused by validation (400) never reached an action; the fax mode neither.
      expect(actions.map((a) => `${a.action}:${a.actor}:${a.result}`)).toEqual([
        `tenant.onboard:${OPERATOR.name}:done`,
        `schedule.set:${OPERATOR.name}:done`,
        `schedule.set:${OPERATOR.name}:done`,
        `invoiceMode.set:${OPERATOR.name}:done`,
        `tenant.disable:${SECOND_OPERATOR.name}:done`,
        `tenant.enable:${OPERATOR.name}:done`,
      ]);
    });

    it('an unknown tenant is 404 for every setting', async () => {
      for (const res of [
        await c.http.put('/tenants/nobody-here/schedule', { mode: 'afterEndOfDay' }),
        await c.http.put('/tenants/nobody-here/mapping', { preset: 'ns4102' }),
        await c.http.post('/tenants/nobody-here/disable'),
        await c.http.get('/tenants/nobody-here/status'),
      ]) {
        expect(res.status).toBe(404);
        expect(res.body.message).toMatch(/nobody-here/);
      }
    });
  });
});
