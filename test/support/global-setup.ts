/* eslint-disable no-console */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { Client } from 'pg';
import { assertKafkaReachable } from '../../libs/platform/src/kafka';
import { runMigrations } from '../../libs/platform/src/database';

/**
 * Gives the integration and fault tiers a real Kafka broker and a real PostgreSQL:
 *  1. KAFKA_BROKERS / DATABASE_URL from the environment when set;
 *  2. otherwise testcontainers, where a container runtime answers;
 *  3. otherwise the project's own broker (infra/kafka/kafka.sh, from Maven jars) and the
 *     PostgreSQL on 127.0.0.1:5432.
 * Each run gets a fresh database (all migrations applied) and its own topic prefix, so runs never
 * see each other's data. If no broker or database can be had, the run fails saying which and how
 * to provide it; it never skips.
 */
const root = path.resolve(__dirname, '../..');

type Stoppable = { stop: () => Promise<unknown> };
const g = globalThis as typeof globalThis & { __oopContainers?: Stoppable[] };

async function containerRuntimeAnswers(): Promise<boolean> {
  if (process.env.TESTCONTAINERS_DISABLED === 'true') return false;
  try {
    const { getContainerRuntimeClient } = await import('testcontainers');
    await Promise.race([
      getContainerRuntimeClient(),
      new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 15000)),
    ]);
    return true;
  } catch {
    return false;
  }
}

async function provideKafka(useContainers: boolean): Promise<string> {
  if (process.env.KAFKA_BROKERS) {
    await assertKafkaReachable(process.env.KAFKA_BROKERS, 15000);
    return process.env.KAFKA_BROKERS;
  }
  if (useContainers) {
    const { KafkaContainer } = await import('@testcontainers/kafka');
    const kafka = await new KafkaContainer('confluentinc/cp-kafka:7.9.0').withKraft().start();
    (g.__oopContainers ??= []).push(kafka);
    return `${kafka.getHost()}:${kafka.getMappedPort(9093)}`;
  }
  console.log('[test] no KAFKA_BROKERS and no container runtime: starting the local broker (infra/kafka/kafka.sh up)');
  const res = spawnSync('bash', [path.join(root, 'infra/kafka/kafka.sh'), 'up'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    timeout: 600000,
  });
  const line = (res.stdout ?? '').split('\n').find((l) => l.startsWith('KAFKA_BROKERS='));
  if (res.status !== 0 || !line) {
    throw new Error(
      'No Kafka broker for the tests: KAFKA_BROKERS is not set, no container runtime answers, and the ' +
        'local broker (infra/kafka/kafka.sh up) did not start (see its message above). Install Java 17 and ' +
        'Maven, or set KAFKA_BROKERS to a running broker.',
    );
  }
  return line.slice('KAFKA_BROKERS='.length).trim();
}

async function provideAdminDatabaseUrl(useContainers: boolean): Promise<string> {
  if (process.env.DATABASE_URL) return process.env.DATABASE_URL;
  if (useContainers) {
    const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
    const pg = await new PostgreSqlContainer('postgres:15-alpine').start();
    (g.__oopContainers ??= []).push(pg);
    return pg.getConnectionUri();
  }
  return 'postgres://postgres@127.0.0.1:5432/postgres';
}

function withDatabase(url: string, db: string): string {
  const u = new URL(url);
  u.pathname = `/${db}`;
  return u.toString();
}

async function freshDatabase(adminUrl: string, runId: string): Promise<string> {
  const client = new Client({ connectionString: adminUrl, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
  } catch (err) {
    throw new Error(
      `No PostgreSQL for the tests at ${adminUrl.replace(/:[^:@/]*@/, ':***@')}: ${(err as Error).message}. ` +
        'Start it (pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start) or set DATABASE_URL.',
    );
  }
  try {
    // Databases of earlier runs that were kept or interrupted: drop those older than six hours.
    const old = await client.query<{ datname: string }>(
      "SELECT datname FROM pg_database WHERE datname ~ '^oop_test_[0-9]{14}_'",
    );
    const cutoff = Date.now() - 6 * 3600 * 1000;
    for (const { datname } of old.rows) {
      const s = datname.slice(9, 23);
      const t = Date.UTC(+s.slice(0, 4), +s.slice(4, 6) - 1, +s.slice(6, 8), +s.slice(8, 10), +s.slice(10, 12), +s.slice(12, 14));
      if (t < cutoff) await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`).catch(() => undefined);
    }
    const db = `oop_test_${runId}`;
    await client.query(`CREATE DATABASE "${db}"`);
    return withDatabase(adminUrl, db);
  } finally {
    await client.end();
  }
}

export default async function globalSetup(): Promise<void> {
  if (process.env.OOP_TEST_RUN_ID) return; // already set up by another project of this run
  const started = Date.now();
  const stamp = new Date().toISOString().replace(/[-:T]/g, '').slice(0, 14);
  const runId = `${stamp}_${Math.random().toString(36).slice(2, 8)}`;
  const useContainers = !(process.env.KAFKA_BROKERS && process.env.DATABASE_URL) && (await containerRuntimeAnswers());

  const brokers = await provideKafka(useContainers);
  const adminUrl = await provideAdminDatabaseUrl(useContainers);
  const databaseUrl = await freshDatabase(adminUrl, runId);
  const applied = await runMigrations(databaseUrl);

  process.env.OOP_TEST_RUN_ID = runId;
  process.env.OOP_TEST_ADMIN_DATABASE_URL = adminUrl;
  process.env.KAFKA_BROKERS = brokers;
  process.env.DATABASE_URL = databaseUrl;
  process.env.TOPIC_PREFIX = `test-${runId}.`;
  process.env.TENANT_KEY_ENCRYPTION_KEY ??= Buffer.alloc(32, 7).toString('base64');
  process.env.LOG_LEVEL ??= 'warn';
  console.log(
    `\n[test] run ${runId}: Kafka ${brokers}, database ${databaseUrl.replace(/:[^:@/]*@/, ':***@')} ` +
      `(${applied.length} migrations), topic prefix ${process.env.TOPIC_PREFIX} — ready in ${Date.now() - started} ms`,
  );
}
