import type { DataSource, EntityManager } from 'typeorm';
import type { SourceRecord } from '../record';

export type InboxStatus = 'succeeded' | 'failed';

/** What the inbox remembers about an event a consumer group has already answered. */
export interface InboxEntry {
  status: InboxStatus;
  /** Times processed to an outcome: 1, plus one per reprocessing after a failure. */
  runs: number;
  topic: string;
  partition: number;
  offset: string;
}

export interface InboxRow {
  eventId: string;
  status: InboxStatus;
  eventType?: string;
  tenantId?: string;
  record: Pick<SourceRecord, 'topic' | 'partition' | 'offset'>;
  attempts: number;
  outcomeIds: string[];
  outcomeTypes: string[];
  errorCode?: string;
  errorMessage?: string;
}

/**
 * pipeline.inbox for one consumer group: which events are done, so a redelivery is recognised.
 *
 * Only success is final. A failed event is parked on the dead-letter topic; when the operator
 * redrives it (a record with the redrive header, from a new position) it is processed again, and its
 * outcome gets a fresh id. Any other second arrival — the same record after a crash before the
 * offset commit, or the producer sending the event twice — is a duplicate.
 */
export class Inbox {
  constructor(
    private readonly dataSource: DataSource,
    readonly consumerGroup: string,
  ) {}

  async find(eventId: string): Promise<InboxEntry | null> {
    const rows: { status: InboxStatus; runs: number; topic: string; partition: number; offset: string }[] =
      await this.dataSource.query(
        `SELECT status, runs, topic, partition, "offset" FROM pipeline.inbox WHERE consumer_group = $1 AND event_id = $2`,
        [this.consumerGroup, eventId],
      );
    return rows[0] ?? null;
  }

  /**
   * Records the event's end inside the transaction of its effects. `priorRuns` is what `find` saw
   * (0: no row). Returns false, and writes nothing, when another consumer recorded the event in
   * the meantime (two members processing one partition around a rebalance): the caller rolls back
   * so that only one of them produces the outcome.
   */
  async record(tx: EntityManager, row: InboxRow, priorRuns: number): Promise<boolean> {
    const written: unknown[] = await tx.query(
      `INSERT INTO pipeline.inbox AS i
         (consumer_group, event_id, status, runs, event_type, tenant_id, topic, partition, "offset",
          attempts, outcome_ids, outcome_types, error_code, error_message, processed_at, redriven_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, now(), NULL)
       ON CONFLICT (consumer_group, event_id) DO UPDATE SET
         status = EXCLUDED.status, runs = EXCLUDED.runs, event_type = EXCLUDED.event_type,
         tenant_id = EXCLUDED.tenant_id, topic = EXCLUDED.topic, partition = EXCLUDED.partition,
         "offset" = EXCLUDED."offset", attempts = EXCLUDED.attempts, outcome_ids = EXCLUDED.outcome_ids,
         outcome_types = EXCLUDED.outcome_types, error_code = EXCLUDED.error_code,
         error_message = EXCLUDED.error_message, processed_at = now(), redriven_at = NULL
       WHERE i.status = 'failed' AND i.runs = $15
       RETURNING 1`,
      [
        this.consumerGroup,
        row.eventId,
        row.status,
        priorRuns + 1,
        row.eventType ?? null,
        row.tenantId ?? null,
        row.record.topic,
        row.record.partition,
        row.record.offset,
        row.attempts,
        row.outcomeIds,
        row.outcomeTypes,
        row.errorCode ?? null,
        row.errorMessage?.replace(/\u0000/g, '') ?? null, // text columns cannot hold NUL
        priorRuns,
      ],
    );
    return written.length === 1;
  }
}

/** The very record the entry was written for, delivered again. */
export function isSameRecord(
  entry: Pick<InboxEntry, 'topic' | 'partition' | 'offset'>,
  record: Pick<SourceRecord, 'topic' | 'partition' | 'offset'>,
): boolean {
  return entry.topic === record.topic && entry.partition === record.partition && entry.offset === record.offset;
}
