/**
 * Test helpers any flow app could use (candidates for hoisting into test/support/): boot a flow
 * app in-process against the PowerOffice emulator and the run's Kafka and PostgreSQL, onboard a
 * tenant with an ns4102 client, produce POS events, record what lands on a topic, and count the
 * PowerOffice requests an action cost from the emulator's request log.
 */
import { DynamicModule, INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Consumer, Kafka } from 'kafkajs';
import { DataSource } from 'typeorm';
import { decodeEvent, dlqTopic, encodeEnvelope, Envelope, TopicKey, topicName } from '@lib/contracts';
import { connectPipeline } from '@lib/pipeline';
import { BaseConfig, createKafka, ensureTopics, loadEnv } from '@lib/platform';
import { InMemoryApiBudget, InMemoryCallRecorder, PowerOfficeClient, PowerOfficeClientFactory } from '@lib/poweroffice';
import { NS4102_PRESET, TenantService } from '@lib/tenancy';
import { RunningEmulator, startEmulator } from '../../poweroffice-emulator/src/bootstrap';
import type { LoggedRequest } from '../../poweroffice-emulator/src/bootstrap';
import { testEnv, uniqueId } from '../../../test/support/env';

export async function waitFor<T>(
  probe: () => T | undefined | Promise<T | undefined>,
  what: string,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== null && value !== false) return value as T;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Everything that arrives on one topic from its beginning, decoded. */
export class TopicRecorder {
  readonly records: Envelope<Record<string, unknown>>[] = [];
  private constructor(private readonly consumer: Consumer) {}

  static async start(kafka: Kafka, topic: string, groupId: string): Promise<TopicRecorder> {
    const consumer = kafka.consumer({ groupId, sessionTimeout: 10_000, heartbeatInterval: 1000 });
    const recorder = new TopicRecorder(consumer);
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        const decoded = decodeEvent(message);
        if (!decoded.ok)
          throw new Error(`a record on ${topic} does not satisfy the contract: ${decoded.error.message}`);
        recorder.records.push(decoded.envelope as unknown as Envelope<Record<string, unknown>>);
      },
    });
    return recorder;
  }

  /** The records caused by event `causeId` (outcomes carry it as causationId). */
  causedBy(causeId: string): Envelope<Record<string, unknown>>[] {
    return this.records.filter((r) => r.causationId === causeId);
  }

  waitForCause(causeId: string, what = `the outcome of ${causeId}`): Promise<Envelope<Record<string, unknown>>> {
    return waitFor(() => this.causedBy(causeId)[0], what);
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect();
  }
}

export interface FlowWorld {
  emulator: RunningEmulator;
  clientKey: string;
  tenantId: string;
  /** Topic prefix of this test file: its own topics and consumer group. */
  topicPrefix: string;
  kafka: Kafka;
  /** A PowerOffice client of the tenant outside the app: plays the accountant editing in PowerOffice Go. */
  accountant: PowerOfficeClient;
  close(): Promise<void>;
}

/** The emulator with one ns4102 client, a Kafka client and this file's topics. */
export async function createWorld(name: string, topics: TopicKey[]): Promise<FlowWorld> {
  const env = testEnv();
  const emulator = await startEmulator({ port: 0 });
  const { clientKey } = await emulator.admin.createClient({
    preset: 'ns4102',
    name: `${name} test shop`,
    organizationNumber: '999888777',
  });
  const topicPrefix = `${env.topicPrefix}${uniqueId(name)}.`;
  const kafka = createKafka({ brokers: env.kafkaBrokers, clientId: `${name}-test`, log: () => undefined });
  const names = topics.map((t) => topicName(t, topicPrefix));
  await ensureTopics(kafka, [...names, ...names.map(dlqTopic)], 3);
  const factory = new PowerOfficeClientFactory(
    {
      baseUrl: emulator.baseUrl,
      applicationKey: emulator.applicationKey,
      subscriptionKey: emulator.subscriptionKey,
      rateLimit: 5,
    },
    new InMemoryApiBudget({ rateLimit: 5 }),
    new InMemoryCallRecorder(),
  );
  return {
    emulator,
    clientKey,
    tenantId: uniqueId(`t-${name}`),
    topicPrefix,
    kafka,
    accountant: factory.forTenant({ tenantId: 'accountant', clientKey, lane: 'customer' }),
    close: () => emulator.close(),
  };
}

/** The app's settings for a test: this file's topics, the run's database, no migrations (the global setup ran them). */
export function flowConfig<C extends BaseConfig>(
  cls: new () => C,
  world: FlowWorld,
  extra: Record<string, string> = {},
): C {
  const env = testEnv();
  return loadEnv(cls, {
    ...process.env,
    KAFKA_BROKERS: env.kafkaBrokers,
    DATABASE_URL: env.databaseUrl,
    TOPIC_PREFIX: world.topicPrefix,
    PORT: '0',
    DB_MIGRATE_ON_START: 'false',
    LOG_LEVEL: process.env.FLOW_TEST_LOG_LEVEL ?? 'warn',
    ...extra,
  });
}

/** POWEROFFICE_* pointing at the world's emulator. */
export function powerOfficeEnv(world: FlowWorld, rateLimit = 10): NodeJS.ProcessEnv {
  return {
    POWEROFFICE_BASE_URL: world.emulator.baseUrl,
    POWEROFFICE_APPLICATION_KEY: world.emulator.applicationKey,
    POWEROFFICE_SUBSCRIPTION_KEY: world.emulator.subscriptionKey,
    POWEROFFICE_RATE_LIMIT: String(rateLimit),
  };
}

/** Boots a flow app as main.ts does (pipeline connected, consumer started), listening on a free port. */
export async function startFlowApp(module: DynamicModule): Promise<INestApplication> {
  const app = await NestFactory.create(module, { logger: ['error', 'warn'], abortOnError: false });
  connectPipeline(app);
  await app.startAllMicroservices();
  await app.listen(0, '127.0.0.1');
  return app;
}

/** Onboards the world's tenant through the app's TenantService (checks the key against PowerOffice) with the NS 4102 mapping. */
export async function onboardTenant(app: INestApplication, world: FlowWorld): Promise<void> {
  const tenants = app.get(TenantService);
  if (await tenants.get(world.tenantId)) return;
  await tenants.onboard({
    id: world.tenantId,
    name: 'Fjordkafeen AS',
    organizationNumber: '999888777',
    clientKey: world.clientKey,
    actor: 'test',
  });
  await tenants.setMapping(world.tenantId, NS4102_PRESET, 'test');
}

export async function produce(kafka: Kafka, topic: string, events: Envelope[]): Promise<void> {
  const producer = kafka.producer();
  await producer.connect();
  try {
    await producer.send({ topic, acks: -1, messages: events.map((e) => encodeEnvelope(e)) });
  } finally {
    await producer.disconnect();
  }
}

/** The emulator's request log of the world's client: mark a point, then read what came after it. */
export class RequestCounter {
  constructor(private readonly world: FlowWorld) {}

  async mark(): Promise<number> {
    const log = await this.world.emulator.admin.requests({ clientKey: this.world.clientKey });
    return log.length ? log[log.length - 1].seq : 0;
  }

  /** API requests since the mark (token requests left out: one per 20 minutes, not per event). */
  async since(mark: number): Promise<LoggedRequest[]> {
    const log = await this.world.emulator.admin.requests({ since: mark, clientKey: this.world.clientKey });
    return log.filter((r) => !/\/oauth\/token/i.test(r.path));
  }
}

export function describeRequests(requests: LoggedRequest[]): string[] {
  return requests.map(
    (r) => `${r.method} ${r.path.replace(/^.*\/v2/i, '')}${r.query ? `?${r.query}` : ''} → ${r.status}`,
  );
}

export function writes(requests: LoggedRequest[]): LoggedRequest[] {
  return requests.filter((r) => r.method !== 'GET');
}

/** A DataSource on the run's database for assertions. */
export async function testDatabase(): Promise<DataSource> {
  const ds = new DataSource({ type: 'postgres', url: testEnv().databaseUrl, extra: { max: 3 } });
  await ds.initialize();
  return ds;
}
