import { FlowRuntime } from '@lib/pipeline';
import { CustomerSyncWorld } from './customer-sync-app';
import { describeRequests, waitFor, writes } from './flow-harness';

/**
 * An operator's resync through the same handler: the dry run reads PowerOffice and reports what
 * differs without writing; the replay writes only that; a second replay writes nothing.
 */
describe('customer-sync: replay and dry run', () => {
  let w: CustomerSyncWorld;

  beforeAll(async () => {
    w = await CustomerSyncWorld.start('cs-resync');
  });
  afterAll(async () => w?.close());

  it('repairs drift the poll cannot see, writing only what differs', async () => {
    const address = { line1: 'Storgata 1', postalCode: '0155', city: 'Oslo', countryCode: 'NO' };
    const a = await w.send(w.customerChanged({ customerId: 'c-a', name: 'Drift AS', address }));
    await w.send(w.customerChanged({ customerId: 'c-b', name: 'Stabil AS', phone: '+47 1' }));
    const b = await w.send(w.customerChanged({ customerId: 'c-b', name: 'Stabil AS', phone: '+47 2' }));
    const poA = (a.outcome.data.powerOffice as { customerId: number }).customerId;
    const poB = (b.outcome.data.powerOffice as { customerId: number }).customerId;

    // Edited in PowerOffice Go: only the address, which does not move the customer's LastChanged,
    // so no poll ever reports it.
    const before = await w.world.accountant.customers.get(poA);
    const drifted = await w.world.accountant.customers.applyPatch(poA, [
      { op: 'replace', path: '/mailAddress/city', value: 'Drammen' },
    ]);
    expect(drifted.lastChangedDateTimeOffset).toBe(before.lastChangedDateTimeOffset);

    const runtime = w.app.get(FlowRuntime);
    let mark = await w.requests.mark();
    const dry = await runtime.resync({ tenantId: w.tenantId, since: new Date(0), dryRun: true });
    const dryRequests = await w.requests.since(mark);
    expect(dry).toMatchObject({ mode: 'dry-run', seen: 3, changed: 1, unchanged: 2, failed: 0 });
    expect(dry.changes[0]).toMatchObject({
      eventId: a.outcome.causationId,
      change: { action: 'updated', operations: [{ op: 'replace', path: '/mailAddress/city', value: 'Oslo' }] },
    });
    // One GET per customer's latest version (c-b's first version is older: no call), no write.
    expect(describeRequests(dryRequests).sort()).toEqual(
      [`GET /Customers/${poA} → 200`, `GET /Customers/${poB} → 200`].sort(),
    );
    expect(writes(dryRequests)).toEqual([]);
    expect((await w.world.accountant.customers.get(poA)).mailAddress).toMatchObject({ city: 'Drammen' });

    mark = await w.requests.mark();
    const replay = await runtime.resync({ tenantId: w.tenantId, since: new Date(0) });
    const replayRequests = await w.requests.since(mark);
    expect(replay).toMatchObject({ mode: 'replay', seen: 3, changed: 1, failed: 0 });
    expect(describeRequests(writes(replayRequests))).toEqual([`PATCH /Customers/${poA} → 200`]);
    expect((await w.world.accountant.customers.get(poA)).mailAddress).toMatchObject({ city: 'Oslo' });
    // The replay answers the changed event with an outcome of its own (a new id, same cause).
    const answers = await waitFor(() => {
      const all = w.outcomes.causedBy(a.outcome.causationId!);
      return all.length >= 2 ? all : undefined;
    }, 'the replay outcome');
    expect(answers.map((o) => o.data.action)).toEqual(['created', 'updated']);
    expect(new Set(answers.map((o) => o.id)).size).toBe(2);

    const again = await runtime.resync({ tenantId: w.tenantId, since: new Date(0) });
    expect(again).toMatchObject({ changed: 0, failed: 0 });
  });
});
