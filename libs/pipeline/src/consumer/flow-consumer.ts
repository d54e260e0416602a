import type { Admin, Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import { ensureTopics, type HealthStatus, type JsonLogger } from '@lib/platform';
import type { PipelineMetrics } from '../metrics';
import { flowTopics, type ResolvedFlow } from '../options';
import type { EventProcessor } from '../processing/event-processor';
import { sourceRecord } from '../record';

/**
 * The flow's consumer group member: kafkajs with its own commit policy.
 *
 * - `autoCommit: false`; a record's offset is resolved only after the processor has committed its
 *   effects, inbox row and outcome rows to PostgreSQL, and offsets are committed at the end of each
 *   batch (and every `commitIntervalMs` within a long one). Whatever is processed but not yet
 *   committed when a member dies is delivered again and recognised by the inbox.
 * - Records of one partition are processed one after the other (order per entity); partitions run
 *   concurrently (`partitionsConsumedConcurrently`), so one partition's retries hold up no other.
 * - The processor never throws for a bad event; what reaches kafkajs is PostgreSQL or Kafka being
 *   unavailable, and kafkajs then retries and restarts the member from the last committed offset.
 */
export class FlowConsumer {
  private consumer?: Consumer;
  private admin?: Admin;
  private readonly shutdown = new AbortController();
  private joined = false;
  private lastCrash?: string;
  private lagTimer?: NodeJS.Timeout;
  private assigned: Record<string, number[]> = {};
  private restartTimer?: NodeJS.Timeout;
  private restarts = 0;

  constructor(
    private readonly kafka: Kafka,
    private readonly processor: EventProcessor,
    private readonly flow: ResolvedFlow,
    private readonly log: JsonLogger,
    private readonly metrics: PipelineMetrics,
  ) {}

  async start(): Promise<void> {
    if (this.consumer) return;
    const consumer = this.kafka.consumer({
      groupId: this.flow.groupId,
      sessionTimeout: this.flow.sessionTimeoutMs,
      heartbeatInterval: Math.min(3000, Math.floor(this.flow.sessionTimeoutMs / 3)),
    });
    this.consumer = consumer;
    const { GROUP_JOIN, CRASH, STOP, DISCONNECT } = consumer.events;
    consumer.on(GROUP_JOIN, (e) => {
      this.joined = true;
      this.restarts = 0;
      this.lastCrash = undefined;
      this.assigned = e.payload.memberAssignment;
      this.metrics.consumerUp.set({ flow: this.flow.flow }, 1);
      this.log.info('consumer joined its group', {
        groupId: this.flow.groupId,
        assignment: e.payload.memberAssignment,
      });
    });
    consumer.on(CRASH, (e) => {
      this.joined = false;
      this.lastCrash = e.payload.error.message;
      this.metrics.consumerUp.set({ flow: this.flow.flow }, 0);
      this.log.error('consumer crashed', {
        groupId: this.flow.groupId,
        reason: e.payload.error.message,
        restart: e.payload.restart,
      });
      // kafkajs gives up on some errors (e.g. "Failed to find group coordinator" while the broker
      // restarts); a flow that silently stops consuming would lose a day, so we start it again.
      if (!e.payload.restart) this.scheduleRestart();
    });
    for (const event of [STOP, DISCONNECT]) {
      consumer.on(event, () => {
        this.joined = false;
        this.metrics.consumerUp.set({ flow: this.flow.flow }, 0);
      });
    }

    try {
      // A consumer cannot subscribe to a topic that does not exist yet (a fresh broker, a new prefix).
      await ensureTopics(this.kafka, flowTopics(this.flow));
      await consumer.connect();
      await consumer.subscribe({ topics: this.flow.topics, fromBeginning: this.flow.fromBeginning });
      await consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: this.flow.partitionsConsumedConcurrently,
        eachBatch: (payload) => this.consumeBatch(payload),
      });
    } catch (err) {
      this.consumer = undefined;
      await consumer.disconnect().catch(() => undefined);
      throw err;
    }
    this.startLagSampling();
    this.log.info('flow consumer started', { groupId: this.flow.groupId, topics: this.flow.topics });
  }

  /**
   * Stops taking new records; a record being processed is finished (a retry wait is cut short and
   * the record abandoned, to be delivered again), and the offsets of what is done are committed.
   */
  /** Starts the member again after a crash kafkajs does not recover from, with growing pauses. */
  private scheduleRestart(): void {
    if (this.shutdown.signal.aborted || this.restartTimer) return;
    const delayMs = Math.min(30_000, 1000 * 2 ** Math.min(this.restarts, 5));
    this.restarts++;
    this.log.warn('restarting the flow consumer', { groupId: this.flow.groupId, inMs: delayMs, restart: this.restarts });
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      void this.restart();
    }, delayMs);
  }

  private async restart(): Promise<void> {
    if (this.shutdown.signal.aborted) return;
    const old = this.consumer;
    this.consumer = undefined;
    if (this.lagTimer) clearInterval(this.lagTimer);
    await old?.disconnect().catch(() => undefined);
    try {
      await this.start();
    } catch (err) {
      this.log.error('flow consumer restart failed', { groupId: this.flow.groupId, reason: (err as Error).message });
      this.scheduleRestart();
    }
  }

  async stop(): Promise<void> {
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = undefined;
    if (!this.consumer) return;
    this.shutdown.abort();
    if (this.lagTimer) clearInterval(this.lagTimer);
    await this.consumer.disconnect();
    await this.admin?.disconnect().catch(() => undefined);
    this.joined = false;
    this.metrics.consumerUp.set({ flow: this.flow.flow }, 0);
    this.log.info('flow consumer stopped', { groupId: this.flow.groupId });
  }

  health(): HealthStatus {
    return {
      up: this.joined && !this.shutdown.signal.aborted,
      groupId: this.flow.groupId,
      assigned: this.assigned,
      ...(this.lastCrash ? { lastCrash: this.lastCrash } : {}),
    };
  }

  private async consumeBatch(payload: EachBatchPayload): Promise<void> {
    const { batch, resolveOffset, heartbeat, commitOffsetsIfNecessary, isRunning, isStale } = payload;
    const { topic, partition } = batch;
    let done: string | undefined;
    let committed: string | undefined;
    let lastCommitAt = Date.now();
    const commit = async () => {
      if (done === undefined || done === committed) return;
      const next = (BigInt(done) + 1n).toString();
      await commitOffsetsIfNecessary({ topics: [{ topic, partitions: [{ partition, offset: next }] }] });
      committed = done;
      lastCommitAt = Date.now();
    };

    try {
      for (const message of batch.messages) {
        if (!isRunning() || isStale() || this.shutdown.signal.aborted) break;
        const result = await this.processor.process(sourceRecord(topic, partition, message), {
          mode: 'live',
          heartbeat,
          signal: this.shutdown.signal,
        });
        if (result.status === 'abandoned') break;
        resolveOffset(message.offset);
        done = message.offset;
        if (Date.now() - lastCommitAt >= this.flow.commitIntervalMs) await commit();
        await heartbeat();
      }
    } finally {
      // Also when an outage error is on its way to kafkajs: what is done stays done.
      await commit().catch((err: Error) =>
        this.log.warn('could not commit offsets; those records will be delivered again and recognised by the inbox', {
          topic,
          partition,
          offset: done,
          reason: err.message,
        }),
      );
    }
  }

  /** Lag per partition = high watermark − the group's committed offset, sampled for the metrics. */
  private startLagSampling(): void {
    let sampling = false;
    const sample = async () => {
      if (sampling) return;
      sampling = true;
      try {
        if (!this.admin) {
          this.admin = this.kafka.admin();
          await this.admin.connect();
        }
        const committed = await this.admin.fetchOffsets({ groupId: this.flow.groupId, topics: this.flow.topics });
        for (const { topic, partitions } of committed) {
          const ends = await this.admin.fetchTopicOffsets(topic);
          for (const end of ends) {
            const at = partitions.find((p) => p.partition === end.partition)?.offset ?? '-1';
            const from = BigInt(at) >= 0n ? BigInt(at) : BigInt(end.low);
            const lag = BigInt(end.high) - from;
            this.metrics.consumerLag.set(
              { flow: this.flow.flow, topic, partition: String(end.partition) },
              Number(lag > 0n ? lag : 0n),
            );
          }
        }
      } catch (err) {
        this.log.debug('consumer lag not sampled', { reason: (err as Error).message });
      } finally {
        sampling = false;
      }
    };
    this.lagTimer = setInterval(() => void sample(), this.flow.lagSampleIntervalMs);
    this.lagTimer.unref();
  }
}
