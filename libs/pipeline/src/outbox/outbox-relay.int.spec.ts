import { encodeEnvelope } from '@lib/contracts';
import { enqueueRecords, OutboxRecord } from './outbox';
import { OutboxRelay } from './outbox-relay';
import { PipelineTestBed, waitUntil } from '../testing/test-bed';

describe('outbox relay', () => {
  it('several relays publish every row exactly once, each key in order', async () => {
    const bed = await PipelineTestBed.create('relays');
    try {
      const rows: OutboxRecord[] = Array.from({ length: 1200 }, (_, i) => ({
        topic: bed.outcomeTopic,
        key: `k${i % 40}`,
        value: String(i),
        headers: { seq: String(i) },
      }));
      for (let i = 0; i < rows.length; i += 300)
        await bed.db.transaction((tx) => enqueueRecords(tx, rows.slice(i, i + 300)));
      const relays = [1, 2, 3].map(
        () => new OutboxRelay(bed.db, bed.kafka, bed.log, bed.metrics, { batchSize: 50, pollIntervalMs: 20 }),
      );
      await Promise.all(relays.map((r) => r.start()));
      await waitUntil(async () => {
        const [{ n }] = await bed.db.query(
          `SELECT count(*)::int AS n FROM pipeline.outbox WHERE topic = $1 AND published_at IS NULL`,
          [bed.outcomeTopic],
        );
        return n === 0;
      }, 'the outbox to drain');
      await Promise.all(relays.map((r) => r.stop()));

      const published = await bed.readTopic(bed.outcomeTopic);
      expect(published.map((r) => Number(r.value?.toString())).sort((a, b) => a - b)).toEqual(rows.map((_, i) => i));
      const byKey = new Map<string, number[]>();
      for (const r of published.sort((a, b) => a.partition - b.partition || Number(a.offset) - Number(b.offset))) {
        const key = r.key?.toString() ?? '';
        byKey.set(key, [...(byKey.get(key) ?? []), Number(r.value?.toString())]);
      }
      for (const seqs of byKey.values()) expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      expect(published.every((r) => r.headers.seq?.toString() === r.value?.toString())).toBe(true);
    } finally {
      await bed.close();
    }
  });

  it('sets aside a record the broker refuses, and the rows behind it still go out', async () => {
    const bed = await PipelineTestBed.create('refused', 3, { dlqMaxMessageBytes: 100_000 });
    try {
      const t = bed.tenant('big');
      bed.tenants.add(t);
      await bed.startFlow();
      const huge = bed.customerChanged(t, 'huge');
      const after = bed.customerChanged(t, 'after');
      // Too broken to decode (so it is dead-lettered), too big for the dead-letter topic.
      await bed.produceRaw([
        { ...encodeEnvelope(huge), value: `{"broken": "${'x'.repeat(200_000)}`, partition: 0 },
        { ...encodeEnvelope(after), partition: 0 },
      ]);
      await bed.settled();

      const outcomes = await bed.outcomes();
      // (Different keys, so possibly different partitions: compared without order.)
      expect(outcomes.map((o) => [o.causationId, o.type]).sort()).toEqual(
        [
          [huge.id, 'CustomerSyncFailed'],
          [after.id, 'CustomerSynced'],
        ].sort(),
      );
      const quarantined = await bed.db.query(
        `SELECT topic, publish_error FROM pipeline.outbox WHERE starts_with(topic, $1) AND quarantined_at IS NOT NULL`,
        [bed.prefix],
      );
      expect(quarantined).toEqual([
        { topic: bed.dlq, publish_error: expect.stringMatching(/larger than the max message size/) },
      ]);
      // (Which relay set it aside is open: every relay on this database serves every row, including
      // those of the tests running beside this one.)
    } finally {
      await bed.close();
    }
  });
});
