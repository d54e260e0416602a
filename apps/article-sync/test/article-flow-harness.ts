import { randomBytes } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Partitioners } from 'kafkajs';
import type { Consumer, Kafka, Producer } from 'kafkajs';
import { DataSource } from 'typeorm';
import {
  ArticleChanged,
  articleChangedExample,
  buildEvent,
  decodeEvent,
  encodeEnvelope,
  Envelope,
  topicName,
} from '@lib/contracts';
import { connectPipeline, FlowRuntime } from '@lib/pipeline';
import { createKafka, ensureTopics, loadEnv } from '@lib/platform';
import { AccountMapping, TenantService } from '@lib/tenancy';
import { startEmulator } from '../../poweroffice-emulator/src/bootstrap';
import type { LoggedRequest, RunningEmulator } from '../../poweroffice-emulator/src/bootstrap';
import { ArticleSyncConfig } from '../src/article-sync.config';
import { articleSyncTopics, ArticleSyncModule } from '../src/article-sync.module';

/**
 * One article-sync world for integration tests and the benchmark: an in-process PowerOffice
 * emulator (with its own subscription key, so its API budget row is its own), the app booted
 * in-process against the real broker and PostgreSQL on topics of its own, a reader of the outcome
 * topic, and helpers to onboard tenants, produce ArticleChanged and count PowerOffice calls.
 *
 * Written for article-sync; nothing in it is particular to articles except the event builder, so it
 * could be hoisted for every flow (boot a flow against emulator + tenant, produce, await outcomes).
 */
export interface HarnessSettings {
  kafkaBrokers: string;
  databaseUrl: string;
  /** The run's prefix; the harness adds one of its own under it. */
  topicPrefix: string;
  /** Requests/s the emulator admits AND the client's budget (POWEROFFICE_RATE_LIMIT); equal on purpose. */
  rateLimit: number;
  /** Partitions of the input topic (and concurrency of the flow). */
  partitions?: number;
  /** Apply migrations at start (the benchmark's own database); the test run's are applied already. */
  migrate?: boolean;
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
  /**
   * Start consuming at once (default). False: the app boots without its consumer, so a bulk load
   * can be produced first and consumed from the topic as a backlog (`startFlow()`), as it is when
   * a shop with thousands of articles is connected.
   */
  startFlow?: boolean;
}

export type Outcome = Envelope<Record<string, unknown>>;

export class ArticleFlowHarness {
  readonly outcomes: Outcome[] = [];
  private requestSeq = 0;

  private constructor(
    readonly prefix: string,
    readonly emulator: RunningEmulator,
    readonly app: INestApplication,
    readonly kafka: Kafka,
    private readonly producer: Producer,
    private readonly outcomeReader: Consumer,
  ) {}

  static async start(settings: HarnessSettings): Promise<ArticleFlowHarness> {
    const prefix = `${settings.topicPrefix}article-sync-${randomBytes(4).toString('hex')}.`;
    const partitions = settings.partitions ?? 3;
    const subscriptionKey = randomBytes(16).toString('hex');
    const emulator = await startEmulator({ port: 0, rateLimit: settings.rateLimit, subscriptionKey });
    const kafka = createKafka({ brokers: settings.kafkaBrokers, clientId: `${prefix}harness`, log: () => undefined });
    const outcomeTopic = topicName('articleSyncOutcomes', prefix);
    await ensureTopics(kafka, articleSyncTopics(prefix), partitions);

    const config = loadEnv(ArticleSyncConfig, {
      KAFKA_BROKERS: settings.kafkaBrokers,
      DATABASE_URL: settings.databaseUrl,
      TOPIC_PREFIX: prefix,
      PORT: '0',
      DB_MIGRATE_ON_START: settings.migrate ? 'true' : 'false',
      LOG_LEVEL: settings.logLevel ?? 'warn',
      ARTICLE_SYNC_CONCURRENCY: String(partitions),
    });
    const app = await NestFactory.create(
      ArticleSyncModule.register(config, {
        powerOffice: {
          baseUrl: emulator.baseUrl,
          applicationKey: emulator.applicationKey,
          subscriptionKey,
          rateLimit: settings.rateLimit,
        },
        flow: { sessionTimeoutMs: 10_000, commitIntervalMs: 200 },
      }),
      { logger: ['error', 'warn'], abortOnError: false },
    );
    connectPipeline(app);
    await app.listen(0, '127.0.0.1');
    if (settings.startFlow !== false) await app.startAllMicroservices();

    // kafkajs' default (Java-compatible) partitioner, named to silence its v2 migration warning.
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    const outcomeReader = kafka.consumer({ groupId: `${prefix}outcome-reader` });
    const harness = new ArticleFlowHarness(prefix, emulator, app, kafka, producer, outcomeReader);
    await outcomeReader.connect();
    await outcomeReader.subscribe({ topic: outcomeTopic, fromBeginning: true });
    await outcomeReader.run({
      eachMessage: async ({ message }) => {
        const decoded = decodeEvent({
          key: message.key ?? null,
          value: message.value ?? null,
          headers: message.headers,
        });
        if (!decoded.ok) throw new Error(`an outcome does not satisfy the contract: ${decoded.error.message}`);
        harness.outcomes.push(decoded.envelope as unknown as Outcome);
      },
    });
    return harness;
  }

  /** Starts the flow's consumer (when the harness was started with `startFlow: false`). */
  async startFlow(): Promise<void> {
    await this.app.startAllMicroservices();
  }

  get tenants(): TenantService {
    return this.app.get(TenantService);
  }

  get db(): DataSource {
    return this.app.get(DataSource);
  }

  get runtime(): FlowRuntime {
    return this.app.get(FlowRuntime);
  }

  /** A shop: an ns4102 client in the emulator, onboarded through tenancy, with `mapping` when given. */
  async onboardTenant(name: string, mapping: AccountMapping | null): Promise<{ tenantId: string; clientKey: string }> {
    const { clientKey } = await this.emulator.admin.createClient({ preset: 'ns4102', name });
    const tenantId = `${name}-${randomBytes(4).toString('hex')}`;
    await this.tenants.onboard({ id: tenantId, name, organizationNumber: '999888777', clientKey, actor: 'test' });
    if (mapping) await this.tenants.setMapping(tenantId, mapping, 'test');
    return { tenantId, clientKey };
  }

  /** ArticleChanged for `tenantId` from the contract's example article, with `data` changed. */
  articleChanged(tenantId: string, data: Partial<ArticleChanged> & { articleId: string }): Envelope<ArticleChanged> {
    const article: ArticleChanged = { ...articleChangedExample, articleNumber: data.articleId, ...data };
    return buildEvent({
      type: 'ArticleChanged',
      tenantId,
      entityId: article.articleId,
      source: 'open-one',
      data: article,
    });
  }

  async produce(events: readonly Envelope[]): Promise<void> {
    const topic = topicName('articleChanged', this.prefix);
    // Batches keep a bulk load's produce request under the broker's size limit.
    for (let i = 0; i < events.length; i += 500) {
      await this.producer.send({ topic, acks: -1, messages: events.slice(i, i + 500).map((e) => encodeEnvelope(e)) });
    }
  }

  /** The outcomes of these events, once each has at least one (in arrival order per event). */
  async outcomesOf(eventIds: readonly string[], timeoutMs = 60_000): Promise<Outcome[]> {
    const wanted = new Set(eventIds);
    await waitUntil(
      () => {
        const answered = new Set(
          this.outcomes.filter((o) => wanted.has(o.causationId ?? '')).map((o) => o.causationId),
        );
        return answered.size === wanted.size;
      },
      `outcomes of ${wanted.size} event(s)`,
      timeoutMs,
    );
    return this.outcomes.filter((o) => wanted.has(o.causationId ?? ''));
  }

  /** Produces one event and returns its single outcome. */
  async sync(event: Envelope<ArticleChanged>): Promise<Outcome> {
    await this.produce([event]);
    const [outcome] = await this.outcomesOf([event.id]);
    return outcome!;
  }

  /** Where the emulator's request log is now; `callsSince` counts from here. */
  async markRequests(): Promise<number> {
    const entries = await this.emulator.admin.requests({ since: this.requestSeq });
    if (entries.length > 0) this.requestSeq = entries[entries.length - 1]!.seq;
    return this.requestSeq;
  }

  /** API calls of one client since a mark, as `METHOD /path` (token calls included, they cost budget too). */
  async callsSince(mark: number, clientKey: string): Promise<string[]> {
    const entries: LoggedRequest[] = await this.emulator.admin.requests({ since: mark, clientKey });
    return entries.map((e) => `${e.method} ${e.path.replace(/^\/v2/, '')}`);
  }

  async products(clientKey: string): Promise<Record<string, unknown>[]> {
    return (await this.emulator.admin.state(clientKey)).products;
  }

  async productGroups(clientKey: string): Promise<Record<string, unknown>[]> {
    return (await this.emulator.admin.state(clientKey)).productGroups;
  }

  /** The PowerOffice id of a GL account number in a client (accounts are PowerOffice DTOs). */
  async accountId(clientKey: string, accountNo: number): Promise<number> {
    const account = (await this.emulator.admin.state(clientKey)).accounts.find((a) => a.AccountNo === accountNo);
    if (!account) throw new Error(`account ${accountNo} is not in the emulated client`);
    return account.Id as number;
  }

  async statusOf(tenantId: string, articleId: string): Promise<Record<string, unknown> | undefined> {
    const rows: Record<string, unknown>[] = await this.db.query(
      `SELECT * FROM article_sync.status_view WHERE tenant_id = $1 AND article_id = $2`,
      [tenantId, articleId],
    );
    return rows[0];
  }

  async close(): Promise<void> {
    await this.outcomeReader.disconnect().catch(() => undefined);
    await this.producer.disconnect().catch(() => undefined);
    await this.app.close();
    await this.emulator.close();
  }
}

export async function waitUntil(
  check: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
