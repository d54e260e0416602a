import { Kafka, logLevel, LogEntry } from 'kafkajs';

export function parseBrokers(list: string): string[] {
  return list.split(',').map((b) => b.trim()).filter(Boolean);
}

/** A kafkajs client whose own log lines go through our logger at warn and above. */
export function createKafka(opts: {
  brokers: string;
  clientId: string;
  connectTimeoutMs?: number;
  log?: (level: 'warn' | 'error', message: string, extra: Record<string, unknown>) => void;
}): Kafka {
  // Every producer here uses kafkajs' default (Java-compatible murmur2) partitioner on purpose, so
  // the POS's and our keys land on the same partitions; the v2 migration notice is noise.
  process.env.KAFKAJS_NO_PARTITIONER_WARNING ??= '1';
  return new Kafka({
    clientId: opts.clientId,
    brokers: parseBrokers(opts.brokers),
    connectionTimeout: Math.min(opts.connectTimeoutMs ?? 10000, 5000),
    requestTimeout: 30000,
    retry: { initialRetryTime: 200, retries: 8, maxRetryTime: 5000 },
    logLevel: logLevel.WARN,
    logCreator:
      () =>
      ({ level, log }: LogEntry) => {
        const { message, ...extra } = log;
        if (opts.log) opts.log(level === logLevel.ERROR ? 'error' : 'warn', `kafkajs: ${message}`, extra);
      },
  });
}

/**
 * Fails fast, with a message the operator can act on, when no broker answers: kafkajs alone would
 * retry for a long time and look like a hang.
 */
export async function assertKafkaReachable(brokers: string, timeoutMs = 10000): Promise<void> {
  const probe = new Kafka({
    clientId: 'reachability-probe',
    brokers: parseBrokers(brokers),
    connectionTimeout: Math.min(timeoutMs, 3000),
    requestTimeout: timeoutMs,
    retry: { retries: 2, initialRetryTime: 300, maxRetryTime: 1000 },
    logLevel: logLevel.NOTHING,
  });
  const admin = probe.admin();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      admin.connect().then(() => admin.describeCluster()),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
  } catch (err) {
    throw new Error(
      `Kafka is not reachable at KAFKA_BROKERS=${brokers}: ${(err as Error).message}. ` +
        'Start the local broker with `npm run infra:up`, or set KAFKA_BROKERS to a running broker.',
    );
  } finally {
    if (timer) clearTimeout(timer);
    await admin.disconnect().catch(() => undefined);
  }
}

/** Creates topics that do not exist yet (idempotent). */
export async function ensureTopics(kafka: Kafka, topics: string[], numPartitions = 3): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = [...new Set(topics)].filter((t) => !existing.has(t));
    if (missing.length > 0) {
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((topic) => ({ topic, numPartitions, replicationFactor: 1 })),
      });
    }
  } finally {
    await admin.disconnect();
  }
}
