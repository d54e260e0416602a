/**
 * Pipeline throughput: events/s through @lib/pipeline (decode, tenant check, inbox, one PostgreSQL
 * transaction per event with inbox row + outcome row, outbox relay, offset commits) with a trivial
 * handler and no PowerOffice, against plain kafkajs consume→produce loops on the same broker in the
 * same run. Each scenario gets the same pre-loaded events on a topic of its own; the clock runs from
 * the consumer's start until the last result is on the output topic. Not a test: it prints numbers.
 *
 *   node scripts/build.mjs && node dist/bench/pipeline-throughput.js
 *
 * Settings (env): BENCH_EVENTS (5000), BENCH_PARTITIONS (6), BENCH_CONCURRENCY (partitions processed
 * at once, 3), BENCH_SCENARIOS ("kafkajs-batch,kafkajs-message,pipeline"), KAFKA_BROKERS,
 * DATABASE_URL (an admin URL; a database of its own is created and dropped).
 */
import { randomBytes } from 'node:crypto';
import type { Kafka, Message } from 'kafkajs';
import { Client } from 'pg';
import { buildEvent, customerChangedExample, CustomerChanged, encodeEnvelope, topicName } from '@lib/contracts';
import {
  assertKafkaReachable,
  createDataSource,
  createKafka,
  ensureTopics,
  JsonLogger,
  MetricsService,
  runMigrations,
} from '@lib/platform';
import {
  FlowRuntime,
  HandlerContext,
  HandlerResult,
  OutboxRelay,
  PipelineMetrics,
  TenantDirectory,
} from '@lib/pipeline';
import type { Tenant } from '@lib/tenancy';

const settings = {
  events: int('BENCH_EVENTS', 5000),
  partitions: int('BENCH_PARTITIONS', 6),
  concurrency: int('BENCH_CONCURRENCY', 3),
  scenarios: (process.env.BENCH_SCENARIOS ?? 'kafkajs-batch,kafkajs-message,pipeline').split(','),
  brokers: process.env.KAFKA_BROKERS ?? '127.0.0.1:9092',
  adminUrl: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
};
const TENANT = 'bench-shop';

function int(name: string, fallback: number): number {
  const v = process.env[name];
  return v === undefined || v === '' ? fallback : Number.parseInt(v, 10);
}

interface Result {
  scenario: string;
  seconds: number;
  perSecond: number;
}

async function main(): Promise<void> {
  await assertKafkaReachable(settings.brokers);
  const stamp = `${new Date().toISOString().replace(/[-:T]/g, '').slice(0, 14)}_${randomBytes(3).toString('hex')}`;
  const prefix = `bench-${stamp}.`;
  const kafka = createKafka({ brokers: settings.brokers, clientId: 'pipeline-bench', log: () => undefined });
  const dbName = `oop_bench_pipeline_${stamp}`;
  const databaseUrl = await createDatabase(settings.adminUrl, dbName);
  console.log(
    `pipeline throughput: ${settings.events} events, ${settings.partitions} partitions, ` +
      `${settings.concurrency} processed concurrently; broker ${settings.brokers}; database ${dbName}`,
  );

  const results: Result[] = [];
  try {
    await runMigrations(databaseUrl);
    for (const scenario of settings.scenarios) {
      const run = SCENARIOS[scenario];
      if (!run) throw new Error(`unknown scenario ${scenario} (known: ${Object.keys(SCENARIOS).join(', ')})`);
      const scenarioPrefix = `${prefix}${scenario}.`;
      const input = topicName('customerChanged', scenarioPrefix);
      const output = topicName('customerSyncOutcomes', scenarioPrefix);
      await ensureTopics(kafka, [input, output, `${input}.dlq`], settings.partitions);
      await preload(kafka, input, settings.events);
      const seconds = await run({ kafka, databaseUrl, prefix: scenarioPrefix, input, output });
      results.push({ scenario, seconds, perSecond: settings.events / seconds });
      console.log(
        `  ${scenario.padEnd(16)} ${seconds.toFixed(2).padStart(7)} s  ${(settings.events / seconds).toFixed(0).padStart(7)} events/s`,
      );
    }
  } finally {
    await deleteTopics(kafka, prefix);
    await dropDatabase(settings.adminUrl, dbName);
  }

  const pipeline = results.find((r) => r.scenario === 'pipeline');
  if (pipeline) {
    for (const r of results.filter((x) => x !== pipeline)) {
      console.log(`pipeline / ${r.scenario}: ${(pipeline.perSecond / r.perSecond).toFixed(2)}×`);
    }
  }
}

interface ScenarioInput {
  kafka: Kafka;
  databaseUrl: string;
  prefix: string;
  input: string;
  output: string;
}

const SCENARIOS: Record<string, (s: ScenarioInput) => Promise<number>> = {
  /** The floor of what any consumer can do here: one produce request per fetched batch, auto-commit. */
  'kafkajs-batch': async ({ kafka, input, output }) => {
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const consumer = kafka.consumer({ groupId: `${input}.plain` });
    await consumer.connect();
    await consumer.subscribe({ topics: [input], fromBeginning: true });
    const started = Date.now();
    await consumer.run({
      partitionsConsumedConcurrently: settings.concurrency,
      eachBatch: async ({ batch }) => {
        await producer.send({
          topic: output,
          acks: -1,
          messages: batch.messages.map((m) => ({ key: m.key, value: m.value, headers: m.headers })),
        });
      },
    });
    await untilCount(kafka, output, settings.events);
    const seconds = (Date.now() - started) / 1000;
    await consumer.disconnect();
    await producer.disconnect();
    return seconds;
  },

  /** A plain loop closer to what a handler does: one produce per message, auto-commit. */
  'kafkajs-message': async ({ kafka, input, output }) => {
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const consumer = kafka.consumer({ groupId: `${input}.plain` });
    await consumer.connect();
    await consumer.subscribe({ topics: [input], fromBeginning: true });
    const started = Date.now();
    await consumer.run({
      partitionsConsumedConcurrently: settings.concurrency,
      eachMessage: async ({ message }) => {
        await producer.send({
          topic: output,
          acks: -1,
          messages: [{ key: message.key, value: message.value, headers: message.headers }],
        });
      },
    });
    await untilCount(kafka, output, settings.events);
    const seconds = (Date.now() - started) / 1000;
    await consumer.disconnect();
    await producer.disconnect();
    return seconds;
  },

  /** The runtime with a handler that does nothing but answer. */
  pipeline: async ({ kafka, databaseUrl, prefix, output }) => {
    const db = createDataSource(databaseUrl);
    await db.initialize();
    const log = new JsonLogger('pipeline-bench', 'warn');
    const metrics = new PipelineMetrics(new MetricsService('pipeline-bench'));
    const relay = new OutboxRelay(db, kafka, log, metrics);
    const runtime = new FlowRuntime(
      {
        flow: 'bench',
        lane: 'customer',
        topics: ['customerChanged'],
        topicPrefix: prefix,
        groupId: `${prefix}pipeline`,
        partitionsConsumedConcurrently: settings.concurrency,
      },
      { kafka, dataSource: db, tenants: new OneTenant(), log, metrics, relay },
    );
    runtime.handle(
      'CustomerChanged',
      async (ctx: HandlerContext<CustomerChanged, unknown>): Promise<HandlerResult> => ({
        outcomes: [
          {
            type: 'CustomerSynced',
            data: {
              customerId: ctx.envelope.data.customerId,
              action: 'unchanged',
              powerOffice: { customerId: 1, customerNumber: 1 },
            },
          },
        ],
      }),
    );
    const started = Date.now();
    await relay.start();
    await runtime.start();
    await untilCount(kafka, output, settings.events);
    const seconds = (Date.now() - started) / 1000;
    await runtime.stop();
    await relay.stop();
    await db.destroy();
    return seconds;
  },
};

/** Every event's tenant exists and is authorised; no PowerOffice client is ever asked for. */
class OneTenant implements TenantDirectory<unknown> {
  private readonly tenant: Tenant = {
    id: TENANT,
    name: 'Bench shop',
    organizationNumber: '999999999',
    clientKeyFingerprint: 'bench',
    enabled: true,
    authorised: true,
    notAuthorisedReason: null,
    invoiceMode: 'voucher',
    settlementSchedule: { mode: 'afterEndOfDay' },
    customerNumberSeries: null,
    privileges: [],
    createdAt: new Date(),
    updatedAt: new Date(),
  };
  async get(id: string): Promise<Tenant | null> {
    return id === TENANT ? this.tenant : null;
  }
  async markNotAuthorised(): Promise<void> {}
  async clientFor(): Promise<unknown> {
    return {};
  }
}

async function preload(kafka: Kafka, topic: string, count: number): Promise<void> {
  const producer = kafka.producer();
  await producer.connect();
  try {
    for (let from = 0; from < count; from += 1000) {
      const messages: Message[] = [];
      for (let i = from; i < Math.min(count, from + 1000); i++) {
        const data: CustomerChanged = { ...customerChangedExample, customerId: `c${i % 500}`, version: i + 1 };
        messages.push(
          encodeEnvelope(
            buildEvent({
              type: 'CustomerChanged',
              tenantId: TENANT,
              entityId: data.customerId,
              source: 'open-one',
              data,
            }),
          ),
        );
      }
      await producer.send({ topic, messages, acks: -1 });
    }
  } finally {
    await producer.disconnect();
  }
}

async function untilCount(kafka: Kafka, topic: string, count: number): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    for (;;) {
      const offsets = await admin.fetchTopicOffsets(topic);
      const total = offsets.reduce((sum, o) => sum + Number(o.high) - Number(o.low), 0);
      if (total >= count) return;
      await new Promise((r) => setTimeout(r, 50));
    }
  } finally {
    await admin.disconnect();
  }
}

async function createDatabase(adminUrl: string, name: string): Promise<string> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

async function deleteTopics(kafka: Kafka, prefix: string): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const topics = (await admin.listTopics()).filter((t) => t.startsWith(prefix));
    if (topics.length > 0) await admin.deleteTopics({ topics });
  } catch {
    // leftover bench topics are harmless: every run has its own prefix
  } finally {
    await admin.disconnect();
  }
}

main().then(
  () => process.exit(0),
  (err: Error) => {
    console.error(`pipeline throughput failed: ${err.stack ?? err.message}`);
    process.exit(1);
  },
);
