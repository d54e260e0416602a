import type { Admin, EachBatchPayload, Kafka } from 'kafkajs';
import { SourceRecord, sourceRecord } from '../record';

/** Offsets [start, end) of one partition. */
export interface PartitionRange {
  topic: string;
  partition: number;
  start: string;
  end: string;
}

/**
 * The ranges to read: from the first record at or after `since` (or the oldest retained record) up
 * to the high watermark as it is NOW, so a read of a busy topic ends instead of chasing new records.
 */
export async function rangesSince(admin: Admin, topics: readonly string[], since?: Date): Promise<PartitionRange[]> {
  const ranges: PartitionRange[] = [];
  for (const topic of topics) {
    const ends = await admin.fetchTopicOffsets(topic);
    const starts = since ? await admin.fetchTopicOffsetsByTimestamp(topic, since.getTime()) : undefined;
    for (const end of ends) {
      const byTime = starts?.find((s) => s.partition === end.partition)?.offset;
      // No record at or after `since`: the broker answers with the end (or -1).
      const start = byTime !== undefined && BigInt(byTime) >= 0n ? byTime : since ? end.high : end.low;
      const from = BigInt(start) > BigInt(end.low) ? start : end.low;
      ranges.push({ topic, partition: end.partition, start: from, end: end.high });
    }
  }
  return ranges;
}

export interface ReadOptions {
  /** A consumer group of its own, deleted afterwards; it never commits offsets. */
  groupId: string;
  ranges: readonly PartitionRange[];
  /** Called for each record in order per partition; `heartbeat` keeps the reader in its group. */
  onRecord: (record: SourceRecord, heartbeat: () => Promise<void>) => Promise<void>;
  signal?: AbortSignal;
}

/**
 * Reads fixed offset ranges once, in order per partition, with a throwaway consumer group (kafkajs
 * has no group-less assign). Resolves when every range has been read, or when `signal` aborts.
 */
export async function readRanges(kafka: Kafka, options: ReadOptions): Promise<void> {
  const pending = new Map<string, PartitionRange>();
  for (const r of options.ranges) if (BigInt(r.start) < BigInt(r.end)) pending.set(slot(r.topic, r.partition), r);
  if (pending.size === 0) return;

  const consumer = kafka.consumer({ groupId: options.groupId, maxWaitTimeInMs: 500, allowAutoTopicCreation: false });
  let ended = false;
  let finish!: () => void;
  let fail!: (err: unknown) => void;
  const finished = new Promise<void>((resolve, reject) => {
    finish = () => {
      ended = true;
      resolve();
    };
    fail = (err) => {
      ended = true;
      reject(err);
    };
  });
  const onAbort = () => finish();
  options.signal?.addEventListener('abort', onAbort, { once: true });

  try {
    await consumer.connect();
    consumer.on(consumer.events.CRASH, (e) => {
      if (!e.payload.restart) fail(e.payload.error);
    });
    await consumer.subscribe({ topics: [...new Set(options.ranges.map((r) => r.topic))], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: 1,
      eachBatch: async (payload) => {
        try {
          await readBatch(payload);
        } catch (err) {
          // Ends the read with the error (e.g. PostgreSQL down during a resync) instead of letting
          // kafkajs retry the batch behind the caller's back.
          fail(err);
        }
      },
    });
    for (const r of pending.values()) consumer.seek({ topic: r.topic, partition: r.partition, offset: r.start });
    await finished;
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    await consumer.disconnect().catch(() => undefined);
    await deleteGroup(kafka, options.groupId);
  }

  async function readBatch({ batch, heartbeat, resolveOffset, isRunning, isStale }: EachBatchPayload): Promise<void> {
    const key = slot(batch.topic, batch.partition);
    const range = pending.get(key);
    if (!range) {
      // Nothing (more) to read here: stop fetching the partition.
      consumer.pause([{ topic: batch.topic, partitions: [batch.partition] }]);
      return;
    }
    const end = BigInt(range.end);
    let complete = false;
    for (const message of batch.messages) {
      if (ended || !isRunning() || isStale() || options.signal?.aborted) return;
      const offset = BigInt(message.offset);
      if (offset < BigInt(range.start)) {
        // Fetched before the seek took effect; resolved so the next fetch moves on.
        resolveOffset(message.offset);
        continue;
      }
      if (offset >= end) {
        complete = true;
        break;
      }
      await options.onRecord(sourceRecord(batch.topic, batch.partition, message), heartbeat);
      resolveOffset(message.offset);
      if (offset + 1n >= end) complete = true;
    }
    // Transaction markers and compaction leave gaps: the batch's last offset says how far it got.
    if (complete || BigInt(batch.lastOffset()) + 1n >= end) {
      pending.delete(key);
      consumer.pause([{ topic: batch.topic, partitions: [batch.partition] }]);
      if (pending.size === 0) finish();
    }
  }
}

async function deleteGroup(kafka: Kafka, groupId: string): Promise<void> {
  const admin = kafka.admin();
  try {
    await admin.connect();
    await admin.deleteGroups([groupId]);
  } catch {
    // An empty group without offsets expires on its own; nothing to clean up urgently.
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

function slot(topic: string, partition: number): string {
  return `${topic}\u0000${partition}`;
}
