import { ExternalClient, TEST_SCHEMA } from './testing/test-flow';
import { PipelineTestBed, RunningFlow } from './testing/test-bed';
import type { ResyncProgress } from './replay/resync';

describe('resync: replay one tenant through the same handlers', () => {
  let bed: PipelineTestBed;
  let flow: RunningFlow;
  const ids = ['1', '2', '3', '4', '5'];

  beforeAll(async () => {
    bed = await PipelineTestBed.create('resync');
    flow = await bed.startFlow();
  });
  afterAll(async () => bed?.close());

  it('touches only the tenant asked for, changes only what drifted, and a second run changes nothing', async () => {
    const [a, b, c] = ['a', 'b', 'c'].map((n) => bed.tenant(n));
    for (const t of [a, b, c]) bed.tenants.add(t);
    const events = [a, b, c].flatMap((t) => ids.map((i) => bed.customerChanged(t, `${t.slice(-1)}${i}`)));
    await bed.produce(events);
    await bed.settled();
    expect(await bed.outcomes()).toHaveLength(15);

    // Someone renamed one customer and deleted another directly in the external system.
    await bed.db.query(
      `UPDATE ${TEST_SCHEMA}.external_objects SET name = 'Renamed by hand' WHERE tenant_id = $1 AND reference LIKE '%:a1'`,
      [a],
    );
    await bed.db.query(`DELETE FROM ${TEST_SCHEMA}.external_objects WHERE tenant_id = $1 AND reference LIKE '%:a2'`, [
      a,
    ]);
    const callsBefore = (customerId: string) => bed.faults.callsOf(customerId);
    const otherTenantCalls = ['b1', 'b5', 'c3'].map(callsBefore);

    const writesBefore = ExternalClient.writes;
    const progress: ResyncProgress[] = [];
    const dry = await flow.runtime.resync({
      tenantId: a,
      since: new Date(0),
      dryRun: true,
      onProgress: (p) => progress.push(p),
    });
    expect(dry).toMatchObject({
      mode: 'dry-run',
      tenantId: a,
      seen: 5,
      changed: 2,
      unchanged: 3,
      failed: 0,
      aborted: false,
    });
    expect(
      dry.changes.map((ch) => ch.change).sort((x, y) => JSON.stringify(x).localeCompare(JSON.stringify(y))),
    ).toEqual([
      { action: 'created', name: 'Customer a2' },
      { action: 'updated', name: 'Customer a1' },
    ]);
    expect(progress).toHaveLength(5);
    expect(progress[4]).toMatchObject({ seen: 5, changed: 2 });
    expect(ExternalClient.writes).toBe(writesBefore); // a dry run writes nothing
    expect((await bed.externalObjects(a)).find((o) => o.reference.endsWith(':a1'))?.name).toBe('Renamed by hand');

    const replay = await flow.runtime.resync({ tenantId: a, since: new Date(0) });
    expect(replay).toMatchObject({ mode: 'replay', seen: 5, changed: 2, unchanged: 3, failed: 0 });
    expect((await bed.externalObjects(a)).map((o) => o.name).sort()).toEqual(ids.map((i) => `Customer a${i}`));
    await bed.settled();
    const outcomes = await bed.outcomes();
    expect(outcomes).toHaveLength(17); // the live 15, plus one per changed event, with new ids
    expect(new Set(outcomes.map((o) => o.id)).size).toBe(17);
    const fromReplay = outcomes.filter((o) => o.time >= replay.startedAt);
    expect(fromReplay.map((o) => [o.tenantId, (o.data as { action: string }).action]).sort()).toEqual([
      [a, 'created'],
      [a, 'updated'],
    ]);

    const again = await flow.runtime.resync({ tenantId: a, since: new Date(0) });
    expect(again).toMatchObject({ seen: 5, changed: 0, unchanged: 5, failed: 0 });
    await bed.settled();
    expect(await bed.outcomes()).toHaveLength(17);

    // Other tenants were never run through the handler again.
    expect(['b1', 'b5', 'c3'].map(callsBefore)).toEqual(otherTenantCalls);
    expect(await bed.externalObjects(b)).toHaveLength(5);
  });

  it('starts at the given time', async () => {
    const t = bed.tenant('late');
    bed.tenants.add(t);
    await bed.produce([bed.customerChanged(t, 'old1'), bed.customerChanged(t, 'old2')]);
    await bed.settled();
    await new Promise((r) => setTimeout(r, 50));
    const since = new Date();
    await new Promise((r) => setTimeout(r, 50));
    await bed.produce([bed.customerChanged(t, 'new1')]);
    await bed.settled();

    const summary = await flow.runtime.resync({ tenantId: t, since, dryRun: true });
    expect(summary).toMatchObject({ seen: 1, changed: 0, unchanged: 1 });
  });

  it('refuses a tenant id that is not one, and topics the flow does not consume', async () => {
    await expect(flow.runtime.resync({ tenantId: 'no spaces', since: new Date(0) })).rejects.toThrow(/not a tenant id/);
    await expect(flow.runtime.resync({ tenantId: 'a', since: new Date(0), topics: ['invoicePosted'] })).rejects.toThrow(
      /does not consume/,
    );
  });
});
