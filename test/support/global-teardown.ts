import { Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';

/** Drops the run's database and deletes its topics (KEEP_TEST_DB=true keeps both for a post-mortem). */
export default async function globalTeardown(): Promise<void> {
  const g = globalThis as typeof globalThis & { __oopContainers?: { stop: () => Promise<unknown> }[]; __oopTornDown?: boolean };
  if (g.__oopTornDown) return;
  g.__oopTornDown = true;
  const runId = process.env.OOP_TEST_RUN_ID;
  if (runId && process.env.KEEP_TEST_DB !== 'true') {
    const prefix = process.env.TOPIC_PREFIX ?? '';
    if (prefix && process.env.KAFKA_BROKERS) {
      const admin = new Kafka({ clientId: 'test-teardown', brokers: process.env.KAFKA_BROKERS.split(','), logLevel: logLevel.NOTHING }).admin();
      try {
        await admin.connect();
        const topics = (await admin.listTopics()).filter((t) => t.startsWith(prefix));
        if (topics.length > 0) await admin.deleteTopics({ topics, timeout: 30000 });
      } catch {
        // leftover topics are harmless: every run uses its own prefix
      } finally {
        await admin.disconnect().catch(() => undefined);
      }
    }
    const adminUrl = process.env.OOP_TEST_ADMIN_DATABASE_URL;
    if (adminUrl) {
      const client = new Client({ connectionString: adminUrl });
      try {
        await client.connect();
        await client.query(`DROP DATABASE IF EXISTS "oop_test_${runId}" WITH (FORCE)`);
      } catch {
        // an old test database is dropped by a later run's setup
      } finally {
        await client.end().catch(() => undefined);
      }
    }
  }
  for (const c of g.__oopContainers ?? []) await c.stop().catch(() => undefined);
}
