import { randomBytes } from 'node:crypto';
import type { Kafka, Message } from 'kafkajs';
import type { DataSource } from 'typeorm';
import {
  buildEvent,
  customerChangedExample,
  CustomerChanged,
  decodeEvent,
  dlqTopic,
  encodeEnvelope,
  Envelope,
  topicName,
} from '@lib/contracts';
import { createDataSource, createKafka, ensureTopics, JsonLogger, MetricsService } from '@lib/platform';
import { FlowRuntime } from '../flow-runtime';
import { PipelineMetrics } from '../metrics';
import type { FlowOptions } from '../options';
import { OutboxRelay } from '../outbox/outbox-relay';
import type { SourceRecord } from '../record';
import { rangesSince, readRanges } from '../replay/topic-range-reader';
import { InMemoryTenants } from './in-memory-tenants';
import { createTestFlowSchema, ExternalClient, FaultPlan, syncCustomerHandler, TEST_SCHEMA } from './test-flow';

export interface TestSettings {
  kafkaBrokers: string;
  databaseUrl: string;
  topicPrefix: string;
}

/** The run's broker and database from the jest global setup. */
export function testSettings(): TestSettings {
  const { KAFKA_BROKERS, DATABASE_URL, TOPIC_PREFIX } = process.env;
  if (!KAFKA_BROKERS || !DATABASE_URL || TOPIC_PREFIX === undefined) {
    throw new Error('pipeline integration tests need the jest global setup (npx jest libs/pipeline)');
  }
  return { kafkaBrokers: KAFKA_BROKERS, databaseUrl: DATABASE_URL, topicPrefix: TOPIC_PREFIX };
}

export function shortId(): string {
  return randomBytes(4).toString('hex');
}

export async function waitUntil(
  check: () => Promise<boolean> | boolean,
  what: string,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** A started flow of the test: runtime + the process's relay. */
export interface RunningFlow {
  runtime: FlowRuntime;
  relay: OutboxRelay;
  stop(): Promise<void>;
}

/**
 * One scenario's world: topics of its own (a unique prefix under the run's), a DataSource, a
 * kafkajs client, tenants, the test flow's fault plan, and helpers to produce and to read back.
 */
export class PipelineTestBed {
  readonly tenants: InMemoryTenants<ExternalClient>;
  readonly faults = new FaultPlan();
  readonly logLines: string[] = [];
  readonly log: JsonLogger;
  readonly metricsService = new MetricsService('pipeline-test');
  readonly metrics = new PipelineMetrics(this.metricsService);
  readonly inputTopic: string;
  readonly outcomeTopic: string;
  readonly dlq: string;
  private readonly running: RunningFlow[] = [];

  private constructor(
    readonly settings: TestSettings,
    readonly prefix: string,
    readonly kafka: Kafka,
    readonly db: DataSource,
  ) {
    this.log = new JsonLogger('pipeline-test', 'debug', {}, (line) => {
      this.logLines.push(line);
      if (process.env.PIPELINE_TEST_LOG) process.stdout.write(line + '\n');
    });
    this.tenants = new InMemoryTenants((tenantId) => new ExternalClient(this.db, tenantId));
    this.inputTopic = topicName('customerChanged', prefix);
    this.outcomeTopic = topicName('customerSyncOutcomes', prefix);
    this.dlq = dlqTopic(this.inputTopic);
  }

  /** `dlqMaxMessageBytes`: a small record limit on the dead-letter topic, to have the broker refuse one. */
  static async create(
    scenario: string,
    partitions = 3,
    options: { dlqMaxMessageBytes?: number } = {},
  ): Promise<PipelineTestBed> {
    const settings = testSettings();
    const prefix = `${settings.topicPrefix}${scenario}-${shortId()}.`;
    const kafka = createKafka({
      brokers: settings.kafkaBrokers,
      clientId: `pipeline-test-${scenario}`,
      log: () => undefined,
    });
    const db = createDataSource(settings.databaseUrl, { extra: { max: 10 } });
    await db.initialize();
    await createTestFlowSchema(db);
    const bed = new PipelineTestBed(settings, prefix, kafka, db);
    if (options.dlqMaxMessageBytes !== undefined) {
      const admin = kafka.admin();
      await admin.connect();
      await admin.createTopics({
        waitForLeaders: true,
        topics: [
          {
            topic: bed.dlq,
            numPartitions: partitions,
            configEntries: [{ name: 'max.message.bytes', value: String(options.dlqMaxMessageBytes) }],
          },
        ],
      });
      await admin.disconnect();
    }
    await ensureTopics(kafka, [bed.inputTopic, bed.outcomeTopic, bed.dlq], partitions);
    return bed;
  }

  groupId(name = 'flow'): string {
    return `${this.prefix}${name}`;
  }

  /** Starts the test flow as one instance of the consumer group (and a relay of its own). */
  async startFlow(options: Partial<FlowOptions> = {}, dataSource: DataSource = this.db): Promise<RunningFlow> {
    const relay = new OutboxRelay(dataSource, this.kafka, this.log, this.metrics, options.relay);
    const runtime = new FlowRuntime(
      {
        flow: 'test-customer-sync',
        lane: 'customer',
        topics: ['customerChanged'],
        groupId: this.groupId(),
        topicPrefix: this.prefix,
        sessionTimeoutMs: 10_000,
        retry: {
          initialDelayMs: 20,
          maxDelayMs: 200,
          maxAttempts: 4,
          unexpectedErrorMaxAttempts: 3,
          maxElapsedMs: 30_000,
        },
        ...options,
      },
      { kafka: this.kafka, dataSource, tenants: this.tenants, log: this.log, metrics: this.metrics, relay },
    );
    runtime.handle('CustomerChanged', syncCustomerHandler(this.faults));
    await relay.start();
    await runtime.start();
    const flow: RunningFlow = {
      runtime,
      relay,
      stop: async () => {
        await runtime.stop();
        await relay.stop();
        this.running.splice(this.running.indexOf(flow), 1);
      },
    };
    this.running.push(flow);
    return flow;
  }

  customerChanged(
    tenantId: string,
    customerId: string,
    name = `Customer ${customerId}`,
    version = 1,
  ): Envelope<CustomerChanged> {
    return buildEvent({
      type: 'CustomerChanged',
      tenantId,
      entityId: customerId,
      source: 'open-one',
      data: { ...customerChangedExample, customerId, name, version },
    });
  }

  async produce(events: Envelope[]): Promise<void> {
    await this.produceRaw(events.map((e) => encodeEnvelope(e)));
  }

  async produceRaw(messages: Message[], topic = this.inputTopic): Promise<void> {
    const producer = this.kafka.producer();
    await producer.connect();
    try {
      await producer.send({ topic, messages, acks: -1 });
    } finally {
      await producer.disconnect();
    }
  }

  /**
   * Quiet: the group has committed every record of the input topic and nothing of this scenario
   * waits in the outbox. From then on the outcome and dead-letter topics hold their final content.
   */
  async settled(groupId = this.groupId(), timeoutMs = 90_000): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      await waitUntil(
        async () => {
          const [ends, committed] = await Promise.all([
            admin.fetchTopicOffsets(this.inputTopic),
            admin.fetchOffsets({ groupId, topics: [this.inputTopic] }),
          ]);
          const at = new Map(committed[0].partitions.map((p) => [p.partition, p.offset]));
          const consumed = ends.every((e) => e.high === e.low || at.get(e.partition) === e.high);
          if (!consumed) return false;
          const [{ pending }] = await this.db.query(
            `SELECT count(*)::int AS pending FROM pipeline.outbox WHERE published_at IS NULL AND quarantined_at IS NULL AND starts_with(topic, $1)`,
            [this.prefix],
          );
          return pending === 0;
        },
        `group ${groupId} to consume ${this.inputTopic} and the outbox to drain`,
        timeoutMs,
      );
    } finally {
      await admin.disconnect();
    }
  }

  async readTopic(topic: string): Promise<SourceRecord[]> {
    const admin = this.kafka.admin();
    await admin.connect();
    let ranges;
    try {
      ranges = await rangesSince(admin, [topic]);
    } finally {
      await admin.disconnect();
    }
    const records: SourceRecord[] = [];
    await readRanges(this.kafka, {
      groupId: `${this.prefix}reader-${shortId()}`,
      ranges,
      onRecord: async (r) => {
        records.push(r);
      },
    });
    return records;
  }

  /** The outcomes on the outcome topic, decoded (a record that does not decode fails the test). */
  async outcomes(): Promise<Envelope<Record<string, unknown>>[]> {
    return (await this.readTopic(this.outcomeTopic)).map((r) => {
      const decoded = decodeEvent(r);
      if (!decoded.ok) throw new Error(`an outcome does not satisfy the contract: ${decoded.error.message}`);
      return decoded.envelope as unknown as Envelope<Record<string, unknown>>;
    });
  }

  async externalObjects(tenantId?: string): Promise<{ tenant_id: string; reference: string; name: string }[]> {
    return this.db.query(
      `SELECT tenant_id, reference, name FROM ${TEST_SCHEMA}.external_objects
        WHERE starts_with(tenant_id, $1) AND ($2::text IS NULL OR tenant_id = $2) ORDER BY id`,
      [this.tenantPrefix, tenantId ?? null],
    );
  }

  /** Tenant ids of this scenario start with this, so scenarios sharing the database never mix. */
  get tenantPrefix(): string {
    return `t${this.prefix.replace(/[^A-Za-z0-9]/g, '').slice(-8)}`;
  }

  tenant(name: string): string {
    return `${this.tenantPrefix}-${name}`;
  }

  async metricValue(name: string, labels: Record<string, string>): Promise<number> {
    const metric = (await this.metricsService.registry.getMetricsAsJSON()).find((m) => m.name === name);
    const values = (metric?.values ?? []) as { value: number; labels: Record<string, string | number> }[];
    return values
      .filter((v) => Object.entries(labels).every(([k, want]) => String(v.labels[k]) === want))
      .reduce((sum, v) => sum + v.value, 0);
  }

  async close(): Promise<void> {
    for (const flow of [...this.running]) await flow.stop().catch(() => undefined);
    await this.db.destroy();
  }
}
