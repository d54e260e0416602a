import { randomBytes } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import type { Kafka, Message, Producer, RecordMetadata } from 'kafkajs';
import type { DataSource } from 'typeorm';
import {
  buildEvent,
  dlqTopic,
  encodeEnvelope,
  Envelope,
  EventDataByType,
  PosEventType,
  POS_EVENT_TYPES,
  topicName,
  TopicKey,
} from '@lib/contracts';
import { createDataSource, createKafka, ensureTopics, runMigrations } from '@lib/platform';
import { InMemoryApiBudget, InMemoryCallRecorder, PowerOfficeClient, PowerOfficeClientFactory } from '@lib/poweroffice';
import { KeyCipher, NS4102_PRESET, TenantService } from '@lib/tenancy';
import {
  createEmulatorAdmin,
  EMULATOR_DEFAULTS,
  type EmulatorAdmin,
} from '../../../apps/poweroffice-emulator/src/bootstrap';
import {
  Restartable,
  RestartVerdict,
  sharedBroker,
  sharedPostgres,
  startPrivateBroker,
  startPrivatePostgres,
} from '../../../tools/infra-control';
import { AppName, LocalStack, ROOT, waitFor } from '../../../tools/stack';
import { testEnv } from '../../support/env';
import type { ProducedEvent } from './invariants';
import { Observer } from './observer';
import type { FaultSuiteSettings } from './settings';

/** The apps' PowerOffice request timeout in the suite; a latency above it makes every call time out. */
export const POWEROFFICE_TIMEOUT_MS = 4000;

export const FLOW_APPS = [
  'customer-sync',
  'article-sync',
  'settlement',
  'invoice',
] as const satisfies readonly AppName[];
export type FlowApp = (typeof FLOW_APPS)[number];

const POS_TOPIC_KEYS: TopicKey[] = ['customerChanged', 'articleChanged', 'zReportClosed', 'invoicePosted'];
const OUTCOME_TOPIC_KEYS: TopicKey[] = [
  'customerSyncOutcomes',
  'articleSyncOutcomes',
  'settlementOutcomes',
  'invoiceOutcomes',
  'powerOfficeCustomerChanged',
];

export interface OnboardedTenant {
  tenantId: string;
  marker: string;
  clientKey: string;
}

/** Infrastructure the suite may restart, with the verdict when it may not. */
class NotRestartable implements Restartable {
  readonly verdict: RestartVerdict;
  constructor(
    readonly description: string,
    reason: string,
  ) {
    this.verdict = { restartable: false, reason };
  }
  restart(): Promise<{ downMs: number; upMs: number }> {
    return Promise.reject(new Error(`${this.description}: ${(this.verdict as { reason: string }).reason}`));
  }
  async dispose(): Promise<void> {}
}

/**
 * One fault-suite run: the broker and PostgreSQL it uses (and may restart), the PowerOffice emulator
 * and the apps as separate OS processes (tools/stack.ts), tenants onboarded through TenantService,
 * a producer that records where every record landed, and an observer of the outcome and dead-letter
 * topics. Everything is named with a per-run topic prefix.
 */
export class FaultWorld {
  readonly produced: ProducedEvent[] = [];
  readonly tenantList: OnboardedTenant[] = [];
  private producer?: Producer;
  /** Records sent twice on purpose (the same ce_id delivered again). */
  redeliveries = 0;

  private constructor(
    readonly settings: FaultSuiteSettings,
    readonly kafkaBrokers: string,
    readonly databaseUrl: string,
    readonly broker: Restartable,
    readonly postgres: Restartable,
    readonly prefix: string,
    readonly kafka: Kafka,
    readonly db: DataSource,
    readonly stack: LocalStack,
    readonly logDir: string,
    readonly operatorToken: string,
    private readonly keyEncryptionKey: string,
    readonly observer: Observer,
  ) {}

  static async create(settings: FaultSuiteSettings): Promise<FaultWorld> {
    const env = testEnv();
    const runId = `${new Date().toISOString().replace(/[-:T]/g, '').slice(0, 14)}-${randomBytes(2).toString('hex')}`;
    let kafkaBrokers = env.kafkaBrokers;
    let databaseUrl = env.databaseUrl;
    let broker: Restartable;
    let postgres: Restartable;
    if (settings.infra === 'own') {
      const ownBroker = await startPrivateBroker();
      const ownPostgres = await startPrivatePostgres();
      kafkaBrokers = ownBroker.brokers;
      broker = ownBroker.control;
      postgres = ownPostgres.control;
      const admin = new Client({ connectionString: ownPostgres.adminUrl });
      await admin.connect();
      await admin.query('CREATE DATABASE oop_faults');
      await admin.end();
      const u = new URL(ownPostgres.adminUrl);
      u.pathname = '/oop_faults';
      databaseUrl = u.toString();
      await runMigrations(databaseUrl);
    } else if (settings.infra === 'shared') {
      broker = sharedBroker(kafkaBrokers);
      postgres = sharedPostgres(databaseUrl);
    } else {
      broker = new NotRestartable(`broker ${kafkaBrokers}`, 'FAULTS_INFRA=none');
      postgres = new NotRestartable('PostgreSQL', 'FAULTS_INFRA=none');
    }

    const prefix = `${env.topicPrefix}faults-${randomBytes(3).toString('hex')}.`;
    const kafka = createKafka({ brokers: kafkaBrokers, clientId: 'fault-suite', log: () => undefined });
    const posTopics = POS_TOPIC_KEYS.map((k) => topicName(k, prefix));
    const outcomeTopics = OUTCOME_TOPIC_KEYS.map((k) => topicName(k, prefix));
    await ensureTopics(kafka, [...posTopics, ...posTopics.map(dlqTopic), ...outcomeTopics], 3);

    const db = createDataSource(databaseUrl, { extra: { max: 4, connectionTimeoutMillis: 5000 } });
    await db.initialize();
    const logDir = path.join(ROOT, 'test-artifacts/faults', runId);
    const operatorToken = `ops-${randomBytes(16).toString('hex')}`;
    const keyEncryptionKey = randomBytes(32).toString('base64');
    const stack = new LocalStack({
      logDir,
      env: {
        KAFKA_BROKERS: kafkaBrokers,
        DATABASE_URL: databaseUrl,
        TOPIC_PREFIX: prefix,
        DB_MIGRATE_ON_START: 'false',
        LOG_LEVEL: 'info',
        TENANT_KEY_ENCRYPTION_KEY: keyEncryptionKey,
        CONSOLE_OPERATOR_TOKEN: `ops:${operatorToken}`,
        POWEROFFICE_RATE_LIMIT: String(settings.clientRateLimit),
        // Short, so that "PowerOffice answers after the client gave up" is cheap to produce (production: 30 s).
        POWEROFFICE_TIMEOUT_MS: String(POWEROFFICE_TIMEOUT_MS),
        CUSTOMER_POLL_INTERVAL_MS: '15000',
        SETTLEMENT_POLL_INTERVAL_MS: '1000',
        // A crashed poster's settlement is taken over after the lease; retries are paced for an outage of minutes.
        SETTLEMENT_POSTING_LEASE_MS: '15000',
        SETTLEMENT_RETRY_BASE_MS: '3000',
        SETTLEMENT_RETRY_MAX_MS: '15000',
        SETTLEMENT_MAX_ATTEMPTS: String(8 + Math.ceil(settings.outageMs / 15_000)),
        SETTLEMENT_MISSING_CHECK_CRON: 'off',
        EMULATOR_RATE_LIMIT: String(settings.emulatorRateLimit),
      },
    });
    const observer = new Observer(kafka, outcomeTopics, posTopics.map(dlqTopic), prefix);
    await observer.start();
    return new FaultWorld(
      settings,
      kafkaBrokers,
      databaseUrl,
      broker,
      postgres,
      prefix,
      kafka,
      db,
      stack,
      logDir,
      operatorToken,
      keyEncryptionKey,
      observer,
    );
  }

  // ------------------------------------------------------------------ PowerOffice and tenants

  get emulatorUrl(): string {
    return this.stack.url('poweroffice-emulator');
  }

  get emulator(): EmulatorAdmin {
    return createEmulatorAdmin(this.emulatorUrl);
  }

  async startEmulator(): Promise<void> {
    await this.stack.start('poweroffice-emulator');
  }

  private tenantServiceInstance?: TenantService<PowerOfficeClient>;

  /** The operator's view of tenancy (what the console's onboarding does), in this process. */
  get tenants(): TenantService<PowerOfficeClient> {
    if (!this.tenantServiceInstance) {
      const factory = new PowerOfficeClientFactory(
        {
          baseUrl: this.emulatorUrl,
          applicationKey: EMULATOR_DEFAULTS.applicationKey,
          subscriptionKey: EMULATOR_DEFAULTS.subscriptionKey,
          rateLimit: 0,
        },
        new InMemoryApiBudget({ rateLimit: 0 }),
        new InMemoryCallRecorder(),
      );
      const cipher = KeyCipher.fromEnv({ env: { TENANT_KEY_ENCRYPTION_KEY: this.keyEncryptionKey } });
      this.tenantServiceInstance = new TenantService<PowerOfficeClient>(this.db, cipher, factory, { cacheTtlMs: 0 });
    }
    return this.tenantServiceInstance;
  }

  /** A shop: an emulated PowerOffice client (NS 4102 chart), onboarded with the NS 4102 mapping. */
  async onboard(tenantId: string, marker: string): Promise<OnboardedTenant> {
    const { clientKey } = await this.emulator.createClient({ preset: 'ns4102', name: `Butikk ${marker}` });
    await this.tenants.onboard({
      id: tenantId,
      name: `Butikk ${marker}`,
      organizationNumber: '999888777',
      clientKey,
      actor: 'fault-suite',
    });
    await this.tenants.setMapping(tenantId, NS4102_PRESET, 'fault-suite');
    const tenant = { tenantId, marker, clientKey };
    this.tenantList.push(tenant);
    return tenant;
  }

  // ------------------------------------------------------------------ apps

  /** Starts an app (or a second instance of one, under another name) pointed at the emulator. */
  async startApp(app: AppName, name?: string): Promise<void> {
    await this.stack.start(app, { ...(name ? { name } : {}), env: { POWEROFFICE_BASE_URL: this.emulatorUrl } });
  }

  async startApps(apps: readonly AppName[]): Promise<void> {
    await Promise.all(apps.map((app) => this.startApp(app)));
  }

  async health(name: string): Promise<{ status: number; body: unknown }> {
    const res = await fetch(`${this.stack.url(name)}/health`, { signal: AbortSignal.timeout(5000) });
    return { status: res.status, body: await res.json().catch(() => null) };
  }

  // ------------------------------------------------------------------ producing

  topic(key: TopicKey): string {
    return topicName(key, this.prefix);
  }

  private async connectedProducer(): Promise<Producer> {
    if (!this.producer) {
      this.producer = this.kafka.producer({ allowAutoTopicCreation: false });
      await this.producer.connect();
    }
    return this.producer;
  }

  /** Sends, retrying through a broker restart; returns where each record landed. */
  async sendRaw(topic: string, messages: Message[]): Promise<RecordMetadata[]> {
    let lastError: unknown;
    const deadline = Date.now() + 120_000;
    while (Date.now() < deadline) {
      try {
        const producer = await this.connectedProducer();
        return await producer.send({ topic, acks: -1, messages });
      } catch (err) {
        lastError = err;
        await this.producer?.disconnect().catch(() => undefined);
        this.producer = undefined;
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
    throw new Error(`could not produce to ${topic}: ${(lastError as Error)?.message}`);
  }

  /** A POS event as Open One publishes it; recorded for the invariants. */
  async send<K extends PosEventType>(
    type: K,
    tenantId: string,
    entityId: string,
    data: EventDataByType[K],
    role: ProducedEvent['role'] = 'load',
    partition?: number,
  ): Promise<{ envelope: Envelope; partition: number; offset: string; message: Message }> {
    const envelope = buildEvent({ type, tenantId, entityId, data, source: 'open-one' });
    const record = encodeEnvelope(envelope);
    const message: Message = {
      key: record.key,
      value: record.value,
      headers: record.headers,
      ...(partition === undefined ? {} : { partition }),
    };
    const topic = this.topic(POS_EVENT_TYPES[type].topicKey);
    const [meta] = await this.sendRaw(topic, [message]);
    const offset = meta!.baseOffset ?? meta!.offset ?? '-1';
    this.produced.push({
      eventId: envelope.id,
      tenantId,
      type,
      topic,
      partition: meta!.partition,
      offset: String(offset),
      role,
    });
    return { envelope, partition: meta!.partition, offset: String(offset), message };
  }

  /** The very same record once more (a producer retry, a POS that sent twice). */
  async redeliver(type: PosEventType, message: Message): Promise<void> {
    await this.sendRaw(this.topic(POS_EVENT_TYPES[type].topicKey), [message]);
    this.redeliveries++;
    const id = String((message.headers as Record<string, string>).ce_id);
    for (const p of this.produced) if (p.eventId === id) p.deliveredTwice = true;
  }

  /** A line in the run's progress file (test-artifacts/faults/<run>/progress.txt), for following a run live. */
  progress(message: string): void {
    appendFileSync(path.join(this.logDir, 'progress.txt'), `${new Date().toISOString()} ${message}\n`);
  }

  async close(): Promise<void> {
    await this.producer?.disconnect().catch(() => undefined);
    await this.observer.stop().catch(() => undefined);
    await this.stack.stopAll().catch(() => undefined);
    await this.db.destroy().catch(() => undefined);
    await this.broker.dispose().catch(() => undefined);
    await this.postgres.dispose().catch(() => undefined);
  }
}

export { waitFor };
