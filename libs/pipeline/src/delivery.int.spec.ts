import { PipelineTestBed, waitUntil } from './testing/test-bed';

async function lagOf(bed: PipelineTestBed): Promise<number[]> {
  const metric = (await bed.metricsService.registry.getMetricsAsJSON()).find((m) => m.name === 'pipeline_consumer_lag');
  return ((metric?.values ?? []) as { value: number; labels: Record<string, string | number> }[])
    .filter((v) => v.labels.topic === bed.inputTopic)
    .map((v) => v.value);
}

describe('delivery: one outcome per event, effectively-once effects', () => {
  let bed: PipelineTestBed;
  beforeAll(async () => {
    bed = await PipelineTestBed.create('delivery');
  });
  afterAll(async () => bed?.close());

  it('answers every event exactly once, and a full redelivery changes nothing', async () => {
    const [a, b] = [bed.tenant('a'), bed.tenant('b')];
    bed.tenants.add(a).add(b);
    const events = [
      ...Array.from({ length: 12 }, (_, i) => bed.customerChanged(a, `c${i}`)),
      ...Array.from({ length: 8 }, (_, i) => bed.customerChanged(b, `c${i}`)),
    ];
    await bed.produce(events);

    const flow = await bed.startFlow({ lagSampleIntervalMs: 300 });
    await bed.settled();
    // Lag is sampled from the broker: every partition caught up.
    await waitUntil(async () => {
      const lag = await lagOf(bed);
      return lag.length === 3 && lag.every((v) => v === 0);
    }, 'a lag of 0 on every partition');
    let outcomes = await bed.outcomes();
    expect(outcomes).toHaveLength(events.length);
    expect(new Set(outcomes.map((o) => o.causationId))).toEqual(new Set(events.map((e) => e.id)));
    for (const o of outcomes) {
      expect(o).toMatchObject({ type: 'CustomerSynced', source: 'open-one-poweroffice/test-customer-sync' });
      expect(o.data).toMatchObject({ action: 'created', sourceEventId: o.causationId, tenantId: o.tenantId });
    }
    expect(await bed.externalObjects()).toHaveLength(events.length);

    // Kafka redelivers everything (the group's offsets go back to the start).
    await flow.stop();
    const admin = bed.kafka.admin();
    await admin.connect();
    await admin.resetOffsets({ groupId: bed.groupId(), topic: bed.inputTopic, earliest: true });
    await admin.disconnect();
    await bed.startFlow();
    await bed.settled();

    outcomes = await bed.outcomes();
    expect(outcomes).toHaveLength(events.length);
    expect(await bed.externalObjects()).toHaveLength(events.length);
    expect(await bed.metricValue('pipeline_events_total', { result: 'duplicate', topic: bed.inputTopic })).toBe(
      events.length,
    );
    // Recognised before the handler: nothing was looked up or created again.
    expect(bed.faults.callsOf('c0')).toBe(2); // c0-c7 exist for both tenants: one call each
    expect(bed.faults.callsOf('c11')).toBe(1);
  });
});
