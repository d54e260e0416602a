import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { INestApplication } from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import { DataSource } from 'typeorm';
import { NS4102_PRESET } from '@lib/tenancy';
import { ensureTopics, loadEnv } from '@lib/platform';
import { SettlementConfig } from '../../settlement/src/settlement.config';
import { SettlementModule, settlementTopics } from '../../settlement/src/settlement.module';
import { startEmulator, type RunningEmulator } from '../../poweroffice-emulator/src/bootstrap';
import { cliActor } from '../src/cli/cli-context';
import { runCli } from '../src/cli/program';
import { filePrefix, newShop, runEnv, startFlowApp, testKafka, waitFor } from './console-harness';
import { testEnv } from '../../../test/support/env';

// shared/ sits beside the repository (CI) or inside it (some local setups).
const EXAMPLE = 'fixtures/saft/examples/cashregister_example_20210330.xml';
const SAFT_EXAMPLE = [path.resolve(__dirname, '../../../..', 'shared', EXAMPLE), path.resolve(__dirname, '../../..', 'shared', EXAMPLE)].find(existsSync)!;

/**
 * The CLI (`npm run cli -- …`) runs the same use cases as the HTTP API, straight against the
 * database, the broker and PowerOffice (the emulator): each command prints what it did and exits
 * 0, or says why not and exits non-zero.
 */
describe('console CLI', () => {
  const prefix = filePrefix('console-cli');
  let emulator: RunningEmulator;
  let env: NodeJS.ProcessEnv;
  let db: DataSource;
  let kafka: Kafka;
  let settlement: INestApplication | undefined;
  const dir = mkdtempSync(path.join(tmpdir(), 'console-cli-'));

  async function cli(argv: string[], secret = ''): Promise<{ code: number; out: string; err: string }> {
    let out = '';
    let err = '';
    const code = await runCli(argv, {
      env,
      io: { out: (t) => (out += t), err: (t) => (err += t), interactive: false },
      readSecret: async () => secret,
    });
    return { code, out, err };
  }

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0 });
    env = runEnv(emulator.baseUrl, { TOPIC_PREFIX: prefix, LOG_LEVEL: 'warn' });
    db = new DataSource({ type: 'postgres', url: testEnv().databaseUrl, extra: { max: 2 } });
    await db.initialize();
    kafka = testKafka('console-cli-test');
    await ensureTopics(kafka, settlementTopics(prefix), 3);
  });
  afterAll(async () => {
    await settlement?.close();
    await db?.destroy();
    await emulator?.close();
  });

  it('--help lists the commands; a usage error exits 2', async () => {
    const help = await cli(['--help']);
    expect(help.code).toBe(0);
    for (const command of ['tenant', 'mapping', 'schedule', 'invoice-mode', 'status', 'settlement', 'invoice', 'resync', 'dlq', 'saft']) {
      expect(help.out).toContain(command);
    }
    const sub = await cli(['settlement', 'resend', '--help']);
    expect(sub.out).toMatch(/--register <registerId>/);
    const usage = await cli(['settlement', 'resend', '--tenant', 'x']);
    expect(usage.code).not.toBe(0);
    expect(usage.err).toMatch(/required option '--register <registerId>' not specified/);
    const badZ = await cli(['settlement', 'resend', '--tenant', 'x', '--register', 'K1', '--z', 'seven']);
    expect(badZ.code).toBe(2);
    expect(badZ.err).toMatch(/--z must be a whole number/);
  });

  it('refuses to run with a malformed setting, naming it', async () => {
    let err = '';
    const code = await runCli(['status'], { env: { ...env, DATABASE_URL: 'mysql://nope' }, io: { out: () => undefined, err: (t) => (err += t), interactive: false } });
    expect(code).toBe(1);
    expect(err).toMatch(/DATABASE_URL must be a postgres:\/\/ connection URL/);
  });

  describe('a shop set up from the terminal', () => {
    let shop: Awaited<ReturnType<typeof newShop>>;
    beforeAll(async () => {
      shop = await newShop(emulator, { prefix: 'cli' });
    });

    it('tenant add reads the key from stdin ("-"), checks it, and records the OS user as the actor', async () => {
      const res = await cli(['tenant', 'add', '--id', shop.tenantId, '--name', shop.onboarding.name, '--org', '999 888 777', '--client-key', '-'], shop.clientKey);
      expect(res.err).toBe('');
      expect(res.code).toBe(0);
      expect(res.out).toMatch(new RegExp(`Onboarded ${shop.tenantId}: PowerOffice accepted the key`));
      expect(res.out).toContain(`cli mapping set --tenant ${shop.tenantId} --preset ns4102`);
      expect(res.out + res.err).not.toContain(shop.clientKey);
      const [audit] = await db.query(`SELECT actor FROM tenancy.audit_log WHERE tenant_id = $1 AND action = 'tenant.onboarded'`, [shop.tenantId]);
      expect(audit.actor).toBe(cliActor());
      expect(audit.actor).toMatch(/^cli:.+/);
      const [logged] = await db.query(`SELECT actor, transport, result FROM console.action_log WHERE tenant_id = $1`, [shop.tenantId]);
      expect(logged).toEqual({ actor: cliActor(), transport: 'cli', result: 'done' });
    });

    it('tenant add with a key PowerOffice refuses exits 1 with the reason', async () => {
      const res = await cli(['tenant', 'add', '--id', `${shop.tenantId}-x`, '--name', 'X', '--org', '999888777', '--client-key', 'deadbeef-0000-4000-8000-000000000000']);
      expect(res.code).toBe(1);
      expect(res.err).toMatch(/^error: TENANT_NOT_AUTHORISED: PowerOffice did not accept the client key/);
    });

    it('mapping set --file with problems exits 1 listing each key and account; --preset saves; check and show agree', async () => {
      const bad = path.join(dir, 'bad-mapping.json');
      writeFileSync(bad, JSON.stringify({ ...NS4102_PRESET, sales: { ...NS4102_PRESET.sales, '3': { account: 3999 } }, tips: { account: 3099 } }));
      const rejected = await cli(['mapping', 'set', '--tenant', shop.tenantId, '--file', bad]);
      expect(rejected.code).toBe(1);
      expect(rejected.err).toMatch(/MAPPING_MISSING/);
      expect(rejected.err).toMatch(/sales\.3 → 3999: account 3999 does not exist/);
      expect(rejected.err).toMatch(/tips → 3099: account 3099 is inactive/);

      const checkBad = await cli(['mapping', 'check', '--tenant', shop.tenantId, '--file', bad]);
      expect(checkBad.code).toBe(1);
      expect(checkBad.out).toMatch(/the given mapping has 3 problem\(s\)/);

      const set = await cli(['mapping', 'set', '--tenant', shop.tenantId, '--preset', 'ns4102']);
      expect(set.code).toBe(0);
      expect(set.out).toMatch(/saved as version 1 \(preset ns4102\)/);
      const check = await cli(['mapping', 'check', '--tenant', shop.tenantId]);
      expect(check.code).toBe(0);
      expect(check.out).toMatch(/the stored mapping \(version 1\) fits the PowerOffice chart of accounts/);
      const show = await cli(['mapping', 'show', '--tenant', shop.tenantId]);
      expect(JSON.parse(show.out)).toEqual(NS4102_PRESET);
      expect(show.err).toMatch(/version 1/);

      const both = await cli(['mapping', 'set', '--tenant', shop.tenantId, '--preset', 'ns4102', '--file', bad]);
      expect(both.code).not.toBe(0);
      expect(both.err).toMatch(/cannot be used with/);
    });

    it('schedule set and invoice-mode set', async () => {
      const at = await cli(['schedule', 'set', '--tenant', shop.tenantId, '--at', '06:15']);
      expect(at).toMatchObject({ code: 0, out: expect.stringMatching(/posted at 06:15 \(Europe\/Oslo\)/) });
      const bad = await cli(['schedule', 'set', '--tenant', shop.tenantId, '--at', '25:00']);
      expect(bad.code).toBe(1);
      expect(bad.err).toMatch(/schedule\.time must be a local time/);
      const none = await cli(['schedule', 'set', '--tenant', shop.tenantId]);
      expect(none.code).toBe(2);
      const eod = await cli(['schedule', 'set', '--tenant', shop.tenantId, '--after-eod']);
      expect(eod.out).toMatch(/after the end of day/);
      const mode = await cli(['invoice-mode', 'set', '--tenant', shop.tenantId, 'sales-order']);
      expect(mode).toMatchObject({ code: 0, out: expect.stringMatching(/as sales orders/) });
      const back = await cli(['invoice-mode', 'set', '--tenant', shop.tenantId, 'voucher']);
      expect(back.out).toMatch(/outgoing-invoice vouchers/);
    });

    it('tenant disable, enable and verify', async () => {
      expect((await cli(['tenant', 'disable', '--tenant', shop.tenantId])).out).toMatch(/is now disabled/);
      const overview = JSON.parse((await cli(['status', '--json'])).out);
      expect(overview.tenants.find((t: { tenantId: string }) => t.tenantId === shop.tenantId)).toMatchObject({ enabled: false });
      expect((await cli(['tenant', 'enable', '--tenant', shop.tenantId])).out).toMatch(/is now enabled/);
      expect((await cli(['tenant', 'verify', '--tenant', shop.tenantId])).out).toMatch(/is authorised in PowerOffice/);
      const unknown = await cli(['tenant', 'disable', '--tenant', 'nobody-here']);
      expect(unknown.code).toBe(1);
      expect(unknown.err).toMatch(/TENANT_UNKNOWN: Tenant nobody-here is not onboarded/);
    });

    it('status prints the overview and a tenant in detail', async () => {
      const all = await cli(['status']);
      expect(all.code).toBe(0);
      expect(all.out).toMatch(new RegExp(`ok\\s+${shop.tenantId}`));
      const one = await cli(['status', '--tenant', shop.tenantId]);
      expect(one.code).toBe(0);
      expect(one.out).toContain(`${shop.tenantId} — ${shop.onboarding.name}`);
      expect(one.out).toMatch(/mapping: version 1 by cli:/);
      expect(one.out).toMatch(/Settlements:\n {2}no Z-reports yet/);
      expect(one.out).toMatch(/Parked events: 0/);
      const json = JSON.parse((await cli(['status', '--tenant', shop.tenantId, '--json'])).out);
      expect(json.tenant.id).toBe(shop.tenantId);
      expect(JSON.stringify(json)).not.toContain(shop.clientKey);
    });

    it('settlement resend of a Z never received exits 1 saying so; dlq list with nothing parked', async () => {
      const res = await cli(['settlement', 'resend', '--tenant', shop.tenantId, '--register', 'K1', '--z', '99']);
      expect(res.code).toBe(1);
      expect(res.err).toMatch(/No Z-report 99 of register K1/);
      const dlq = await cli(['dlq', 'list', '--topic', 'invoicePosted', '--tenant', shop.tenantId]);
      expect(dlq).toMatchObject({ code: 0, out: 'No dead letters.\n' });
      const badTopic = await cli(['dlq', 'list', '--topic', 'pos.nothing.v1']);
      expect(badTopic.code).toBe(1);
      expect(badTopic.err).toMatch(/not a topic the integration consumes/);
    });
  });

  describe('SAF-T import, resync and resend through the settlement app', () => {
    let saftShop: Awaited<ReturnType<typeof newShop>>;
    const since = new Date(Date.now() - 60_000).toISOString();

    beforeAll(async () => {
      saftShop = await newShop(emulator, { prefix: 'cli-saft' });
      // The example file is Selskapet ASA's (999999999); the import checks the tenant is that company.
      expect((await cli(['tenant', 'add', '--id', saftShop.tenantId, '--name', 'Selskapet ASA', '--org', '999999999', '--client-key', saftShop.clientKey])).code).toBe(0);
      const withoutCard = path.join(dir, 'without-card.json');
      const mapping = structuredClone(NS4102_PRESET);
      delete mapping.payments.card;
      writeFileSync(withoutCard, JSON.stringify(mapping));
      expect((await cli(['mapping', 'set', '--tenant', saftShop.tenantId, '--file', withoutCard])).code).toBe(0);
      settlement = await startFlowApp(
        SettlementModule.register(
          loadEnv(SettlementConfig, runEnv(emulator.baseUrl, { TOPIC_PREFIX: prefix, PORT: '0', SETTLEMENT_POLL_INTERVAL_MS: '300', SETTLEMENT_MISSING_CHECK_CRON: 'off' })),
        ),
      );
    });

    const settlementRow = async () =>
      (await db.query(`SELECT state, error_code, po_voucher_no::text AS voucher_no FROM settlement.status_view WHERE tenant_id = $1`, [saftShop.tenantId]))[0] as
        | { state: string; error_code: string | null; voucher_no: string | null }
        | undefined;

    it('saft import refuses another company\'s file, and publishes the example file\'s Z-report with progress', async () => {
      const other = await cli(['saft', 'import', SAFT_EXAMPLE, '--tenant', (await newShopIn()).tenantId]);
      expect(other.code).toBe(1);
      expect(other.err).toMatch(/belongs to Selskapet ASA \(organisation number 999999999\)/);

      const res = await cli(['saft', 'import', SAFT_EXAMPLE, '--tenant', saftShop.tenantId]);
      expect(res.code).toBe(0);
      expect(res.out).toMatch(/1 of 1 Z-report\(s\) published/);
      expect(res.err).toMatch(/\[█+\] 1\/1 Z-reports · register/);
      const row = await waitFor('the imported day settled', async () => {
        const r = await settlementRow();
        return r && r.state !== 'scheduled' && r.state !== 'posting' ? r : undefined;
      });
      // The example day is paid partly by card, which this mapping lacks.
      expect(row).toMatchObject({ state: 'failed', error_code: 'MAPPING_MISSING' });
    });

    async function newShopIn() {
      const s = await newShop(emulator, { prefix: 'cli-other' });
      expect((await cli(['tenant', 'add', '--id', s.tenantId, '--name', 'Other AS', '--org', '999888777', '--client-key', s.clientKey])).code).toBe(0);
      return s;
    }

    it('status --tenant shows the failed day; resend after the fix posts it', async () => {
      const before = await cli(['status', '--tenant', saftShop.tenantId]);
      expect(before.out).toMatch(/2020-01-01 {2}FAILED/);
      expect(before.out).toMatch(/failed {5}MAPPING_MISSING: .*card/);
      expect((await cli(['mapping', 'set', '--tenant', saftShop.tenantId, '--preset', 'ns4102'])).code).toBe(0);
      const z = (await db.query(`SELECT register_id, z_number::int AS z FROM settlement.status_view WHERE tenant_id = $1`, [saftShop.tenantId]))[0];
      const res = await cli(['settlement', 'resend', '--tenant', saftShop.tenantId, '--register', z.register_id, '--z', String(z.z)]);
      expect(res.err).toBe('');
      expect(res.code).toBe(0);
      expect(res.out).toMatch(new RegExp(`Resent Z ${z.z} of register ${z.register_id.replace(/\./g, '\\.')} \\(${saftShop.tenantId}\\): (scheduled|posting|posted)`));
      const row = await waitFor('the resent day posted', async () => ((await settlementRow())?.state === 'posted' ? settlementRow() : undefined));
      const vouchers = (await emulator.admin.state(saftShop.clientKey)).vouchers;
      expect(vouchers.map((v) => String(v.VoucherNo))).toEqual([row!.voucher_no]);
    });

    it('resync --dry-run replays the tenant\'s Z-reports through the settlement flow with progress and a summary', async () => {
      const res = await cli(['resync', '--tenant', saftShop.tenantId, '--since', since, '--topics', 'zReportClosed', '--dry-run']);
      expect(res.code).toBe(0);
      expect(res.err).toMatch(/\[█{24}\] 1\/1 flows · settlement: seen 1/);
      expect(res.out).toMatch(new RegExp(`^Dry run \\(nothing changed\\) of ${saftShop.tenantId} since .*: seen 1, changed [01], unchanged [01], failed 0`, 'm'));
      expect(res.out).toMatch(/settlement\s+\S*pos\.z-report-closed\.v1: seen 1/);
      const [logged] = await db.query(
        `SELECT action, transport, result FROM console.action_log WHERE tenant_id = $1 AND action LIKE 'tenant.resync%'`,
        [saftShop.tenantId],
      );
      expect(logged).toEqual({ action: 'tenant.resync.dryRun', transport: 'cli', result: 'done' });
    });
  });
});
