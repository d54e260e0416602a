import type { EntityManager } from 'typeorm';
import { StoredHeaders } from '../record';

/** A Kafka record waiting in pipeline.outbox: an outcome event or a dead letter. */
export interface OutboxRecord {
  topic: string;
  key: Buffer | string | null;
  value: Buffer | string | null;
  headers: StoredHeaders;
}

const COLUMNS_PER_ROW = 4;

/**
 * Queues records for publishing, inside the caller's transaction: they become visible to the relay
 * exactly when the effects they report are committed, and vanish with them on a rollback.
 */
export async function enqueueRecords(tx: EntityManager, records: readonly OutboxRecord[]): Promise<void> {
  if (records.length === 0) return;
  const params: unknown[] = [];
  const rows = records.map((r, i) => {
    const b = i * COLUMNS_PER_ROW;
    params.push(r.topic, toBytes(r.key), toBytes(r.value), JSON.stringify(r.headers));
    return `($${b + 1}, $${b + 2}, $${b + 3}, $${b + 4}::jsonb)`;
  });
  await tx.query(`INSERT INTO pipeline.outbox (topic, key, value, headers) VALUES ${rows.join(', ')}`, params);
}

function toBytes(v: Buffer | string | null): Buffer | null {
  return v === null ? null : Buffer.isBuffer(v) ? v : Buffer.from(v, 'utf8');
}
