import { encodeEnvelope } from '@lib/contracts';
import { PipelineTestBed, waitUntil } from './testing/test-bed';

describe('shutdown', () => {
  let bed: PipelineTestBed;
  beforeAll(async () => {
    bed = await PipelineTestBed.create('shutdown');
  });
  afterAll(async () => bed?.close());

  it('abandons a record waiting for its retry, commits what is done, and the restart finishes the rest once', async () => {
    const t = bed.tenant('s');
    bed.tenants.add(t);
    // A long Retry-After: the record is waiting when the flow is stopped.
    bed.faults.set('wait', { kind: 'transient', times: 1, retryAfterMs: 20_000 });
    const [done, waiting, after] = [
      bed.customerChanged(t, 'done'),
      bed.customerChanged(t, 'wait'),
      bed.customerChanged(t, 'after'),
    ];
    await bed.produceRaw([done, waiting, after].map((e) => ({ ...encodeEnvelope(e), partition: 2 })));

    const options = { retry: { maxElapsedMs: 120_000, initialDelayMs: 20, maxDelayMs: 200 } };
    const flow = await bed.startFlow(options);
    const answered = async () =>
      (await bed.db.query(`SELECT event_id FROM pipeline.inbox WHERE consumer_group = $1`, [bed.groupId()])).map(
        (r: { event_id: string }) => r.event_id,
      );
    await waitUntil(
      async () => bed.faults.callsOf('wait') === 1 && (await answered()).length === 1,
      'the second record to wait for its retry',
    );
    await flow.stop();

    expect(await answered()).toEqual([done.id]);
    const admin = bed.kafka.admin();
    await admin.connect();
    const [{ partitions }] = await admin.fetchOffsets({ groupId: bed.groupId(), topics: [bed.inputTopic] });
    await admin.disconnect();
    const doneOffset = (await bed.readTopic(bed.inputTopic)).find(
      (r) => r.partition === 2 && r.headers.ce_id?.toString() === done.id,
    )?.offset;
    expect(partitions.find((p) => p.partition === 2)?.offset).toBe(String(Number(doneOffset) + 1));
    expect(await bed.metricValue('pipeline_events_total', { result: 'abandoned' })).toBe(1);

    bed.faults.clear('wait');
    await bed.startFlow(options);
    await bed.settled();
    const outcomes = await bed.outcomes();
    expect(outcomes.map((o) => o.causationId).sort()).toEqual([done.id, waiting.id, after.id].sort());
    expect(bed.faults.callsOf('done')).toBe(1);
    expect(bed.faults.callsOf('wait')).toBe(2);
  });
});
