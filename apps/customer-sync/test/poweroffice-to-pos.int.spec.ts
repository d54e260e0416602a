import { Envelope } from '@lib/contracts';
import { powerOfficeChangeEventId } from '../src/domain/poweroffice-customer-changed';
import { POLL_LOCK_SPACE } from '../src/poll-watermark.repository';
import { CustomerSyncWorld } from './customer-sync-app';
import { describeRequests, testDatabase, waitFor } from './flow-harness';

type Change = Envelope<Record<string, unknown>>;
const poIdOf = (c: Change) => (c.data.powerOffice as { customerId: number }).customerId;

/**
 * PowerOffice → Open One: the poll publishes PowerOffice-side changes as PowerOfficeCustomerChanged
 * (real broker, PostgreSQL, emulator), never our own writes, never twice, and resumes from its
 * watermark after a restart. Pages of 2 customers, so every round here pages.
 */
describe('customer-sync: PowerOffice → Open One', () => {
  let w: CustomerSyncWorld;

  beforeAll(async () => {
    w = await CustomerSyncWorld.start('cs-poll', { CUSTOMER_POLL_PAGE_SIZE: '2' });
  });
  afterAll(async () => w?.close());

  const changesOf = (poId: number) => w.changes.records.filter((c) => poIdOf(c) === poId);
  const waitForChange = (poId: number, changedAt: string) =>
    waitFor(
      () => w.changes.records.find((c) => poIdOf(c) === poId && c.data.changedAt === changedAt),
      `the change of ${poId} at ${changedAt}`,
    );

  it('does not echo our own write; publishes a later PowerOffice-side edit with the POS id; the POS echo of it costs nothing', async () => {
    const created = await w.send(
      w.customerChanged({ customerId: 'c-echo', name: 'Echo AS', phone: '+47 11 00 00 00' }),
    );
    const poId = (created.outcome.data.powerOffice as { customerId: number }).customerId;

    const first = await w.poll.pollTenant(w.tenantId);
    expect(first).toMatchObject({ status: 'polled', published: 0 });
    expect(first.echoesSuppressed).toBeGreaterThanOrEqual(1);

    // The accountant changes the phone number in PowerOffice Go.
    const edited = await w.world.accountant.customers.applyPatch(poId, [
      { op: 'replace', path: '/phoneNumber', value: '+47 99 00 00 00' },
    ]);
    const second = await w.poll.pollTenant(w.tenantId);
    expect(second).toMatchObject({ status: 'polled', published: 1 });

    const change = await waitForChange(poId, edited.lastChangedDateTimeOffset!);
    expect(change).toMatchObject({
      id: powerOfficeChangeEventId(w.tenantId, poId, edited.lastChangedDateTimeOffset!),
      type: 'PowerOfficeCustomerChanged',
      source: 'open-one-poweroffice/customer-sync',
      key: `${w.tenantId}:${poId}`,
      data: {
        customerId: 'c-echo',
        powerOffice: { customerId: poId, customerNumber: edited.number },
        name: 'Echo AS',
        phone: '+47 99 00 00 00',
        active: true,
      },
    });
    // Only the PowerOffice-side edit went out: the create (our write) was never echoed.
    expect(changesOf(poId)).toHaveLength(1);
    expect(await w.mapping('c-echo')).toMatchObject({ po_edited_at: edited.lastChangedDateTimeOffset });

    // Open One applies it and sends the customer back as it now is: nothing to do in PowerOffice.
    const echo = await w.send(w.customerChanged({ customerId: 'c-echo', name: 'Echo AS', phone: '+47 99 00 00 00' }));
    expect(echo.outcome.data).toMatchObject({ action: 'unchanged' });
    expect(describeRequests(echo.requests)).toEqual([]);

    // A POS change made before the PowerOffice edit arrives late: the later writer (PowerOffice) wins.
    const late = await w.send(
      w.customerChanged({
        customerId: 'c-echo',
        name: 'Echo AS',
        phone: '+47 55 00 00 00',
        changedAt: '2020-01-01T00:00:00Z',
      }),
    );
    expect(late.outcome.data).toMatchObject({ action: 'unchanged' });
    expect(late.requests).toEqual([]);

    expect(await w.poll.pollTenant(w.tenantId)).toMatchObject({ published: 0 });
    expect(changesOf(poId)).toHaveLength(1);
  });

  it('publishes a customer entered in PowerOffice Go without a POS id', async () => {
    const manual = await w.world.accountant.customers.create({ name: 'Manuell AS', organizationNumber: '933333333' });
    expect(await w.poll.pollTenant(w.tenantId)).toMatchObject({ published: 1 });
    const change = await waitForChange(manual.id, manual.lastChangedDateTimeOffset!);
    expect(change.data).toMatchObject({
      powerOffice: { customerId: manual.id, customerNumber: manual.number },
      name: 'Manuell AS',
      organizationNumber: '933333333',
    });
    expect(change.data).not.toHaveProperty('customerId');
  });

  it('after a restart it resumes from the stored watermark: nothing missed, nothing repeated', async () => {
    const before = w.changes.records.length;
    const [watermarkBefore] = await w.db.query(
      `SELECT watermark FROM customer_sync.poll_watermarks WHERE tenant_id = $1`,
      [w.tenantId],
    );
    expect(watermarkBefore.watermark).toEqual(expect.any(String));

    await w.stopApp();
    // While the app is down, PowerOffice changes.
    const a = await w.world.accountant.customers.create({ name: 'Mens nede AS' });
    const b = await w.world.accountant.customers.create({ name: 'Også nede AS' });
    const a2 = await w.world.accountant.customers.applyPatch(a.id, [
      { op: 'replace', path: '/emailAddress', value: 'post@nede.example' },
    ]);
    await w.startApp();

    expect(await w.poll.pollTenant(w.tenantId)).toMatchObject({ status: 'polled', published: 2 });
    await waitForChange(a.id, a2.lastChangedDateTimeOffset!);
    await waitForChange(b.id, b.lastChangedDateTimeOffset!);
    // A second round (reading the overlap window again) adds nothing.
    expect(await w.poll.pollTenant(w.tenantId)).toMatchObject({ published: 0 });

    const added = w.changes.records.slice(before);
    expect(added.map((c) => poIdOf(c)).sort()).toEqual([a.id, b.id].sort());
    // Across the whole run every PowerOffice version was published exactly once.
    const versions = w.changes.records.map((c) => `${poIdOf(c)}@${String(c.data.changedAt)}`);
    expect(new Set(versions).size).toBe(versions.length);
  });

  it('a change the lagging read replica hides from one round is published by the next', async () => {
    const hidden = await w.world.accountant.customers.create({ name: 'Forsinket AS' });
    await w.world.emulator.admin.setFaults({ listLagMs: 60_000, clientKey: w.world.clientKey });
    try {
      expect(await w.poll.pollTenant(w.tenantId)).toMatchObject({ published: 0 });
    } finally {
      await w.world.emulator.admin.clearFaults();
    }
    expect(await w.poll.pollTenant(w.tenantId)).toMatchObject({ published: 1 });
    await waitForChange(hidden.id, hidden.lastChangedDateTimeOffset!);
  });

  it('pages through many changes and spends only the customer lane of the API budget', async () => {
    const created = [];
    for (let i = 0; i < 5; i++) created.push(await w.world.accountant.customers.create({ name: `Side ${i} AS` }));
    const mark = await w.requests.mark();
    expect(await w.poll.pollTenant(w.tenantId)).toMatchObject({ published: 5 });
    const pages = (await w.requests.since(mark)).filter((r) => r.method === 'GET' && /\/Customers$/i.test(r.path));
    // 5 changes (and whatever the overlap re-reads) in pages of 2.
    expect(pages.length).toBeGreaterThanOrEqual(3);
    for (const c of created) await waitForChange(c.id, c.lastChangedDateTimeOffset!);

    const lanes = await waitFor(async () => {
      const rows: { lane: string }[] = await w.db.query(
        `SELECT DISTINCT lane FROM poweroffice.api_calls WHERE tenant_id = $1 AND path_template = '/Customers' AND method = 'GET'`,
        [w.tenantId],
      );
      return rows.length > 0 ? rows.map((r) => r.lane) : undefined;
    }, 'the recorded calls of the poll');
    expect(lanes).toEqual(['customer']);
  });

  it('two instances never poll one tenant at once', async () => {
    // Another instance holds the tenant's poll lock.
    const other = await testDatabase();
    const runner = other.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    try {
      await runner.query(`SELECT pg_advisory_xact_lock($1, hashtext($2))`, [POLL_LOCK_SPACE, w.tenantId]);
      expect(await w.poll.pollTenant(w.tenantId)).toEqual({ tenantId: w.tenantId, status: 'busy' });
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
      await other.destroy();
    }
    expect(await w.poll.pollTenant(w.tenantId)).toMatchObject({ status: 'polled' });
  });
});
