import { SettlementWorld, smallDay, TestClock, waitFor, type Shop } from './settlement-world';

/**
 * A night's backlog posted by two instances of the app at once (one consumer group, one database):
 * every settlement is posted exactly once, whichever instance takes it.
 */

const TENANTS = 50;
let world: SettlementWorld;

beforeAll(async () => {
  world = await SettlementWorld.create('two-posters');
});

afterAll(async () => {
  await world?.close();
});

it(`two instances post ${TENANTS} tenants' Z-reports together without a duplicate`, async () => {
  const clock = new TestClock(new Date('2026-03-14T23:30:00+01:00'));
  const shops: Shop[] = [];
  for (let i = 0; i < TENANTS; i++) shops.push(await world.onboardShop({ schedule: { mode: 'at', time: '02:00' } }));
  const [a, b] = [await world.startApp({ clock }), await world.startApp({ clock })];

  await world.produce(
    shops.map((s, i) =>
      world.zReportEvent(
        s.tenantId,
        smallDay('kasse-1', 100 + i, '2026-03-14', 10000 + i * 100, '2026-03-14T22:00:00+01:00'),
      ),
    ),
  );
  await waitFor(
    () =>
      shops.every((s) => world.outcomes.of(s.tenantId).some((o) => o.type === 'SettlementScheduled'))
        ? true
        : undefined,
    `${TENANTS} SettlementScheduled`,
    60_000,
  );

  // Some latency, so both posters are busy at the same time rather than one finishing first.
  await world.emulator.admin.setFaults({ latencyMs: 15 });
  try {
    const night = new Date('2026-03-15T02:00:00+01:00');
    const [ra, rb] = await Promise.all([a.poster.postDue(night), b.poster.postDue(night)]);
    expect(ra.posted + rb.posted).toBe(TENANTS);
    expect(ra.failed + rb.failed + ra.retrying + rb.retrying).toBe(0);
  } finally {
    await world.emulator.admin.clearFaults();
  }

  await waitFor(
    () =>
      shops.every((s) => world.outcomes.of(s.tenantId).some((o) => o.type === 'SettlementPosted')) ? true : undefined,
    `${TENANTS} SettlementPosted`,
    60_000,
  );
  for (const [i, shop] of shops.entries()) {
    const state = await world.emulator.admin.state(shop.clientKey);
    expect(state.vouchers).toHaveLength(1);
    const postedOutcomes = world.outcomes.of(shop.tenantId).filter((o) => o.type === 'SettlementPosted');
    expect(postedOutcomes).toHaveLength(1);
    expect(postedOutcomes[0]!.data).toMatchObject({
      zNumber: 100 + i,
      powerOffice: { voucherId: state.vouchers[0]!.Id },
      totals: { debit: 10000 + i * 100, credit: 10000 + i * 100 },
    });
    expect(await world.state(shop.tenantId, 'kasse-1', 100 + i)).toBe('posted');
  }
});
