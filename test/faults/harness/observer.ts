import { randomBytes } from 'node:crypto';
import type { Consumer, Kafka } from 'kafkajs';
import { decodeEvent, DLQ_HEADERS, Envelope } from '@lib/contracts';

/** A record as it sits on a topic: what the suite reads from the outside. */
export interface ObservedRecord {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  headers: Record<string, string>;
  value: Buffer | null;
}

/** An outcome record, decoded as the contract says consumers must read it. */
export interface ObservedOutcome {
  record: ObservedRecord;
  /** Null when the record breaks the contract (`problem` says why). */
  envelope: (Envelope<Record<string, unknown>> & { type: string }) | null;
  problem?: string;
}

export interface ObservedDeadLetter {
  record: ObservedRecord;
  originalTopic: string;
  originalPartition: number;
  originalOffset: string;
  errorCode: string;
  errorMessage: string;
  /** The parked record's own ce_id header, when it had one. */
  eventId?: string;
}

function headerText(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value)) return headerText(value[value.length - 1]);
  return Buffer.isBuffer(value) ? value.toString('utf8') : String(value);
}

/**
 * Reads the outcome and dead-letter topics from the beginning for the whole run, as Open's other
 * services would. Survives broker restarts (kafkajs restarts the consumer; if it gives up, a new one
 * re-reads from the start and records already seen are skipped by position).
 */
export class Observer {
  readonly outcomes: ObservedOutcome[] = [];
  readonly deadLetters: ObservedDeadLetter[] = [];
  /** Every record read, for the secret scan. */
  readonly records: ObservedRecord[] = [];
  private readonly seen = new Set<string>();
  private readonly highest = new Map<string, bigint>();
  private consumer?: Consumer;
  private stopped = false;
  restarts = 0;

  constructor(
    private readonly kafka: Kafka,
    private readonly outcomeTopics: string[],
    private readonly dlqTopics: string[],
    private readonly groupPrefix: string,
  ) {}

  async start(): Promise<void> {
    const consumer = this.kafka.consumer({
      groupId: `${this.groupPrefix}observer-${randomBytes(3).toString('hex')}`,
      sessionTimeout: 30_000,
      maxBytes: 20 * 1024 * 1024,
      maxBytesPerPartition: 4 * 1024 * 1024,
    });
    this.consumer = consumer;
    consumer.on(consumer.events.CRASH, (e) => {
      if (e.payload.restart || this.stopped) return;
      // kafkajs gave up (e.g. the broker was away too long): read everything again with a new member.
      this.restarts++;
      void consumer
        .disconnect()
        .catch(() => undefined)
        .then(() => (this.stopped ? undefined : this.start()));
    });
    await consumer.connect();
    await consumer.subscribe({ topics: [...this.outcomeTopics, ...this.dlqTopics], fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ topic, partition, message }) => {
        const position = `${topic}/${partition}/${message.offset}`;
        if (this.seen.has(position)) return;
        this.seen.add(position);
        const slot = `${topic}/${partition}`;
        const offset = BigInt(message.offset);
        if ((this.highest.get(slot) ?? -1n) < offset) this.highest.set(slot, offset);
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(message.headers ?? {})) {
          const text = headerText(value);
          if (text !== undefined) headers[name] = text;
        }
        const record: ObservedRecord = {
          topic,
          partition,
          offset: message.offset,
          key: message.key ? message.key.toString('utf8') : null,
          headers,
          value: message.value,
        };
        this.records.push(record);
        if (this.dlqTopics.includes(topic)) this.deadLetters.push(deadLetterOf(record));
        else this.outcomes.push(outcomeOf(record, message));
      },
    });
  }

  /** Resolves once everything on the observed topics up to now has been read. */
  async catchUp(timeoutMs = 60_000): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const targets: { slot: string; last: bigint }[] = [];
      for (const topic of [...this.outcomeTopics, ...this.dlqTopics]) {
        for (const p of await admin.fetchTopicOffsets(topic)) {
          if (BigInt(p.high) > BigInt(p.low))
            targets.push({ slot: `${topic}/${p.partition}`, last: BigInt(p.high) - 1n });
        }
      }
      const deadline = Date.now() + timeoutMs;
      while (!targets.every((t) => (this.highest.get(t.slot) ?? -1n) >= t.last)) {
        if (Date.now() > deadline) throw new Error(`the observer did not catch up within ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 200));
      }
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.consumer?.disconnect().catch(() => undefined);
  }
}

function outcomeOf(
  record: ObservedRecord,
  message: { key: Buffer | null; value: Buffer | null; headers?: Record<string, unknown> },
): ObservedOutcome {
  const decoded = decodeEvent(message as Parameters<typeof decodeEvent>[0]);
  if (decoded.ok) return { record, envelope: decoded.envelope as unknown as ObservedOutcome['envelope'] };
  return { record, envelope: null, problem: decoded.error.message };
}

function deadLetterOf(record: ObservedRecord): ObservedDeadLetter {
  const h = record.headers;
  return {
    record,
    originalTopic: h[DLQ_HEADERS.originalTopic] ?? '',
    originalPartition: Number(h[DLQ_HEADERS.originalPartition] ?? -1),
    originalOffset: h[DLQ_HEADERS.originalOffset] ?? '',
    errorCode: h[DLQ_HEADERS.errorCode] ?? '',
    errorMessage: h[DLQ_HEADERS.errorMessage] ?? '',
    eventId: h['ce_id'],
  };
}
