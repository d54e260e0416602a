import type { INestApplication } from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import { DataSource } from 'typeorm';
import { topicName, zReportExample81, type ZReportClosed } from '@lib/contracts';
import { ensureTopics, loadEnv } from '@lib/platform';
import { SettlementConfig } from '../../settlement/src/settlement.config';
import { SettlementModule, settlementTopics } from '../../settlement/src/settlement.module';
import {
  filePrefix,
  newShop,
  ns4102Without,
  OPERATOR,
  posEvent,
  produce,
  RunningConsole,
  runEnv,
  startConsole,
  startFlowApp,
  testKafka,
  waitFor,
} from './console-harness';

/**
 * The console over a real settlement flow: Z-reports go through the broker into the settlement app
 * (running in-process as in production), the console shows what it recorded (settlement.status_view,
 * pipeline.inbox, poweroffice.api_calls), and its actions fix what failed through the settlement
 * app's own service. PowerOffice is the emulator; every voucher is checked there.
 */
describe('console: settlements, dead letters and resync over a running settlement flow', () => {
  const prefix = filePrefix('console-settle');
  let c: RunningConsole;
  let settlement: INestApplication;
  let kafka: Kafka;
  let db: DataSource;
  // A failed day, fixed by the operator; a healthy shop beside it.
  let failing: Awaited<ReturnType<typeof newShop>>;
  let healthy: Awaited<ReturnType<typeof newShop>>;
  const report: ZReportClosed = { ...zReportExample81, registerId: 'K1', zNumber: 7, businessDate: '2026-03-02', closedAt: '2026-03-02T22:01:00+01:00' };
  const startedAt = new Date(Date.now() - 60_000).toISOString();

  const statusOf = async (tenantId: string) => (await c.http.get(`/tenants/${tenantId}/status`)).body;
  const registerRow = async (tenantId: string, registerId: string, z: number) => {
    const s = await statusOf(tenantId);
    for (const day of s.settlements.days ?? []) for (const r of day.registers) if (r.registerId === registerId && r.zNumber === z) return { day, r };
    return undefined;
  };
  const vouchersOf = async (clientKey: string) => (await c.emulator.admin.state(clientKey)).vouchers;

  beforeAll(async () => {
    kafka = testKafka('console-settlement-test');
    await ensureTopics(kafka, settlementTopics(prefix), 3);
    c = await startConsole({ env: { TOPIC_PREFIX: prefix } });
    db = c.app.get(DataSource);
    settlement = await startFlowApp(
      SettlementModule.register(
        loadEnv(SettlementConfig, runEnv(c.emulator.baseUrl, { TOPIC_PREFIX: prefix, PORT: '0', SETTLEMENT_POLL_INTERVAL_MS: '300', SETTLEMENT_MISSING_CHECK_CRON: 'off' })),
      ),
    );
    failing = await newShop(c.emulator, { prefix: 'failing' });
    healthy = await newShop(c.emulator, { prefix: 'healthy' });
    for (const shop of [failing, healthy]) expect((await c.http.post('/tenants', shop.onboarding)).status).toBe(201);
    // The failing shop's mapping lacks the card account: it passes validation, but a day paid by card cannot be posted.
    expect((await c.http.put(`/tenants/${failing.tenantId}/mapping`, { mapping: ns4102Without('payments.card') })).status).toBe(200);
    expect((await c.http.put(`/tenants/${healthy.tenantId}/mapping`, { preset: 'ns4102' })).status).toBe(200);
    await produce(kafka, 'zReportClosed', prefix, [posEvent('ZReportClosed', failing.tenantId, report), posEvent('ZReportClosed', healthy.tenantId, report)]);
    await waitFor('the healthy day posted', async () => (await registerRow(healthy.tenantId, 'K1', 7))?.r.state === 'posted');
    await waitFor('the failing day failed', async () => (await registerRow(failing.tenantId, 'K1', 7))?.r.state === 'failed');
  });

  afterAll(async () => {
    await settlement?.close();
    await c?.close();
  });

  it('shows a failed day as failed, with the reason naming the unmapped key', async () => {
    const s = await statusOf(failing.tenantId);
    expect(s.settlements.available).toBe(true);
    const [day] = s.settlements.days;
    expect(day).toMatchObject({ businessDate: '2026-03-02', health: 'failed' });
    expect(day.registers).toEqual([
      expect.objectContaining({ registerId: 'K1', zNumber: 7, state: 'failed', errorCode: 'MAPPING_MISSING', voucherNo: null }),
    ]);
    expect(day.registers[0].errorMessage).toMatch(/card/);
    expect(await vouchersOf(failing.clientKey)).toEqual([]);
  });

  it('shows a posted day with its voucher number, as PowerOffice has it', async () => {
    const { day, r } = (await registerRow(healthy.tenantId, 'K1', 7))!;
    expect(day.health).toBe('posted');
    const vouchers = await vouchersOf(healthy.clientKey);
    expect(vouchers).toHaveLength(1);
    expect(r.voucherNo).toBe(String(vouchers[0].VoucherNo));
    // The status also counts the PowerOffice calls made for the tenant.
    const s = await statusOf(healthy.tenantId);
    expect(s.apiCalls.total).toBeGreaterThan(0);
    expect(s.apiCalls.byStatus).toEqual(expect.arrayContaining([expect.objectContaining({ status: expect.stringMatching(/^2\d\d$/) })]));
  });

  it('the overview lists the shop with a failure first', async () => {
    const o = (await c.http.get('/status')).body;
    const ids = o.tenants.map((t: { tenantId: string }) => t.tenantId);
    expect(ids.indexOf(failing.tenantId)).toBeGreaterThanOrEqual(0);
    expect(ids.indexOf(failing.tenantId)).toBeLessThan(ids.indexOf(healthy.tenantId));
    const entry = o.tenants.find((t: { tenantId: string }) => t.tenantId === failing.tenantId);
    expect(entry).toMatchObject({ needsAttention: true, reasons: expect.arrayContaining(['1 settlement failed']) });
    expect(o.tenants.find((t: { tenantId: string }) => t.tenantId === healthy.tenantId)).toMatchObject({ needsAttention: false, reasons: [] });
    expect(o.available).toMatchObject({ settlements: true });
  });

  it('resend before the fix fails again with the same reason; after the fix it posts', async () => {
    const again = await c.http.post(`/tenants/${failing.tenantId}/settlements/K1/7/resend`);
    expect(again.status).toBe(200);
    expect(again.body.status).toMatchObject({ state: 'failed', errorCode: 'MAPPING_MISSING' });

    expect((await c.http.put(`/tenants/${failing.tenantId}/mapping`, { preset: 'ns4102' })).status).toBe(200);
    const res = await c.http.post(`/tenants/${failing.tenantId}/settlements/K1/7/resend`);
    expect(res.status).toBe(200);
    expect(res.body.result).toMatchObject({ tenantId: failing.tenantId, registerId: 'K1', zNumber: 7 });
    expect(['scheduled', 'posting', 'posted']).toContain(res.body.status.state);

    const { day, r } = await waitFor('the resent day posted', async () => {
      const row = await registerRow(failing.tenantId, 'K1', 7);
      return row?.r.state === 'posted' ? row : undefined;
    });
    expect(day.health).toBe('posted');
    const vouchers = await vouchersOf(failing.clientKey);
    expect(vouchers).toHaveLength(1);
    expect(r.voucherNo).toBe(String(vouchers[0].VoucherNo));
  });

  it('repost reverses the posted voucher and posts the day again', async () => {
    const before = (await registerRow(failing.tenantId, 'K1', 7))!.r;
    const res = await c.http.post(`/tenants/${failing.tenantId}/settlements/K1/7/repost`);
    expect(res.status).toBe(200);
    const after = await waitFor('the reposted day posted with a new voucher', async () => {
      const row = await registerRow(failing.tenantId, 'K1', 7);
      return row?.r.state === 'posted' && row.r.voucherNo !== before.voucherNo ? row.r : undefined;
    });
    const vouchers = await vouchersOf(failing.clientKey);
    const original = vouchers.find((v) => String(v.VoucherNo) === before.voucherNo);
    expect(original).toMatchObject({ ReversedByVoucherId: expect.anything() });
    expect(vouchers.filter((v: { ReversalOfVoucherId?: unknown }) => v.ReversalOfVoucherId)).toHaveLength(1);
    expect(vouchers.find((v) => String(v.VoucherNo) === after.voucherNo)).toMatchObject({ IsReversed: false });
  });

  it.each<[string, string, number, string]>([
    ['resend of a posted day', 'resend', 7, 'only a failed settlement can be resent'],
    ['a Z number never received', 'resend', 99, 'No Z-report 99'],
    ['repost of a Z number never received', 'repost', 99, 'No Z-report 99'],
  ])('refuses %s with a reason', async (_name, action, z, message) => {
    const res = await c.http.post(`/tenants/${healthy.tenantId}/settlements/K1/${z}/${action}`);
    expect(res.status).toBe(z === 99 ? 404 : 409);
    expect(res.body.message).toContain(message);
  });

  it('records every action with who, what, when and how it ended', async () => {
    const rows: { actor: string; action: string; result: string; target: { registerId: string; zNumber: number }; error_code: string | null }[] =
      await db.query(
        `SELECT actor, action, result, target, error_code FROM console.action_log WHERE tenant_id IN ($1, $2) AND action LIKE 'settlement.%' ORDER BY id`,
        [failing.tenantId, healthy.tenantId],
      );
    expect(rows.map((r) => [r.action, r.result, r.error_code])).toEqual([
      ['settlement.resend', 'done', null],
      ['settlement.resend', 'done', null],
      ['settlement.repost', 'done', null],
      ['settlement.resend', 'failed', 'CONSOLE_CONFLICT'],
      ['settlement.resend', 'failed', 'CONSOLE_NOT_FOUND'],
      ['settlement.repost', 'failed', 'CONSOLE_NOT_FOUND'],
    ]);
    expect(rows.every((r) => r.actor === OPERATOR.name)).toBe(true);
    expect(rows[0].target).toEqual({ registerId: 'K1', zNumber: 7 });
    const recent = (await statusOf(failing.tenantId)).recentActions.map((a: { action: string }) => a.action);
    expect(recent.slice(0, 3)).toEqual(['settlement.repost', 'settlement.resend', 'mapping.set']);
  });

  describe('dead letters', () => {
    let parkedId: string;
    beforeAll(async () => {
      // A Z-report the POS got wrong (no payments field at all): the pipeline parks it.
      const broken = posEvent('ZReportClosed', healthy.tenantId, { ...report, zNumber: 8 });
      delete (broken.data as Partial<ZReportClosed>).payments;
      parkedId = broken.id;
      await produce(kafka, 'zReportClosed', prefix, [broken]);
      await waitFor('the broken report parked', async () => (await statusOf(healthy.tenantId)).parkedEvents.count === 1);
    });

    it('the status counts the parked event and says why', async () => {
      const s = await statusOf(healthy.tenantId);
      expect(s.parkedEvents.items).toEqual([
        expect.objectContaining({ eventId: parkedId, eventType: 'ZReportClosed', errorCode: 'INVALID_EVENT', redrivenAt: null, topic: topicName('zReportClosed', prefix) }),
      ]);
      const o = (await c.http.get('/status')).body;
      expect(o.tenants.find((t: { tenantId: string }) => t.tenantId === healthy.tenantId)).toMatchObject({ needsAttention: true, parkedEvents: 1 });
    });

    it('lists it (by topic key or name), and only the tenant asked for', async () => {
      const byKey = await c.http.get(`/dead-letters?topic=zReportClosed&tenantId=${healthy.tenantId}`);
      expect(byKey.status).toBe(200);
      expect(byKey.body).toEqual([expect.objectContaining({ eventId: parkedId, status: 'parked', errorCode: 'INVALID_EVENT', tenantId: healthy.tenantId })]);
      const byName = await c.http.get(`/dead-letters?topic=${topicName('zReportClosed', prefix)}&tenantId=${healthy.tenantId}`);
      expect(byName.body.map((l: { eventId: string }) => l.eventId)).toEqual([parkedId]);
      const other = await c.http.get(`/dead-letters?topic=zReportClosed&tenantId=${failing.tenantId}`);
      expect(other.body).toEqual([]);
      const bad = await c.http.get('/dead-letters?topic=integration.settlement.outcomes.v1');
      expect(bad.status).toBe(400);
      expect(bad.body.message).toMatch(/not a topic the integration consumes/);
    });

    it('redrives it: sent back, processed again (still invalid, so parked anew)', async () => {
      const res = await c.http.post('/dead-letters/redrive', { topic: 'zReportClosed', tenantId: healthy.tenantId, eventIds: [parkedId, 'not-an-event'] });
      expect(res.status).toBe(200);
      expect(res.body.redriven.map((l: { eventId: string }) => l.eventId)).toEqual([parkedId]);
      expect(res.body.notRedriven).toEqual(['not-an-event']);
      const letters = await waitFor('the redriven event processed again', async () => {
        const list = (await c.http.get(`/dead-letters?topic=zReportClosed&tenantId=${healthy.tenantId}`)).body as { status: string }[];
        return list.length === 2 ? list : undefined;
      });
      expect(letters.map((l) => l.status)).toEqual(['superseded', 'parked']);
      const again = await c.http.post('/dead-letters/redrive', { topic: 'zReportClosed', tenantId: healthy.tenantId, eventIds: [] });
      expect(again.body.redriven).toEqual([]);
    });
  });

  describe('resync', () => {
    const finished = async (tenantId: string, jobId: string) =>
      waitFor('the resync job to finish', async () => {
        const job = (await c.http.get(`/tenants/${tenantId}/resync/${jobId}`)).body;
        return job.state === 'running' ? undefined : job;
      }, 90_000);

    it('a dry run replays the tenant\'s Z-reports through the settlement flow and changes nothing', async () => {
      const vouchersBefore = await vouchersOf(healthy.clientKey);
      const start = await c.http.post(`/tenants/${healthy.tenantId}/resync`, { topics: ['zReportClosed'], since: startedAt, dryRun: true });
      expect(start.status).toBe(202);
      expect(start.body).toMatchObject({ tenantId: healthy.tenantId, state: 'running', startedBy: OPERATOR.name });
      const job = await finished(healthy.tenantId, start.body.jobId);
      expect(job.state).toBe('finished');
      expect(job.report).toMatchObject({ mode: 'dry-run', tenantId: healthy.tenantId, flows: [expect.objectContaining({ flow: 'settlement', topics: [topicName('zReportClosed', prefix)] })] });
      // The posted report, and the broken one (twice: original and redrive) which fails validation again.
      expect(job.report.seen).toBe(3);
      expect(job.report.failed).toBe(2);
      expect(job.report.changed + job.report.unchanged).toBe(1);
      expect(await vouchersOf(healthy.clientKey)).toEqual(vouchersBefore);
      const [logged] = await db.query(
        `SELECT action, result, outcome FROM console.action_log WHERE tenant_id = $1 AND action LIKE 'tenant.resync%' ORDER BY id DESC LIMIT 1`,
        [healthy.tenantId],
      );
      expect(logged).toMatchObject({ action: 'tenant.resync.dryRun', result: 'done', outcome: { seen: 3, failed: 2 } });
    });

    it.each<[string, Record<string, unknown>, number, RegExp]>([
      ['a time that is not ISO 8601', { since: 'last week' }, 400, /since must be an ISO 8601 time/],
      ['a time in the future', { since: '2999-01-01T00:00:00Z' }, 400, /in the future/],
      ['a topic nobody consumes', { since: startedAt, topics: ['integration.invoice.outcomes.v1'] }, 400, /not a topic the integration consumes/],
    ])('refuses %s before starting', async (_name, body, status, message) => {
      const res = await c.http.post(`/tenants/${healthy.tenantId}/resync`, body);
      expect(res.status).toBe(status);
      expect(res.body.message).toMatch(message);
    });

    it('an unknown tenant or job is 404', async () => {
      expect((await c.http.post('/tenants/nobody-here/resync', { since: startedAt })).status).toBe(404);
      expect((await c.http.get(`/tenants/${healthy.tenantId}/resync/00000000-0000-4000-8000-000000000000`)).status).toBe(404);
    });
  });

  describe('disable and enable', () => {
    it('a disabled tenant shows so in the overview, and not as a failure', async () => {
      expect((await c.http.post(`/tenants/${failing.tenantId}/disable`)).body.enabled).toBe(false);
      const entry = (await c.http.get('/status')).body.tenants.find((t: { tenantId: string }) => t.tenantId === failing.tenantId);
      expect(entry).toMatchObject({ enabled: false, needsAttention: false });
      expect((await c.http.post(`/tenants/${failing.tenantId}/enable`)).body.enabled).toBe(true);
    });
  });
});
