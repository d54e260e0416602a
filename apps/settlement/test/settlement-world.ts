/**
 * Shared pieces of the settlement's integration tests (and a candidate for hoisting: every flow
 * needs "boot the app against the emulator and a tenant, produce an event, await its outcome").
 *
 * A world is one test file's isolated corner of the run: its own topic prefix (so its app instances
 * are the only consumers of its topics, and its posters only post its settlements), its own
 * emulator, tenants with unique ids, and a consumer that collects the outcome topic.
 */
import { randomBytes } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Consumer, Kafka } from 'kafkajs';
import type { DataSource } from 'typeorm';
import {
  buildEvent,
  decodeEvent,
  encodeEnvelope,
  topicName,
  zReportEntityId,
  type Envelope,
  type ZReportClosed,
} from '@lib/contracts';
import { connectPipeline } from '@lib/pipeline';
import { createDataSource, createKafka, ensureTopics, JsonLogger, loadEnv } from '@lib/platform';
import { InMemoryApiBudget, InMemoryCallRecorder, PowerOfficeClient, PowerOfficeClientFactory } from '@lib/poweroffice';
import { KeyCipher, NS4102_PRESET, TenantService, type AccountMapping, type SettlementSchedule } from '@lib/tenancy';
import { startEmulator, type RunningEmulator } from '../../poweroffice-emulator/src/bootstrap';
import { testEnv, uniqueId } from '../../../test/support/env';
import type { SettlementClock } from '../src/clock';
import { MissingSettlementCheck } from '../src/missing-settlement.job';
import { SettlementActions } from '../src/settlement-actions.service';
import { SettlementPoster } from '../src/settlement-posting.job';
import { SettlementConfig } from '../src/settlement.config';
import { SettlementModule, settlementTopics } from '../src/settlement.module';

export type Outcome = Envelope<Record<string, unknown>> & { type: string };

/** A clock the test moves by hand. */
export class TestClock implements SettlementClock {
  constructor(private current: Date) {}
  now(): Date {
    return new Date(this.current.getTime());
  }
  set(at: Date | string): void {
    this.current = new Date(at);
  }
}

export async function waitFor<T>(
  probe: () => Promise<T | undefined> | T | undefined,
  what: string,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Reads the outcome topic from the start for the whole test file. */
export class OutcomeCollector {
  readonly all: Outcome[] = [];
  private constructor(private readonly consumer: Consumer) {}

  static async start(kafka: Kafka, topic: string, groupId: string): Promise<OutcomeCollector> {
    const consumer = kafka.consumer({ groupId, sessionTimeout: 10_000, allowAutoTopicCreation: false });
    const collector = new OutcomeCollector(consumer);
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        const decoded = decodeEvent(message);
        if (!decoded.ok) throw new Error(`an outcome breaks the contract: ${decoded.error.message}`);
        collector.all.push(decoded.envelope as unknown as Outcome);
      },
    });
    return collector;
  }

  of(tenantId: string, registerId?: string, zNumber?: number): Outcome[] {
    const key = registerId === undefined ? undefined : `${tenantId}:${zReportEntityId(registerId, zNumber!)}`;
    return this.all.filter((o) => o.tenantId === tenantId && (key === undefined || o.key === key));
  }

  /** Waits until the tenant has an outcome matching `pred`, and returns it. */
  waitFor(tenantId: string, pred: (o: Outcome) => boolean, what: string, timeoutMs = 30_000): Promise<Outcome> {
    return waitFor(() => this.of(tenantId).find(pred), `${what} (tenant ${tenantId})`, timeoutMs);
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect();
  }
}

export interface RunningSettlementApp {
  app: INestApplication;
  poster: SettlementPoster;
  actions: SettlementActions;
  missing: MissingSettlementCheck;
  close(): Promise<void>;
}

export interface Shop {
  tenantId: string;
  clientKey: string;
}

export class SettlementWorld {
  private readonly apps: RunningSettlementApp[] = [];

  private constructor(
    readonly name: string,
    readonly topicPrefix: string,
    readonly kafka: Kafka,
    readonly db: DataSource,
    readonly emulator: RunningEmulator,
    /** The test's own view of tenancy (what an operator does in the console). */
    readonly tenants: TenantService<PowerOfficeClient>,
    readonly outcomes: OutcomeCollector,
  ) {}

  static async create(name: string): Promise<SettlementWorld> {
    const env = testEnv();
    const topicPrefix = `${env.topicPrefix}${name}-${randomBytes(3).toString('hex')}.`;
    const kafka = createKafka({ brokers: env.kafkaBrokers, clientId: `settlement-test-${name}`, log: () => undefined });
    const outcomeTopic = topicName('settlementOutcomes', topicPrefix);
    await ensureTopics(kafka, settlementTopics(topicPrefix), 3);
    const db = createDataSource(env.databaseUrl, { extra: { max: 4 } });
    await db.initialize();
    // The tests' budget is unlimited: pacing is the benchmark's subject, not theirs.
    const emulator = await startEmulator({ port: 0, rateLimit: 0 });
    const factory = new PowerOfficeClientFactory(
      {
        baseUrl: emulator.baseUrl,
        applicationKey: emulator.applicationKey,
        subscriptionKey: emulator.subscriptionKey,
        rateLimit: 0,
      },
      new InMemoryApiBudget({ rateLimit: 0 }),
      new InMemoryCallRecorder(),
    );
    const tenants = new TenantService<PowerOfficeClient>(db, KeyCipher.fromEnv(), factory, { cacheTtlMs: 0 });
    const outcomes = await OutcomeCollector.start(kafka, outcomeTopic, `${topicPrefix}test-outcomes`);
    return new SettlementWorld(name, topicPrefix, kafka, db, emulator, tenants, outcomes);
  }

  /** A shop onboarded against a fresh emulator client (NS 4102 chart), with a mapping and schedule. */
  async onboardShop(
    options: { mapping?: AccountMapping | null; schedule?: SettlementSchedule; lockDate?: string; id?: string } = {},
  ): Promise<Shop> {
    const { clientKey } = await this.emulator.admin.createClient({
      preset: 'ns4102',
      lockDate: options.lockDate ?? null,
    });
    const tenantId = options.id ?? uniqueId(`${this.name}`.slice(0, 20));
    await this.tenants.onboard({
      id: tenantId,
      name: `Butikk ${tenantId}`,
      organizationNumber: '999999999',
      clientKey,
      actor: 'test',
    });
    if (options.mapping !== null) await this.tenants.setMapping(tenantId, options.mapping ?? NS4102_PRESET, 'test');
    if (options.schedule) await this.tenants.setSchedule(tenantId, options.schedule, 'test');
    return { tenantId, clientKey };
  }

  /** Boots one settlement app instance, as `main.ts` does, pointed at this world. */
  async startApp(
    options: { clock?: SettlementClock; env?: Record<string, string> } = {},
  ): Promise<RunningSettlementApp> {
    const env = testEnv();
    const config = loadEnv(SettlementConfig, {
      ...process.env,
      KAFKA_BROKERS: env.kafkaBrokers,
      DATABASE_URL: env.databaseUrl,
      TOPIC_PREFIX: this.topicPrefix,
      PORT: '0',
      DB_MIGRATE_ON_START: 'false',
      POWEROFFICE_BASE_URL: this.emulator.baseUrl,
      POWEROFFICE_RATE_LIMIT: '0',
      SETTLEMENT_POLL_INTERVAL_MS: '0',
      SETTLEMENT_MISSING_CHECK_CRON: 'off',
      ...options.env,
    });
    const app = await NestFactory.create(SettlementModule.register(config, { clock: options.clock }), {
      logger: new JsonLogger('settlement-test', (process.env.SETTLEMENT_TEST_LOG as 'debug' | undefined) ?? 'error'),
      abortOnError: false,
    });
    connectPipeline(app);
    await app.startAllMicroservices();
    await app.listen(0, '127.0.0.1');
    const running: RunningSettlementApp = {
      app,
      poster: app.get(SettlementPoster),
      actions: app.get(SettlementActions),
      missing: app.get(MissingSettlementCheck),
      close: async () => {
        this.apps.splice(this.apps.indexOf(running), 1);
        await app.close();
      },
    };
    this.apps.push(running);
    return running;
  }

  zReportEvent(tenantId: string, report: ZReportClosed, id?: string): Envelope<ZReportClosed> {
    return buildEvent({
      type: 'ZReportClosed',
      tenantId,
      entityId: zReportEntityId(report.registerId, report.zNumber),
      data: report,
      source: 'open-one',
      ...(id ? { id } : {}),
    });
  }

  async produce(events: Envelope[]): Promise<void> {
    const producer = this.kafka.producer();
    await producer.connect();
    try {
      await producer.send({
        topic: topicName('zReportClosed', this.topicPrefix),
        acks: -1,
        messages: events.map((e) => encodeEnvelope(e)),
      });
    } finally {
      await producer.disconnect();
    }
  }

  /** Waits until the apps' consumer group has committed every Z-report produced so far. */
  async consumed(timeoutMs = 30_000): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    const topic = topicName('zReportClosed', this.topicPrefix);
    const groupId = `${this.topicPrefix}open-one-poweroffice.settlement`;
    try {
      await waitFor(
        async () => {
          const [ends, committed] = await Promise.all([
            admin.fetchTopicOffsets(topic),
            admin.fetchOffsets({ groupId, topics: [topic] }),
          ]);
          const at = new Map(committed[0]!.partitions.map((p) => [p.partition, p.offset]));
          return ends.every((e) => e.high === e.low || at.get(e.partition) === e.high) ? true : undefined;
        },
        `group ${groupId} to consume ${topic}`,
        timeoutMs,
      );
    } finally {
      await admin.disconnect();
    }
  }

  /** The settlement's own row (tests look behind the status view only to set up a crash). */
  async statusRows(tenantId: string): Promise<
    {
      register_id: string;
      z_number: string | null;
      business_date: string;
      state: string;
      po_voucher_id: string | null;
      error_code: string | null;
      error_message: string | null;
    }[]
  > {
    return this.db.query(
      `SELECT register_id, z_number, to_char(business_date, 'YYYY-MM-DD') AS business_date, state, po_voucher_id, error_code, error_message
         FROM settlement.status_view WHERE tenant_id = $1 ORDER BY business_date, z_number`,
      [tenantId],
    );
  }

  async state(tenantId: string, registerId: string, zNumber: number): Promise<string | undefined> {
    const rows: { state: string }[] = await this.db.query(
      `SELECT state FROM settlement.status_view WHERE tenant_id = $1 AND register_id = $2 AND z_number = $3`,
      [tenantId, registerId, zNumber],
    );
    return rows[0]?.state;
  }

  async close(): Promise<void> {
    for (const app of [...this.apps]) await app.close().catch(() => undefined);
    await this.outcomes.stop().catch(() => undefined);
    await this.emulator.close().catch(() => undefined);
    await this.db.destroy().catch(() => undefined);
  }
}

/** A Z-report like pos-domain §8.2 (all payment means, gift cards, tips, cash count) for any register, Z and day. */
export function fullDay(
  registerId: string,
  zNumber: number,
  businessDate: string,
  overrides: Partial<ZReportClosed> = {},
): ZReportClosed {
  return {
    registerId,
    zNumber,
    businessDate,
    closedAt: `${businessDate}T22:05:13+01:00`,
    currency: 'NOK',
    sales: [
      { vatCode: '3', vatRate: 25, grossAmount: 950000, netAmount: 760000, vatAmount: 190000, count: 61 },
      { vatCode: '31', vatRate: 15, grossAmount: 460040, netAmount: 400035, vatAmount: 60005, count: 148 },
      { vatCode: '5', vatRate: 0, grossAmount: 30000, netAmount: 30000, vatAmount: 0, count: 12 },
    ],
    payments: [
      { method: 'cash', saftCode: '12001', amount: 455000, count: 38 },
      { method: 'card', saftCode: '12002', amount: 900000, count: 97 },
      { method: 'vipps', saftCode: '12011', amount: 150000, count: 21 },
      { method: 'giftCard', saftCode: '12005', amount: 40000, count: 2 },
      { method: 'pantSlip', saftCode: '12008', amount: 15000, count: 9 },
    ],
    giftCardsSold: { count: 2, amount: 100000 },
    tips: { count: 14, amount: 20000 },
    cash: { openingFloat: 200000, counted: 653000, difference: -2000 },
    rounding: -40,
    ...overrides,
  };
}

/** A small day: one VAT rate, cash and card. `sales` in øre (25 %). */
export function smallDay(
  registerId: string,
  zNumber: number,
  businessDate: string,
  sales = 125000,
  closedAt?: string,
): ZReportClosed {
  const vat = Math.round(sales / 5);
  return {
    registerId,
    zNumber,
    businessDate,
    closedAt: closedAt ?? `${businessDate}T21:30:00+01:00`,
    currency: 'NOK',
    sales: [{ vatCode: '3', vatRate: 25, grossAmount: sales, netAmount: sales - vat, vatAmount: vat, count: 10 }],
    payments: [
      { method: 'cash', amount: Math.floor(sales / 2), count: 4 },
      { method: 'card', amount: sales - Math.floor(sales / 2), count: 6 },
    ],
  };
}
