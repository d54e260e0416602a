import type { Kafka, Message, Producer, TopicMessages } from 'kafkajs';
import type { DataSource, EntityManager } from 'typeorm';
import type { JsonLogger } from '@lib/platform';
import { restoreHeaders, StoredHeaders } from '../record';
import type { PipelineMetrics } from '../metrics';

export interface OutboxRelayOptions {
  /** How often an idle relay looks for rows written by other processes (its own commits nudge it). */
  pollIntervalMs: number;
  /** Rows claimed and published per round. */
  batchSize: number;
  /** Published rows are kept this long (for inspection), then deleted. */
  retentionMs: number;
}

export const DEFAULT_OUTBOX_RELAY_OPTIONS: Readonly<OutboxRelayOptions> = Object.freeze({
  pollIntervalMs: 100,
  batchSize: 500,
  retentionMs: 7 * 24 * 3600 * 1000,
});

const PRUNE_EVERY_MS = 10 * 60 * 1000;
const BACKOFF_AFTER_FAILURE_MS = 1000;
/** Bytes of keys and values per produce request; the rest of a claimed batch waits a round. */
const MAX_ROUND_BYTES = 4 * 1024 * 1024;
/** Broker refusals about the record itself: trying again cannot help. */
const RECORD_REFUSED = new Set([
  'MESSAGE_TOO_LARGE',
  'RECORD_LIST_TOO_LARGE',
  'INVALID_RECORD',
  'CORRUPT_MESSAGE',
  'INVALID_TOPIC_EXCEPTION',
]);

interface ClaimedRow {
  id: string;
  topic: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: StoredHeaders;
}

/**
 * Publishes pipeline.outbox to Kafka. One per app process; several processes may relay at once:
 * each round claims the oldest unpublished rows with FOR UPDATE SKIP LOCKED, publishes them (acks
 * from all in-sync replicas, idempotent producer) and marks them published in the same
 * transaction. A crash between the publish and the commit republishes those rows once more, which
 * consumers recognise by the outcome's deterministic ce_id.
 */
export class OutboxRelay {
  private readonly options: OutboxRelayOptions;
  private readonly producer: Producer;
  private running = false;
  private loop?: Promise<void>;
  private wake?: () => void;
  private nudged = false;
  private round: Promise<number> = Promise.resolve(0);
  private lastPrune = 0;

  constructor(
    private readonly dataSource: DataSource,
    kafka: Kafka,
    private readonly log: JsonLogger,
    private readonly metrics: PipelineMetrics,
    options: Partial<OutboxRelayOptions> = {},
  ) {
    this.options = { ...DEFAULT_OUTBOX_RELAY_OPTIONS, ...options };
    this.producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: true });
  }

  get isRunning(): boolean {
    return this.running;
  }

  async start(): Promise<void> {
    if (this.running) return;
    await this.producer.connect();
    this.running = true;
    this.loop = this.run();
  }

  /** Called after a commit that queued rows, so they go out now instead of at the next poll. */
  nudge(): void {
    this.nudged = true;
    this.wake?.();
  }

  /** Publishes what is pending (a last round on shutdown), then stops. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.wake?.();
    await this.loop;
    await this.publishPending().catch((err: Error) =>
      this.log.warn('outbox: rows left unpublished at shutdown; they go out after the next start', {
        reason: err.message,
      }),
    );
    await this.producer.disconnect();
  }

  /** Publishes until nothing claimable is left; returns the number of rows published. */
  async publishPending(): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await this.publishRound();
      total += n;
      if (n < this.options.batchSize) return total;
    }
  }

  /** One claim-publish-mark round; rounds of one relay never overlap. */
  publishRound(): Promise<number> {
    this.round = this.round.catch(() => 0).then(() => this.claimAndPublish());
    return this.round;
  }

  private async run(): Promise<void> {
    while (this.running) {
      this.nudged = false;
      try {
        const published = await this.publishRound();
        if (published >= this.options.batchSize) continue;
        await this.pruneIfDue();
      } catch (err) {
        this.metrics.outboxPublishFailures.inc();
        this.log.warn('outbox: publishing failed, trying again', { reason: (err as Error).message });
        await this.idle(BACKOFF_AFTER_FAILURE_MS);
        continue;
      }
      if (!this.nudged) await this.idle(this.options.pollIntervalMs);
    }
  }

  private idle(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    }).then(() => {
      this.wake = undefined;
    });
  }

  private async claimAndPublish(): Promise<number> {
    return this.dataSource.transaction(async (tx) => {
      const claimed: ClaimedRow[] = await tx.query(
        `SELECT id, topic, key, value, headers FROM pipeline.outbox
          WHERE published_at IS NULL AND quarantined_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [this.options.batchSize],
      );
      if (claimed.length === 0) return 0;

      // Another relay may hold older rows of the same key; publishing ours first would reorder an
      // entity's outcomes. Leave those keys for a later round.
      const ids = claimed.map((r) => r.id);
      const heldElsewhere: { topic: string; key: Buffer | null }[] = await tx.query(
        `SELECT DISTINCT topic, key FROM pipeline.outbox
          WHERE published_at IS NULL AND quarantined_at IS NULL AND id < $1 AND NOT (id = ANY($2::bigint[]))
            AND key IS NOT NULL`,
        [ids[ids.length - 1], ids],
      );
      const blocked = new Set(heldElsewhere.map((r) => rowKey(r.topic, r.key)));
      const unblocked =
        blocked.size === 0 ? claimed : claimed.filter((r) => r.key === null || !blocked.has(rowKey(r.topic, r.key)));
      const ready = withinBytes(unblocked, MAX_ROUND_BYTES);
      if (ready.length === 0) return 0;

      let published: ClaimedRow[];
      try {
        await this.producer.sendBatch({ acks: -1, topicMessages: groupByTopic(ready) });
        published = ready;
      } catch (err) {
        if (!isRecordRefused(err)) throw err;
        published = await this.publishOneByOne(tx, ready);
      }
      await tx.query(`UPDATE pipeline.outbox SET published_at = now() WHERE id = ANY($1::bigint[])`, [
        published.map((r) => r.id),
      ]);
      this.metrics.outboxPublished.inc(published.length);
      return ready.length;
    });
  }

  /**
   * After the broker refused a record of the batch: sends the rows singly, in order, and sets
   * aside the ones it refuses (logged, counted), so one unpublishable row cannot hold up every
   * outcome behind it. Stops at a failure that may pass, keeping what was sent.
   */
  private async publishOneByOne(tx: EntityManager, rows: ClaimedRow[]): Promise<ClaimedRow[]> {
    const published: ClaimedRow[] = [];
    for (const row of rows) {
      try {
        await this.producer.send({ topic: row.topic, acks: -1, messages: groupByTopic([row])[0].messages });
        published.push(row);
      } catch (err) {
        if (!isRecordRefused(err)) {
          this.log.warn('outbox: publishing failed part-way; the rest waits for the next round', {
            reason: (err as Error).message,
          });
          break;
        }
        const reason = (err as Error).message;
        await tx.query(`UPDATE pipeline.outbox SET quarantined_at = now(), publish_error = $2 WHERE id = $1`, [
          row.id,
          reason,
        ]);
        this.metrics.outboxQuarantined.inc();
        this.log.error('outbox: the broker refused a record; it is set aside in pipeline.outbox (quarantined_at)', {
          outboxId: row.id,
          topic: row.topic,
          bytes: (row.key?.length ?? 0) + (row.value?.length ?? 0),
          reason,
        });
      }
    }
    return published;
  }

  private async pruneIfDue(): Promise<void> {
    const now = Date.now();
    if (now - this.lastPrune < PRUNE_EVERY_MS) return;
    this.lastPrune = now;
    await this.dataSource.query(
      `DELETE FROM pipeline.outbox WHERE published_at IS NOT NULL AND published_at < now() - make_interval(secs => $1)`,
      [this.options.retentionMs / 1000],
    );
  }
}

function isRecordRefused(err: unknown): boolean {
  const type = (err as { type?: unknown } | undefined)?.type;
  return typeof type === 'string' && RECORD_REFUSED.has(type);
}

/** The longest prefix of `rows` within `maxBytes` (at least one row, however large). */
function withinBytes(rows: ClaimedRow[], maxBytes: number): ClaimedRow[] {
  let bytes = 0;
  for (let i = 0; i < rows.length; i++) {
    bytes += (rows[i].key?.length ?? 0) + (rows[i].value?.length ?? 0);
    if (bytes > maxBytes && i > 0) return rows.slice(0, i);
  }
  return rows;
}

function rowKey(topic: string, key: Buffer | null): string {
  return `${topic}\u0000${key === null ? '' : key.toString('hex')}`;
}

function groupByTopic(rows: ClaimedRow[]): TopicMessages[] {
  const byTopic = new Map<string, Message[]>();
  for (const r of rows) {
    let messages = byTopic.get(r.topic);
    if (!messages) byTopic.set(r.topic, (messages = []));
    messages.push({ key: r.key, value: r.value, headers: restoreHeaders(r.headers) });
  }
  return [...byTopic.entries()].map(([topic, messages]) => ({ topic, messages }));
}
