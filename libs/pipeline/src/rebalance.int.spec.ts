import { PipelineTestBed, waitUntil } from './testing/test-bed';

describe('two instances of a flow in one group', () => {
  let bed: PipelineTestBed;
  beforeAll(async () => {
    bed = await PipelineTestBed.create('rebalance', 6);
  });
  afterAll(async () => bed?.close());

  it('share the partitions and still answer every event once through joins and leaves', async () => {
    const tenants = ['x', 'y', 'z'].map((n) => bed.tenant(n));
    for (const t of tenants) bed.tenants.add(t);
    const events = tenants.flatMap((t) => Array.from({ length: 80 }, (_, i) => bed.customerChanged(t, `k${i}`)));
    await bed.produce(events);
    bed.faults.delayMs = 15;
    const processed = async () => {
      const [{ n }] = await bed.db.query(`SELECT count(*)::int AS n FROM pipeline.inbox WHERE consumer_group = $1`, [
        bed.groupId(),
      ]);
      return n as number;
    };

    const first = await bed.startFlow({ partitionsConsumedConcurrently: 3, commitIntervalMs: 200 });
    await waitUntil(async () => (await processed()) >= 40, 'the first instance to get going');
    const second = await bed.startFlow({ partitionsConsumedConcurrently: 3, commitIntervalMs: 200 });
    await waitUntil(
      async () => (await processed()) >= 120 && second.runtime.health().up === true,
      'both instances to work',
    );
    const assigned = second.runtime.health().assigned as Record<string, number[]>;
    expect(assigned[bed.inputTopic]?.length ?? 0).toBeGreaterThan(0);
    await first.stop(); // its partitions move to the second instance mid-stream
    await bed.settled();

    const outcomes = await bed.outcomes();
    expect(outcomes).toHaveLength(events.length);
    expect(new Set(outcomes.map((o) => o.causationId)).size).toBe(events.length);
    const objects = await bed.externalObjects();
    expect(objects).toHaveLength(events.length);
    expect(new Set(objects.map((o) => `${o.tenant_id}/${o.reference}`)).size).toBe(events.length);
    expect(await processed()).toBe(events.length);
  });
});
