import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import { isValidTenantId, OutcomeError, TopicKey, topicName } from '@lib/contracts';
import type { JsonLogger } from '@lib/platform';
import type { PipelineMetrics } from '../metrics';
import type { ResolvedFlow } from '../options';
import type { EventProcessor, EventResult } from '../processing/event-processor';
import { rangesSince, readRanges } from './topic-range-reader';

export interface ResyncRequest {
  tenantId: string;
  /** Contract topic keys; defaults to every topic the flow consumes. */
  topics?: TopicKey[];
  /** Events from this time on (by Kafka record timestamp). */
  since: Date;
  /** Report what would change without changing anything (no PowerOffice writes, no outcomes). */
  dryRun?: boolean;
  onProgress?: (progress: ResyncProgress) => void;
  signal?: AbortSignal;
}

/** One event of a resync that changed (or would change) something, or failed. */
export interface ResyncItem {
  eventId: string;
  eventType?: string;
  topic: string;
  partition: number;
  offset: string;
  change?: unknown;
  error?: OutcomeError;
}

export interface ResyncCounts {
  /** The tenant's events read. */
  seen: number;
  changed: number;
  unchanged: number;
  failed: number;
}

export interface ResyncProgress extends ResyncCounts {
  runId: string;
  last: ResyncItem & { status: EventResult['status'] };
}

export interface ResyncSummary extends ResyncCounts {
  runId: string;
  tenantId: string;
  mode: 'replay' | 'dry-run';
  since: string;
  topics: string[];
  /** Changed events (at most {@link MAX_LISTED}); all of them are counted. */
  changes: ResyncItem[];
  failures: ResyncItem[];
  /** True when the run was stopped through `signal` before reaching the end. */
  aborted: boolean;
  startedAt: string;
  finishedAt: string;
}

/** Listed items per kind in a summary; a large resync is summarised by its counts. */
export const MAX_LISTED = 1000;

/**
 * Resync of one tenant: its events from a point in time, run through the flow's own handlers.
 *
 * The tenant's records are picked by key prefix (`<tenantId>:`) from the topics, read up to the
 * high watermark captured at the start with a throwaway consumer group. Replay bypasses the inbox:
 * handlers compare with PowerOffice and change only what differs, so a second resync changes
 * nothing. Outcomes are published only for events that changed something or failed, with the
 * discriminator `replay:<runId>` (new ids, distinguishable from the live outcomes); a dry run
 * publishes nothing. Failures are reported in the summary, not dead-lettered again.
 */
export class Resync {
  constructor(
    private readonly kafka: Kafka,
    private readonly processor: EventProcessor,
    private readonly flow: ResolvedFlow,
    private readonly log: JsonLogger,
    private readonly metrics: PipelineMetrics,
  ) {}

  async run(request: ResyncRequest): Promise<ResyncSummary> {
    const { tenantId } = request;
    if (!isValidTenantId(tenantId)) throw new TypeError(`resync: ${JSON.stringify(tenantId)} is not a tenant id`);
    if (Number.isNaN(request.since.getTime())) throw new TypeError('resync: `since` is not a valid time');
    const topics = (request.topics ?? null)?.map((key) => topicName(key, this.flow.topicPrefix)) ?? this.flow.topics;
    const foreign = topics.filter((t) => !this.flow.topics.includes(t));
    if (foreign.length > 0)
      throw new TypeError(`resync: flow ${this.flow.flow} does not consume ${foreign.join(', ')}`);

    const runId = randomUUID();
    const mode = request.dryRun ? 'dry-run' : 'replay';
    const startedAt = new Date();
    const counts: ResyncCounts = { seen: 0, changed: 0, unchanged: 0, failed: 0 };
    const changes: ResyncItem[] = [];
    const failures: ResyncItem[] = [];
    const keyPrefix = Buffer.from(`${tenantId}:`, 'utf8');
    const signal = request.signal ?? new AbortController().signal;
    const log = this.log.child({ flow: this.flow.flow, tenantId, resync: runId, mode });

    const admin = this.kafka.admin();
    await admin.connect();
    let ranges;
    try {
      ranges = await rangesSince(admin, topics, request.since);
    } finally {
      await admin.disconnect();
    }
    log.info('resync started', { since: request.since.toISOString(), topics });

    await readRanges(this.kafka, {
      groupId: `${this.flow.groupId}.resync.${runId}`,
      ranges,
      signal,
      onRecord: async (record, heartbeat) => {
        if (!record.key || !record.key.subarray(0, keyPrefix.length).equals(keyPrefix)) return;
        const result = await this.processor.process(record, { mode, heartbeat, signal, runId });
        if (result.status === 'abandoned' || result.status === 'duplicate') return;
        counts.seen++;
        const item: ResyncItem = {
          eventId: result.eventId,
          eventType: result.eventType,
          topic: record.topic,
          partition: record.partition,
          offset: record.offset,
        };
        if (result.status === 'failed') {
          counts.failed++;
          item.error = result.error;
          if (failures.length < MAX_LISTED) failures.push(item);
        } else if (result.changed) {
          counts.changed++;
          if (result.change !== undefined) item.change = result.change;
          if (changes.length < MAX_LISTED) changes.push(item);
        } else counts.unchanged++;
        const outcome = result.status === 'failed' ? 'failed' : result.changed ? 'changed' : 'unchanged';
        this.metrics.replayedEvents.inc({ flow: this.flow.flow, mode, result: outcome });
        request.onProgress?.({ runId, ...counts, last: { ...item, status: result.status } });
      },
    });

    const summary: ResyncSummary = {
      runId,
      tenantId,
      mode,
      since: request.since.toISOString(),
      topics,
      ...counts,
      changes,
      failures,
      aborted: signal.aborted,
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
    };
    log.info('resync finished', { ...counts, aborted: summary.aborted });
    return summary;
  }
}
