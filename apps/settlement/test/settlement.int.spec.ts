import { existsSync } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { NS4102_PRESET, type AccountMapping } from '@lib/tenancy';
import { importSaftFile } from '../src/saft/saft-import';
import {
  fullDay,
  SettlementWorld,
  smallDay,
  TestClock,
  type Outcome,
  type RunningSettlementApp,
} from './settlement-world';

/**
 * The settlement end to end: POS events through the real broker, the app's handler, PostgreSQL,
 * the poster, and the PowerOffice emulator; asserted on the outcome topic and on the emulator's
 * books. One app instance for the file; each test has its own tenant (and emulator client).
 */

type Dto = Record<string, unknown>;
// shared/ sits beside the repository (CI) or inside it (some local setups).
const EXAMPLE = 'fixtures/saft/examples/cashregister_example_20210330.xml';
const EXAMPLE_FILE = [
  path.resolve(__dirname, '../../../..', 'shared', EXAMPLE),
  path.resolve(__dirname, '../../..', 'shared', EXAMPLE),
].find((f) => existsSync(f))!;

let world: SettlementWorld;
let settlement: RunningSettlementApp;
const clock = new TestClock(new Date());

beforeAll(async () => {
  world = await SettlementWorld.create('settlement');
  settlement = await world.startApp({
    clock,
    env: { SETTLEMENT_MAX_ATTEMPTS: '2', SETTLEMENT_RETRY_BASE_MS: '60000' },
  });
});

afterAll(async () => {
  await world?.close();
});

async function books(clientKey: string): Promise<{ vouchers: Dto[]; transactions: Dto[] }> {
  const state = await world.emulator.admin.state(clientKey);
  return { vouchers: state.vouchers, transactions: state.accountTransactions };
}

/** Net amount posted to an account over every voucher (reversals included), in øre. */
function balance(transactions: Dto[], accountNo: number): number {
  return Math.round(
    transactions.filter((t) => t.AccountNo === accountNo).reduce((sum, t) => sum + (t.Amount as number) * 100, 0),
  );
}

const posted = (o: Outcome) => o.type === 'SettlementPosted';
const failed = (code: string) => (o: Outcome) =>
  o.type === 'SettlementFailed' && (o.data.error as { code: string }).code === code;

describe('settlement through Kafka, PostgreSQL and the PowerOffice emulator', () => {
  it('imports the official SAF-T example and posts one balanced voucher of 514.20 at once, VAT within ±1 øre of the Z', async () => {
    const shop = await world.onboardShop();
    clock.set(new Date());
    const summary = await importSaftFile({
      file: EXAMPLE_FILE,
      tenantId: shop.tenantId,
      kafka: world.kafka,
      topicPrefix: world.topicPrefix,
    });
    expect(summary.published).toHaveLength(1);
    expect(summary.published[0]).toMatchObject({
      registerId: '11.222-33.44.567',
      zNumber: 1,
      businessDate: '2020-01-01',
    });

    // After end of day (the default schedule): posted without anyone calling the nightly job.
    const outcome = await world.outcomes.waitFor(shop.tenantId, posted, 'SettlementPosted');
    expect(outcome.causationId).toBe(summary.published[0]!.eventId);
    expect(outcome.data).toMatchObject({
      registerId: '11.222-33.44.567',
      zNumber: 1,
      businessDate: '2020-01-01',
      totals: { debit: 51420, credit: 51420 },
    });
    const scheduled = world.outcomes.of(shop.tenantId).filter((o) => o.type === 'SettlementScheduled');
    expect(scheduled).toHaveLength(1);

    const { vouchers, transactions } = await books(shop.clientKey);
    expect(vouchers).toHaveLength(1);
    const voucherId = (outcome.data.powerOffice as { voucherId: string }).voucherId;
    expect(vouchers[0]).toMatchObject({
      Id: voucherId,
      VoucherType: 'CashJournal',
      ImportedVoucherNo: 1,
      VoucherDate: '2020-01-01',
    });
    const rows = transactions.filter((t) => t.VoucherId === voucherId);
    expect(rows.reduce((sum, t) => sum + Math.round((t.Amount as number) * 100), 0)).toBe(0);
    expect(balance(rows, 1900)).toBe(29500);
    expect(balance(rows, 1910)).toBe(21880);
    expect(balance(rows, 7740)).toBe(40);
    const vatOf = (code: string) =>
      -Math.round(rows.filter((t) => t.VatCode === code).reduce((sum, t) => sum + (t.VatAmount as number) * 100, 0));
    expect(Math.abs(vatOf('31') - 1342)).toBeLessThanOrEqual(1);
    expect(Math.abs(vatOf('3') - 8228)).toBeLessThanOrEqual(1);
    // Gross per code as the Z says it, to the øre.
    expect(-balance(rows, 3030) - balance(rows, 2701)).toBe(10280);
    expect(-balance(rows, 3000) - balance(rows, 2700)).toBe(41140);

    // The same file again: the same event ids, recognised as already processed.
    const again = await importSaftFile({
      file: EXAMPLE_FILE,
      tenantId: shop.tenantId,
      kafka: world.kafka,
      topicPrefix: world.topicPrefix,
    });
    expect(again.published.map((p) => p.eventId)).toEqual(summary.published.map((p) => p.eventId));
    await world.consumed();
    expect((await books(shop.clientKey)).vouchers).toHaveLength(1);
    expect(world.outcomes.of(shop.tenantId).filter(posted)).toHaveLength(1);
    expect(await world.state(shop.tenantId, '11.222-33.44.567', 1)).toBe('posted');
  });

  it("posts at the tenant's chosen time (02:00 Oslo) and not before, by the nightly job with a controlled clock", async () => {
    const shop = await world.onboardShop({ schedule: { mode: 'at', time: '02:00' } });
    clock.set('2026-03-14T23:00:00+01:00');
    const event = world.zReportEvent(
      shop.tenantId,
      smallDay('kasse-1', 1, '2026-03-14', 125000, '2026-03-14T22:05:00+01:00'),
    );
    await world.produce([event]);

    const scheduled = await world.outcomes.waitFor(
      shop.tenantId,
      (o) => o.type === 'SettlementScheduled',
      'SettlementScheduled',
    );
    expect(scheduled.causationId).toBe(event.id);
    expect(scheduled.data).toMatchObject({
      registerId: 'kasse-1',
      zNumber: 1,
      businessDate: '2026-03-14',
      postAt: '2026-03-15T01:00:00.000Z',
    });

    await settlement.poster.postDue(new Date('2026-03-15T01:59:00+01:00'));
    expect(await world.state(shop.tenantId, 'kasse-1', 1)).toBe('scheduled');
    expect((await books(shop.clientKey)).vouchers).toHaveLength(0);

    const run = await settlement.poster.postDue(new Date('2026-03-15T02:00:00+01:00'));
    expect(run.posted).toBeGreaterThanOrEqual(1);
    expect(await world.state(shop.tenantId, 'kasse-1', 1)).toBe('posted');
    const outcome = await world.outcomes.waitFor(shop.tenantId, posted, 'SettlementPosted');
    expect(outcome.causationId).toBe(event.id);
    expect(outcome.data.totals).toEqual({ debit: 125000, credit: 125000 });
    expect((await books(shop.clientKey)).vouchers).toHaveLength(1);

    // The same Z-report sent again (new event id, same content): answered with where it is, not posted twice.
    const repeat = world.zReportEvent(
      shop.tenantId,
      smallDay('kasse-1', 1, '2026-03-14', 125000, '2026-03-14T22:05:00+01:00'),
    );
    await world.produce([repeat]);
    const answer = await world.outcomes.waitFor(
      shop.tenantId,
      (o) => o.causationId === repeat.id,
      'the answer to the repeated report',
    );
    expect(answer.type).toBe('SettlementPosted');
    expect(answer.data.powerOffice).toEqual(outcome.data.powerOffice);
    await settlement.poster.postDue(new Date('2026-03-16T02:00:00+01:00'));
    expect((await books(shop.clientKey)).vouchers).toHaveLength(1);
  });

  it('a corrected report for a posted day reverses the voucher and posts the correction; the ledger nets to the corrected amounts', async () => {
    const shop = await world.onboardShop();
    clock.set(new Date());
    const first = world.zReportEvent(shop.tenantId, smallDay('kasse-7', 7, '2026-03-10', 125000));
    await world.produce([first]);
    const firstPosted = await world.outcomes.waitFor(shop.tenantId, posted, 'the first SettlementPosted');
    const v1 = firstPosted.data.powerOffice as { voucherId: string; voucherNo: number };

    const corrected = world.zReportEvent(shop.tenantId, smallDay('kasse-7', 7, '2026-03-10', 130000));
    await world.produce([corrected]);
    const rescheduled = await world.outcomes.waitFor(
      shop.tenantId,
      (o) => o.causationId === corrected.id && o.type === 'SettlementScheduled',
      'the correction scheduled',
    );
    expect(rescheduled.data.replaces).toEqual(v1);
    const second = await world.outcomes.waitFor(
      shop.tenantId,
      (o) => posted(o) && o.causationId === corrected.id,
      'the corrected SettlementPosted',
    );
    expect(second.data).toMatchObject({
      corrected: true,
      reversedVoucherId: v1.voucherId,
      totals: { debit: 130000, credit: 130000 },
    });
    const v2 = second.data.powerOffice as { voucherId: string };
    expect(v2.voucherId).not.toBe(v1.voucherId);

    const { vouchers, transactions } = await books(shop.clientKey);
    expect(vouchers.map((v) => v.VoucherType).sort()).toEqual(['CashJournal', 'CashJournal', 'ReversalVoucher']);
    expect(vouchers.find((v) => v.Id === v1.voucherId)).toMatchObject({ IsReversed: true });
    expect(balance(transactions, 1900)).toBe(65000);
    expect(balance(transactions, 1910)).toBe(65000);
    expect(balance(transactions, 3000)).toBe(-104000);
    expect(balance(transactions, 2700)).toBe(-26000);
    expect(await world.state(shop.tenantId, 'kasse-7', 7)).toBe('posted');
  });

  it('a gap in the Z numbers is reported as Z_NUMBER_GAP while the report itself is posted', async () => {
    const shop = await world.onboardShop();
    clock.set(new Date());
    await world.produce([world.zReportEvent(shop.tenantId, smallDay('kasse-2', 10, '2026-03-11'))]);
    await world.outcomes.waitFor(shop.tenantId, (o) => posted(o) && o.data.zNumber === 10, 'Z 10 posted');

    const z12 = world.zReportEvent(shop.tenantId, smallDay('kasse-2', 12, '2026-03-13'));
    await world.produce([z12]);
    const gap = await world.outcomes.waitFor(shop.tenantId, failed('Z_NUMBER_GAP'), 'Z_NUMBER_GAP');
    expect(gap.causationId).toBe(z12.id);
    expect(gap.data).toMatchObject({ registerId: 'kasse-2', zNumber: 12 });
    expect((gap.data.error as { details: unknown }).details).toMatchObject({
      previousZNumber: 10,
      missingFrom: 11,
      missingTo: 11,
    });
    await world.outcomes.waitFor(shop.tenantId, (o) => posted(o) && o.data.zNumber === 12, 'Z 12 posted');
    expect((await books(shop.clientKey)).vouchers).toHaveLength(2);
  });

  it('a missing mapping fails listing every unmapped key; after the fix a resend posts it', async () => {
    const { vipps: _vipps, ...payments } = NS4102_PRESET.payments;
    const partial: AccountMapping = { ...NS4102_PRESET, payments, tips: undefined };
    const shop = await world.onboardShop({ mapping: partial });
    clock.set(new Date());
    const event = world.zReportEvent(shop.tenantId, fullDay('kasse-3', 42, '2026-03-14'));
    await world.produce([event]);

    const failure = await world.outcomes.waitFor(shop.tenantId, failed('MAPPING_MISSING'), 'MAPPING_MISSING');
    const error = failure.data.error as { message: string; details: { key: string }[] };
    expect(error.details.map((d) => d.key).sort()).toEqual(['payments.vipps', 'tips']);
    expect(error.message).toMatch(/payments\.vipps/);
    expect(error.message).toMatch(/tips/);
    expect(await world.state(shop.tenantId, 'kasse-3', 42)).toBe('failed');
    expect((await books(shop.clientKey)).vouchers).toHaveLength(0);

    await world.tenants.setMapping(shop.tenantId, NS4102_PRESET, 'test');
    const result = await settlement.actions.resend(shop.tenantId, 'kasse-3', 42);
    expect(result.state).toBe('scheduled');
    const outcome = await world.outcomes.waitFor(shop.tenantId, posted, 'SettlementPosted after the resend');
    expect(outcome.causationId).toBe(event.id);
    expect(outcome.data.totals).toEqual({ debit: 1560040, credit: 1560040 });
    const { vouchers, transactions } = await books(shop.clientKey);
    expect(vouchers).toHaveLength(1);
    expect(balance(transactions, 1911)).toBe(150000);
    expect(balance(transactions, 2910)).toBe(-20000);

    // A repost (say the accountant wants card takings on another clearing account): reverse, post again.
    await world.tenants.setMapping(
      shop.tenantId,
      { ...NS4102_PRESET, payments: { ...NS4102_PRESET.payments, card: { account: 1579 } } },
      'test',
    );
    await settlement.actions.repost(shop.tenantId, 'kasse-3', 42);
    const reposted = await world.outcomes.waitFor(
      shop.tenantId,
      (o) => posted(o) && o.data.corrected === true,
      'the reposted SettlementPosted',
    );
    expect(reposted.data.reversedVoucherId).toBe((outcome.data.powerOffice as { voucherId: string }).voucherId);
    const after = await books(shop.clientKey);
    expect(balance(after.transactions, 1910)).toBe(0);
    expect(balance(after.transactions, 1579)).toBe(900000);
    expect(balance(after.transactions, 3000)).toBe(-760000);
  });

  it("a day in a locked period fails with PERIOD_LOCKED and PowerOffice's own words; after the lock date moves, a resend posts it", async () => {
    const shop = await world.onboardShop({ lockDate: '2026-06-30' });
    clock.set(new Date());
    await world.produce([world.zReportEvent(shop.tenantId, smallDay('kasse-4', 3, '2026-03-14'))]);
    const failure = await world.outcomes.waitFor(shop.tenantId, failed('PERIOD_LOCKED'), 'PERIOD_LOCKED');
    const error = failure.data.error as {
      message: string;
      retryable: boolean;
      powerOffice: { status: number; detail: string };
    };
    expect(error.retryable).toBe(false);
    expect(error.powerOffice.status).toBe(400);
    expect(error.powerOffice.detail).toMatch(/lock date 2026-06-30/);
    expect(error.message).toContain(error.powerOffice.detail);
    expect(await world.state(shop.tenantId, 'kasse-4', 3)).toBe('failed');

    await world.emulator.admin.patchClient(shop.clientKey, { lockDate: null });
    await settlement.actions.resend(shop.tenantId, 'kasse-4', 3);
    await world.outcomes.waitFor(shop.tenantId, posted, 'SettlementPosted after the resend');
    expect((await books(shop.clientKey)).vouchers).toHaveLength(1);
  });

  it('numbers that disagree fail with IDENTITY_MISMATCH and the numbers, and nothing is posted', async () => {
    const shop = await world.onboardShop();
    clock.set(new Date());
    const report = smallDay('kasse-5', 1, '2026-03-14', 125000);
    report.payments[1]!.amount -= 500;
    await world.produce([world.zReportEvent(shop.tenantId, report)]);
    const failure = await world.outcomes.waitFor(shop.tenantId, failed('IDENTITY_MISMATCH'), 'IDENTITY_MISMATCH');
    expect((failure.data.error as { details: unknown }).details).toEqual([
      expect.objectContaining({ kind: 'PAYMENT_IDENTITY', payments: 124500, sales: 125000, difference: -500 }),
    ]);
    expect((failure.data.error as { message: string }).message).toMatch(/1 245,00 ≠ sales 1 250,00/);
    expect(await world.state(shop.tenantId, 'kasse-5', 1)).toBe('failed');
    expect((await books(shop.clientKey)).vouchers).toHaveLength(0);
  });

  it('after a crashed poster, the voucher it created is found by its reference instead of posted twice', async () => {
    const shop = await world.onboardShop({ schedule: { mode: 'at', time: '02:00' } });
    clock.set('2026-03-14T23:00:00+01:00');
    await world.produce([
      world.zReportEvent(shop.tenantId, smallDay('kasse-6', 5, '2026-03-14', 99000, '2026-03-14T22:00:00+01:00')),
    ]);
    await world.outcomes.waitFor(shop.tenantId, (o) => o.type === 'SettlementScheduled', 'SettlementScheduled');

    // The crashed poster got as far as PowerOffice, then died before recording anything.
    const [{ voucher }] = await world.db.query(
      `SELECT voucher FROM settlement.reports WHERE tenant_id = $1 AND register_id = 'kasse-6' AND z_number = 5`,
      [shop.tenantId],
    );
    const client = await world.tenants.clientFor(shop.tenantId, 'settlement');
    const created = await client.cashJournals.create({
      voucherDate: voucher.voucherDate,
      currencyCode: 'NOK',
      externalImportReference: voucher.externalImportReference,
      voucherLines: voucher.lines.map((l: { accountId: number; vatId: number; amount: number }) => ({
        accountId: l.accountId,
        vatId: l.vatId,
        currencyAmount: l.amount,
        postingDate: voucher.voucherDate,
      })),
    });
    await world.db.query(
      `UPDATE settlement.reports SET state = 'posting', claim_id = $2, lease_until = '2026-03-15T02:05:00+01:00', attempts = 1
        WHERE tenant_id = $1 AND register_id = 'kasse-6' AND z_number = 5`,
      [shop.tenantId, randomUUID()],
    );

    // Before the lease runs out nobody touches it; after, the next poster looks it up and records it.
    await settlement.poster.postDue(new Date('2026-03-15T02:04:00+01:00'));
    expect(await world.state(shop.tenantId, 'kasse-6', 5)).toBe('posting');
    const run = await settlement.poster.postDue(new Date('2026-03-15T02:06:00+01:00'));
    expect(run.recovered).toBeGreaterThanOrEqual(1);
    const outcome = await world.outcomes.waitFor(shop.tenantId, posted, 'SettlementPosted');
    expect(outcome.data.powerOffice).toEqual({ voucherId: created.id, voucherNo: created.voucherNo });
    expect((await books(shop.clientKey)).vouchers).toHaveLength(1);
  });

  it('PowerOffice unavailable: backs off and tries again; when the attempts are used up, RETRIES_EXHAUSTED', async () => {
    const shop = await world.onboardShop({ schedule: { mode: 'at', time: '03:00' } });
    clock.set('2026-03-14T23:00:00+01:00');
    await world.produce([
      world.zReportEvent(shop.tenantId, smallDay('kasse-8', 2, '2026-03-14', 50000, '2026-03-14T22:00:00+01:00')),
    ]);
    await world.outcomes.waitFor(shop.tenantId, (o) => o.type === 'SettlementScheduled', 'SettlementScheduled');
    await world.emulator.admin.setFaults({ outageMs: 600_000, clientKey: shop.clientKey });
    try {
      await settlement.poster.postDue(new Date('2026-03-15T03:00:00+01:00'));
      const [row] = await world.statusRows(shop.tenantId);
      expect(row).toMatchObject({ state: 'scheduled', error_code: null });
      expect(row!.error_message).toMatch(/^Attempt 1 failed; trying again at 2026-03-15T02:01:00\.000Z/);

      // Too early for the next attempt: nothing happens.
      await settlement.poster.postDue(new Date('2026-03-15T03:00:30+01:00'));
      expect(world.outcomes.of(shop.tenantId).filter((o) => o.type === 'SettlementFailed')).toHaveLength(0);

      await settlement.poster.postDue(new Date('2026-03-15T03:01:00+01:00'));
      const failure = await world.outcomes.waitFor(shop.tenantId, failed('RETRIES_EXHAUSTED'), 'RETRIES_EXHAUSTED');
      expect((failure.data.error as { message: string }).message).toMatch(/after 2 attempt\(s\)/);
      expect(await world.state(shop.tenantId, 'kasse-8', 2)).toBe('failed');
    } finally {
      await world.emulator.admin.clearFaults();
    }
    await settlement.actions.resend(shop.tenantId, 'kasse-8', 2);
    await world.outcomes.waitFor(shop.tenantId, posted, 'SettlementPosted after the resend');
    expect((await books(shop.clientKey)).vouchers).toHaveLength(1);
  });

  it('a register that posted before but sent nothing for a day is reported once as SETTLEMENT_MISSING', async () => {
    const shop = await world.onboardShop({ schedule: { mode: 'at', time: '02:00' } });
    clock.set('2026-04-20T23:00:00+02:00');
    await world.produce([
      world.zReportEvent(shop.tenantId, smallDay('kasse-9', 1, '2026-04-10')),
      world.zReportEvent(shop.tenantId, smallDay('kasse-9', 2, '2026-04-11')),
      world.zReportEvent(shop.tenantId, smallDay('kasse-9', 3, '2026-04-13')),
    ]);
    await world.consumed();

    // The morning check of the 14th: the 13th is there, the 12th never came.
    const found = await settlement.missing.checkMissing(new Date('2026-04-14T06:30:00+02:00'));
    expect(found.filter((d) => d.tenantId === shop.tenantId)).toEqual([
      {
        tenantId: shop.tenantId,
        registerId: 'kasse-9',
        businessDate: '2026-04-12',
        lastReceived: { zNumber: 2, businessDate: '2026-04-11' },
      },
    ]);
    const outcome = await world.outcomes.waitFor(shop.tenantId, failed('SETTLEMENT_MISSING'), 'SETTLEMENT_MISSING');
    expect(outcome.key).toBe(`${shop.tenantId}:kasse-9:3`);
    expect(outcome.data).toMatchObject({ registerId: 'kasse-9', zNumber: 3, businessDate: '2026-04-12' });

    // Once per register-day, however often the check runs.
    const again = await settlement.missing.checkMissing(new Date('2026-04-14T07:00:00+02:00'));
    expect(again.filter((d) => d.tenantId === shop.tenantId)).toEqual([]);
    const rows = await world.statusRows(shop.tenantId);
    expect(rows.filter((r) => r.state === 'missing')).toEqual([
      expect.objectContaining({
        register_id: 'kasse-9',
        z_number: null,
        business_date: '2026-04-12',
        error_code: 'SETTLEMENT_MISSING',
      }),
    ]);
    await world.consumed();
    expect(world.outcomes.of(shop.tenantId).filter(failed('SETTLEMENT_MISSING'))).toHaveLength(1);
  });
});
