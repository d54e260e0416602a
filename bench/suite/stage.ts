import path from 'node:path';
import type { Kafka } from 'kafkajs';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { dlqTopic, TopicKey, topicName } from '@lib/contracts';
import { createDataSource, createKafka, ensureTopics, runMigrations } from '@lib/platform';
import { InMemoryApiBudget, InMemoryCallRecorder, PowerOfficeClient, PowerOfficeClientFactory } from '@lib/poweroffice';
import { KeyCipher, NS4102_PRESET, TenantService } from '@lib/tenancy';
import { createEmulatorAdmin, EMULATOR_DEFAULTS, EmulatorAdmin } from '../../apps/poweroffice-emulator/src/bootstrap';
import { AppName, LocalStack, ManagedProcess, recreateDatabase } from '../../tools/stack';
import { stopApp } from './processes';
import type { Profile } from './report';
import { MemoryPeak, RssSampler } from './rss';

/** What every benchmark of one `npm run bench` shares. */
export interface SuiteContext {
  profile: Profile;
  brokers: string;
  /** A PostgreSQL URL with the right to create databases; each benchmark makes its own and drops it. */
  adminUrl: string;
  /** Unique per run: database names, topic prefixes, log folders. */
  runId: string;
  /** Where each process's log of this run goes (test-artifacts/bench/<runId>). */
  artifactsDir: string;
  /** TENANT_KEY_ENCRYPTION_KEY shared by the benchmark and the apps it starts. */
  encryptionKey: string;
}

export const OPERATOR_TOKEN = 'bench-operator-token-0123456789abcdef';

/**
 * The environment of a benchmark script run as a child (bench/nightly-settlement.ts, …): they
 * read the server's admin URL as DATABASE_URL or BENCH_ADMIN_DATABASE_URL and make their own database.
 */
export function childEnv(ctx: SuiteContext, extra: Record<string, string>): NodeJS.ProcessEnv {
  return {
    ...process.env,
    KAFKA_BROKERS: ctx.brokers,
    DATABASE_URL: ctx.adminUrl,
    BENCH_ADMIN_DATABASE_URL: ctx.adminUrl,
    TENANT_KEY_ENCRYPTION_KEY: ctx.encryptionKey,
    KAFKAJS_NO_PARTITIONER_WARNING: '1',
    ...extra,
  };
}

/**
 * One benchmark's world: its own database (migrated), topic prefix, PowerOffice emulator process,
 * app processes (LocalStack, from dist/) with their memory sampled, and tenants onboarded through
 * TenantService with the NS 4102 mapping. `close()` stops and removes all of it.
 */
export class BenchStage {
  readonly rss = new RssSampler(200);
  private emulatorUrl?: string;
  private adminClient?: EmulatorAdmin;
  private tenancy?: TenantService<PowerOfficeClient>;
  readonly clientKeys = new Map<string, string>();

  private constructor(
    readonly name: string,
    readonly ctx: SuiteContext,
    readonly kafka: Kafka,
    readonly db: DataSource,
    readonly databaseName: string,
    readonly databaseUrl: string,
    readonly prefix: string,
    readonly stack: LocalStack,
  ) {}

  static async open(ctx: SuiteContext, name: string): Promise<BenchStage> {
    const databaseName = `oop_bench_${name}_${ctx.runId}`;
    const databaseUrl = await recreateDatabase(ctx.adminUrl, databaseName);
    await runMigrations(databaseUrl);
    const db = createDataSource(databaseUrl, { extra: { max: 6, application_name: `bench-${name}` } });
    await db.initialize();
    const prefix = `bench-${name}-${ctx.runId}.`;
    const kafka = createKafka({ brokers: ctx.brokers, clientId: `bench-${name}`, log: () => undefined });
    const stack = new LocalStack({
      env: {
        KAFKA_BROKERS: ctx.brokers,
        DATABASE_URL: databaseUrl,
        TOPIC_PREFIX: prefix,
        TENANT_KEY_ENCRYPTION_KEY: ctx.encryptionKey,
        DB_MIGRATE_ON_START: 'false',
        LOG_LEVEL: 'warn',
        // Jobs that are not what is measured stay off: the PowerOffice → POS poll and the morning check.
        CUSTOMER_POLL_INTERVAL_MS: '0',
        SETTLEMENT_MISSING_CHECK_CRON: 'off',
        CONSOLE_OPERATOR_TOKEN: `bench:${OPERATOR_TOKEN}`,
        KAFKAJS_NO_PARTITIONER_WARNING: '1',
      },
      logDir: path.join(ctx.artifactsDir, name),
    });
    return new BenchStage(name, ctx, kafka, db, databaseName, databaseUrl, prefix, stack);
  }

  get emulator(): { url: string; admin: EmulatorAdmin } {
    if (!this.emulatorUrl || !this.adminClient) throw new Error('the emulator is not started');
    return { url: this.emulatorUrl, admin: this.adminClient };
  }

  /** The PowerOffice emulator as its own process; `rateLimit` 0 = it never answers 429. */
  async startEmulator(rateLimit: number): Promise<void> {
    const proc = await this.stack.start('poweroffice-emulator', {
      env: { EMULATOR_RATE_LIMIT: String(rateLimit) },
    });
    this.emulatorUrl = proc.url;
    this.adminClient = createEmulatorAdmin(proc.url);
  }

  /**
   * Starts an app process against the emulator with the shared API budget at `rateLimit` requests/s
   * (0 = unlimited) and samples its memory from now on, labelled `during`.
   */
  async startApp(
    app: AppName,
    options: { name?: string; rateLimit: number; during: string; env?: Record<string, string> },
  ): Promise<ManagedProcess> {
    const proc = await this.stack.start(app, {
      name: options.name,
      env: {
        POWEROFFICE_BASE_URL: this.emulator.url,
        POWEROFFICE_APPLICATION_KEY: EMULATOR_DEFAULTS.applicationKey,
        POWEROFFICE_SUBSCRIPTION_KEY: EMULATOR_DEFAULTS.subscriptionKey,
        POWEROFFICE_RATE_LIMIT: String(options.rateLimit),
        ...options.env,
      },
    });
    this.rss.track(proc.name, proc.child?.pid, options.during);
    return proc;
  }

  /** Stops an app gracefully; returns its memory peak while it ran. */
  async stopApp(name: string): Promise<MemoryPeak | undefined> {
    const peak = await this.rss.finish(name);
    await stopApp(this.stack, name);
    return peak;
  }

  /** Creates topics with the apps' partition count (3), and the dead-letter topic of each input. */
  async createTopics(inputs: readonly TopicKey[], outputs: readonly TopicKey[], partitions = 3): Promise<void> {
    const names = [
      ...inputs.flatMap((k) => [topicName(k, this.prefix), dlqTopic(topicName(k, this.prefix))]),
      ...outputs.map((k) => topicName(k, this.prefix)),
    ];
    await ensureTopics(this.kafka, names, partitions);
  }

  topic(key: TopicKey): string {
    return topicName(key, this.prefix);
  }

  /**
   * Tenants on PowerOffice clients with the NS 4102 chart, onboarded through TenantService (their
   * client key checked, reference data read) with the NS 4102 account mapping. Setting up is not
   * measured: the benchmark's own client here is never rate limited.
   */
  async onboard(tenantIds: readonly string[], concurrency = 8): Promise<void> {
    const tenancy = this.tenants();
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(concurrency, tenantIds.length) }, async () => {
        while (next < tenantIds.length) {
          const tenantId = tenantIds[next++]!;
          const { clientKey } = await this.emulator.admin.createClient({
            preset: 'ns4102',
            name: `Butikk ${tenantId}`,
          });
          this.clientKeys.set(tenantId, clientKey);
          await tenancy.onboard({
            id: tenantId,
            name: `Butikk ${tenantId}`,
            organizationNumber: '999999999',
            clientKey,
            actor: 'bench',
          });
          await tenancy.setMapping(tenantId, NS4102_PRESET, 'bench');
        }
      }),
    );
  }

  tenants(): TenantService<PowerOfficeClient> {
    if (!this.tenancy) {
      const factory = new PowerOfficeClientFactory(
        {
          baseUrl: this.emulator.url,
          applicationKey: EMULATOR_DEFAULTS.applicationKey,
          subscriptionKey: EMULATOR_DEFAULTS.subscriptionKey,
          rateLimit: 0,
        },
        new InMemoryApiBudget({ rateLimit: 0 }),
        new InMemoryCallRecorder(),
      );
      const cipher = KeyCipher.fromEnv({ env: { TENANT_KEY_ENCRYPTION_KEY: this.ctx.encryptionKey } });
      this.tenancy = new TenantService<PowerOfficeClient>(this.db, cipher, factory, { cacheTtlMs: 0 });
    }
    return this.tenancy;
  }

  clientKey(tenantId: string): string {
    const key = this.clientKeys.get(tenantId);
    if (!key) throw new Error(`tenant ${tenantId} is not onboarded here`);
    return key;
  }

  /** Stops every process, deletes the topics and drops the database. */
  async close(): Promise<void> {
    this.rss.stop();
    await this.stack.stopAll().catch((err: Error) => console.log(`    cleanup: ${err.message}`));
    await this.db.destroy().catch(() => undefined);
    await deleteTopics(this.kafka, this.prefix);
    await dropDatabase(this.ctx.adminUrl, this.databaseName).catch((err: Error) =>
      console.log(`    cleanup: could not drop ${this.databaseName}: ${err.message}`),
    );
  }
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

/** Bench topics are prefixed per run; leftovers would only cost disk, but a 200 000-event run is worth removing. */
export async function deleteTopics(kafka: Kafka, prefix: string): Promise<void> {
  const admin = kafka.admin();
  try {
    await admin.connect();
    const topics = (await admin.listTopics()).filter((t) => t.startsWith(prefix));
    if (topics.length > 0) await admin.deleteTopics({ topics, timeout: 30_000 });
  } catch (err) {
    console.log(`    cleanup: could not delete topics ${prefix}*: ${(err as Error).message}`);
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}
