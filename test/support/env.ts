import { randomBytes } from 'node:crypto';

/** A short unique id for names inside one test run (tenants, consumer groups, topics). */
export function uniqueId(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

/** The run's settings from the global setup; throws when a test is run outside it. */
export function testEnv(): { kafkaBrokers: string; databaseUrl: string; topicPrefix: string } {
  const { KAFKA_BROKERS, DATABASE_URL, TOPIC_PREFIX } = process.env;
  if (!KAFKA_BROKERS || !DATABASE_URL || TOPIC_PREFIX === undefined) {
    throw new Error('Integration tests need the jest global setup (run them with npm test or npx jest --selectProjects integration).');
  }
  return { kafkaBrokers: KAFKA_BROKERS, databaseUrl: DATABASE_URL, topicPrefix: TOPIC_PREFIX };
}
