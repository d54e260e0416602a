import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Consumer, Kafka, Producer } from 'kafkajs';
import { DataSource } from 'typeorm';
import {
  buildEvent,
  decodeEvent,
  encodeEnvelope,
  Envelope,
  EventDataByType,
  InvoicePosted,
  OutcomeType,
  topicName,
} from '@lib/contracts';
import { connectPipeline, FlowRuntime } from '@lib/pipeline';
import { createKafka, JsonLogger, loadEnv } from '@lib/platform';
import type { PowerOfficeClient } from '@lib/poweroffice';
import { AccountMapping, InvoiceMode, NS4102_PRESET, TenantService } from '@lib/tenancy';
import { RunningEmulator, startEmulator } from '../../poweroffice-emulator/src/bootstrap';
import { testEnv, uniqueId } from '../../../test/support/env';
import { ensureInvoiceTopics } from '../src/invoice-flow';
import { InvoiceConfig } from '../src/invoice.config';
import { InvoiceModule } from '../src/invoice.module';

/*
 * Helpers for flow tests against the real broker, the run's database and the in-process PowerOffice
 * emulator: boot the app as it runs in production (Nest module + pipeline transport), onboard a
 * tenant through tenancy against the emulator, produce POS events and wait for their outcomes.
 * Nothing here is specific to invoices except the topics; the lead may hoist it for every flow.
 */

export type Outcome = Envelope<Record<string, unknown>> & { type: OutcomeType };

export interface FlowWorld {
  emulator: RunningEmulator;
  app: INestApplication;
  tenants: TenantService;
  kafka: Kafka;
  db: DataSource;
  topicPrefix: string;
  outcomes: OutcomeWatcher;
  close(): Promise<void>;
}

export interface WorldOptions {
  /** Extra app settings (e.g. INVOICE_CUSTOMER_WAIT_MS, POWEROFFICE_TIMEOUT_MS). */
  env?: Record<string, string>;
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
}

/** Emulator + invoice app on topics of their own (a unique prefix under the run's). */
export async function startInvoiceWorld(options: WorldOptions = {}): Promise<FlowWorld> {
  const run = testEnv();
  const topicPrefix = `${run.topicPrefix}${uniqueId('invoice')}.`;
  const emulator = await startEmulator({ port: 0 });
  const kafka = createKafka({ brokers: run.kafkaBrokers, clientId: 'invoice-test', log: () => undefined });
  await ensureInvoiceTopics(kafka, topicPrefix);

  const config = loadEnv(InvoiceConfig, {
    KAFKA_BROKERS: run.kafkaBrokers,
    DATABASE_URL: run.databaseUrl,
    TOPIC_PREFIX: topicPrefix,
    PORT: '0',
    // The global setup applied every migration; several test files boot apps at once.
    DB_MIGRATE_ON_START: 'false',
    LOG_LEVEL: options.logLevel ?? (process.env.INVOICE_TEST_LOG as string | undefined) ?? 'error',
    POWEROFFICE_BASE_URL: emulator.baseUrl,
    POWEROFFICE_APPLICATION_KEY: emulator.applicationKey,
    POWEROFFICE_SUBSCRIPTION_KEY: emulator.subscriptionKey,
    ...options.env,
  });
  const app = await NestFactory.create(InvoiceModule.register(config), {
    logger: new JsonLogger('invoice-test', config.LOG_LEVEL as 'error'),
    abortOnError: false,
  });
  connectPipeline(app);
  await app.init();
  await app.startAllMicroservices();
  const runtime = app.get(FlowRuntime, { strict: false });
  await waitFor(() => runtime.health().up, 'the invoice consumer to join its group', 60_000);

  const outcomes = await OutcomeWatcher.start(
    kafka,
    topicName('invoiceOutcomes', topicPrefix),
    `${topicPrefix}test-outcomes`,
  );
  const db = app.get(DataSource);
  return {
    emulator,
    app,
    tenants: app.get(TenantService, { strict: false }),
    kafka,
    db,
    topicPrefix,
    outcomes,
    close: async () => {
      await outcomes.stop();
      await app.close();
      await emulator.close();
    },
  };
}

export interface TestTenant {
  id: string;
  clientKey: string;
  /** The tenant's PowerOffice, for arranging master data the way an accountant would. */
  powerOffice: PowerOfficeClient;
}

/**
 * A shop with an NS 4102 PowerOffice client, onboarded through tenancy (privileges and reference
 * data read from the emulator), department D10 for POS department 10, and the NS 4102 mapping.
 */
export async function onboardTenant(
  world: FlowWorld,
  options: { invoiceMode?: InvoiceMode; mapping?: Partial<AccountMapping> } = {},
): Promise<TestTenant> {
  const id = uniqueId('shop');
  const { clientKey } = await world.emulator.admin.createClient({ preset: 'ns4102', name: `Butikk ${id}` });
  await world.tenants.onboard({ id, name: `Butikk ${id}`, organizationNumber: '999888777', clientKey, actor: 'test' });
  const powerOffice = await world.tenants.clientFor(id, 'customer');
  await powerOffice.departments.create({ name: 'Avdeling 10', code: 'D10', isActive: true });
  await world.tenants.refreshReferenceData(id, { kinds: ['departments'] });
  await world.tenants.setMapping(id, { ...NS4102_PRESET, departments: { '10': 'D10' }, ...options.mapping }, 'test');
  if (options.invoiceMode) await world.tenants.setInvoiceMode(id, options.invoiceMode, 'test');
  return { id, clientKey, powerOffice };
}

/** Publishes an InvoicePosted as Open One does; returns the envelope (its id is the outcome's causation id). */
export async function postInvoice(
  world: FlowWorld,
  tenantId: string,
  data: InvoicePosted,
  options: { id?: string; time?: Date } = {},
): Promise<Envelope<InvoicePosted>> {
  const event = buildEvent({
    type: 'InvoicePosted',
    tenantId,
    entityId: data.invoiceId,
    data,
    source: 'open-one',
    ...options,
  });
  await produce(world.kafka, topicName('invoicePosted', world.topicPrefix), [event]);
  return event;
}

export async function produce(kafka: Kafka, topic: string, events: Envelope[]): Promise<void> {
  const producer: Producer = kafka.producer();
  await producer.connect();
  try {
    await producer.send({ topic, acks: -1, messages: events.map((e) => encodeEnvelope(e)) });
  } finally {
    await producer.disconnect();
  }
}

/** Every record on the outcome topic, decoded against the contract (a record that does not decode fails the test). */
export class OutcomeWatcher {
  readonly all: Outcome[] = [];
  readonly problems: string[] = [];

  private constructor(private readonly consumer: Consumer) {}

  static async start(kafka: Kafka, topic: string, groupId: string): Promise<OutcomeWatcher> {
    const consumer = kafka.consumer({ groupId, sessionTimeout: 10_000, heartbeatInterval: 1000 });
    const watcher = new OutcomeWatcher(consumer);
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    let joined = false;
    consumer.on(consumer.events.GROUP_JOIN, () => (joined = true));
    await consumer.run({
      eachMessage: async ({ message }) => {
        const decoded = decodeEvent({ key: message.key, value: message.value, headers: message.headers });
        if (decoded.ok) watcher.all.push(decoded.envelope as unknown as Outcome);
        else watcher.problems.push(decoded.error.message);
      },
    });
    await waitFor(() => joined, 'the outcome reader to join its group', 30_000);
    return watcher;
  }

  /** The outcomes caused by an event. */
  of(causeId: string): Outcome[] {
    return this.all.filter((o) => o.causationId === causeId);
  }

  /** Waits for the (first) outcome of an event. */
  async answerTo<K extends OutcomeType>(
    cause: { id: string },
    timeoutMs = 60_000,
  ): Promise<Envelope<EventDataByType[K]> & { type: K }> {
    await waitFor(() => this.of(cause.id).length > 0, `the outcome of event ${cause.id}`, timeoutMs);
    return this.of(cause.id)[0] as unknown as Envelope<EventDataByType[K]> & { type: K };
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect();
  }
}

export async function waitFor(
  check: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The pipeline's record of an event: how many attempts it took and how it ended. */
export async function inboxEntry(
  db: DataSource,
  eventId: string,
): Promise<{ status: string; attempts: number; runs: number } | undefined> {
  const rows: { status: string; attempts: number; runs: number }[] = await db.query(
    `SELECT status, attempts, runs FROM pipeline.inbox WHERE event_id = $1`,
    [eventId],
  );
  return rows[0];
}
