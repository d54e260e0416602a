import type { IHeaders, Kafka } from 'kafkajs';
import type { DataSource } from 'typeorm';
import { decodeEvent, dlqTopic, DLQ_HEADERS, isValidTenantId, parseKey } from '@lib/contracts';
import type { JsonLogger } from '@lib/platform';
import { isSameRecord } from '../inbox/inbox';
import { recordEventId } from '../processing/event-processor';
import { headerText, SourceRecord } from '../record';
import { rangesSince, readRanges } from '../replay/topic-range-reader';
import { DLQ_CONSUMER_GROUP_HEADER, isDeadLetterHeader, REDRIVE_HEADER } from './dead-letter';

/**
 * Where a dead letter stands, from the inbox of the group that parked it:
 *  - parked: the event's last processing failed with this very record; waiting for a fix + redrive;
 *  - redriven: sent back to its topic, not processed again yet;
 *  - resolved: the event has since been processed successfully;
 *  - superseded: the event was processed again after this record and failed anew (a newer dead
 *    letter stands for it).
 */
export type DeadLetterStatus = 'parked' | 'redriven' | 'resolved' | 'superseded';

export interface DeadLetter {
  /** Where the dead letter is. */
  dlq: { topic: string; partition: number; offset: string };
  /** Where the record was consumed from. */
  original: { topic: string; partition: number; offset: string };
  /** The event id the consumer used (the record's ce_id, or one derived from its position). */
  eventId: string;
  eventType?: string;
  tenantId?: string;
  key?: string;
  consumerGroup?: string;
  errorCode: string;
  errorMessage: string;
  attempts: number;
  failedAt: string;
  status: DeadLetterStatus;
}

export interface DeadLetterQuery {
  /** The original topic, full name (with any prefix), e.g. `pos.customer-changed.v1`. */
  topic: string;
  tenantId?: string;
}

export interface RedriveRequest extends DeadLetterQuery {
  /** Only these events; default every parked one (of the tenant, if given). */
  eventIds?: string[];
  /** Also resend dead letters already redriven but not yet processed again (a lost redrive). */
  includeRedriven?: boolean;
}

interface ParkedRecord {
  letter: DeadLetter;
  record: SourceRecord;
}

/**
 * Operator tools for `<topic>.dlq`: list the parked records with their current standing, and redrive
 * them (after onboarding a tenant, fixing a mapping, a PowerOffice outage) to the topic they came
 * from. The consumer then processes a redriven record again, because the inbox lets a failed event
 * through when it arrives from a new position, and answers it with a new outcome id.
 */
export class DeadLetters {
  constructor(
    private readonly kafka: Kafka,
    private readonly dataSource: DataSource,
    private readonly log: JsonLogger,
  ) {}

  async list(query: DeadLetterQuery): Promise<DeadLetter[]> {
    return (await this.read(query)).map((p) => p.letter);
  }

  /** Resends each selected parked event once (the newest dead letter of it) and marks it redriven. */
  async redrive(request: RedriveRequest): Promise<DeadLetter[]> {
    const wanted = request.eventIds ? new Set(request.eventIds) : undefined;
    const eligible = new Set<DeadLetterStatus>(request.includeRedriven ? ['parked', 'redriven'] : ['parked']);
    const byEvent = new Map<string, ParkedRecord>();
    for (const p of await this.read(request)) {
      if (!eligible.has(p.letter.status) || (wanted && !wanted.has(p.letter.eventId))) continue;
      byEvent.set(p.letter.eventId, p); // in offset order: the newest dead letter of an event wins
    }
    const chosen = [...byEvent.values()];
    if (chosen.length === 0) return [];

    const producer = this.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    try {
      await producer.send({
        topic: request.topic,
        acks: -1,
        messages: chosen.map(({ record }) => ({
          key: record.key,
          value: record.value,
          headers: { ...withoutDeadLetterHeaders(record.headers), [REDRIVE_HEADER]: new Date().toISOString() },
        })),
      });
    } finally {
      await producer.disconnect();
    }
    // After the send, not before: a crash in between leaves them "parked", and a second redrive
    // sends them again, which the consumer tolerates. The other order could lose a redrive.
    // Only while the inbox still points at this dead letter's record: the consumer may already have
    // processed the redriven copy, and its new standing must not be overwritten.
    for (const { letter } of chosen) {
      letter.status = 'redriven';
      if (!letter.consumerGroup) continue;
      await this.dataSource.query(
        `UPDATE pipeline.inbox SET redriven_at = now()
          WHERE consumer_group = $1 AND event_id = $2 AND status = 'failed'
            AND topic = $3 AND partition = $4 AND "offset" = $5`,
        [
          letter.consumerGroup,
          letter.eventId,
          letter.original.topic,
          letter.original.partition,
          letter.original.offset,
        ],
      );
    }
    this.log.info('dead letters redriven', { topic: request.topic, tenantId: request.tenantId, count: chosen.length });
    return chosen.map((c) => c.letter);
  }

  private async read(query: DeadLetterQuery): Promise<ParkedRecord[]> {
    if (query.tenantId !== undefined && !isValidTenantId(query.tenantId)) {
      throw new TypeError(`dead letters: ${JSON.stringify(query.tenantId)} is not a tenant id`);
    }
    const topic = dlqTopic(query.topic);
    const admin = this.kafka.admin();
    await admin.connect();
    let ranges;
    try {
      if (!(await admin.listTopics()).includes(topic)) return [];
      ranges = await rangesSince(admin, [topic]);
    } finally {
      await admin.disconnect();
    }

    const found: ParkedRecord[] = [];
    await readRanges(this.kafka, {
      groupId: `pipeline.dead-letters.${process.pid}.${Date.now()}`,
      ranges,
      onRecord: async (record) => {
        const letter = describe(record);
        if (query.tenantId === undefined || letter.tenantId === query.tenantId) found.push({ letter, record });
      },
    });
    found.sort(
      (a, b) =>
        a.letter.dlq.partition - b.letter.dlq.partition || compareOffsets(a.letter.dlq.offset, b.letter.dlq.offset),
    );
    await this.attachStatus(found.map((f) => f.letter));
    return found;
  }

  private async attachStatus(letters: DeadLetter[]): Promise<void> {
    const withGroup = letters.filter((l) => l.consumerGroup);
    if (withGroup.length === 0) return;
    const rows: {
      consumer_group: string;
      event_id: string;
      status: string;
      topic: string;
      partition: number;
      offset: string;
      redriven_at: Date | null;
    }[] = await this.dataSource.query(
      `SELECT consumer_group, event_id, status, topic, partition, "offset", redriven_at
           FROM pipeline.inbox i
           JOIN unnest($1::text[], $2::text[]) AS w(g, e) ON i.consumer_group = w.g AND i.event_id = w.e`,
      [withGroup.map((l) => l.consumerGroup), withGroup.map((l) => l.eventId)],
    );
    const byKey = new Map(rows.map((r) => [`${r.consumer_group}\u0000${r.event_id}`, r]));
    for (const letter of withGroup) {
      const row = byKey.get(`${letter.consumerGroup}\u0000${letter.eventId}`);
      if (!row) continue; // no inbox row (pruned): still parked as far as anyone knows
      if (row.status === 'succeeded') letter.status = 'resolved';
      else if (!isSameRecord(row, letter.original)) letter.status = 'superseded';
      else letter.status = row.redriven_at ? 'redriven' : 'parked';
    }
  }
}

/** A dead letter's facts, from its headers and the original record inside it. */
function describe(record: SourceRecord): DeadLetter {
  const h = record.headers;
  const original = {
    topic: headerText(h, DLQ_HEADERS.originalTopic) ?? '',
    partition: Number(headerText(h, DLQ_HEADERS.originalPartition) ?? -1),
    offset: headerText(h, DLQ_HEADERS.originalOffset) ?? '-1',
  };
  // The same reading of the record as the consumer's, so the event id matches its inbox row.
  const decoded = decodeEvent({ key: record.key, value: record.value, headers: withoutDeadLetterHeaders(h) });
  const partial = decoded.ok ? decoded.envelope : decoded.partial;
  const key = record.key?.toString('utf8');
  const tenantId = partial.tenantId ?? (key ? parseKey(key)?.tenantId : undefined);
  return {
    dlq: { topic: record.topic, partition: record.partition, offset: record.offset },
    original,
    eventId: partial.id ?? recordEventId(original),
    eventType: partial.type,
    tenantId: isValidTenantId(tenantId) ? tenantId : undefined,
    key,
    consumerGroup: headerText(h, DLQ_CONSUMER_GROUP_HEADER),
    errorCode: headerText(h, DLQ_HEADERS.errorCode) ?? 'UNKNOWN',
    errorMessage: headerText(h, DLQ_HEADERS.errorMessage) ?? '',
    attempts: Number(headerText(h, DLQ_HEADERS.attempts) ?? 0),
    failedAt: headerText(h, DLQ_HEADERS.failedAt) ?? '',
    status: 'parked',
  };
}

function withoutDeadLetterHeaders(headers: IHeaders): IHeaders {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !isDeadLetterHeader(name)));
}

function compareOffsets(a: string, b: string): number {
  const d = BigInt(a) - BigInt(b);
  return d < 0n ? -1 : d > 0n ? 1 : 0;
}
