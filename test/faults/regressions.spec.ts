import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { Consumer, ConsumerCrashEvent, Kafka } from 'kafkajs';
import type { DataSource } from 'typeorm';
import { buildEvent, CustomerChanged, dlqTopic, encodeEnvelope, topicName } from '@lib/contracts';
import { FlowRuntime, PipelineMetrics } from '@lib/pipeline';
import { createDataSource, createKafka, ensureTopics, JsonLogger, MetricsService } from '@lib/platform';
import type { Tenant } from '@lib/tenancy';
import { LocalStack, ROOT, waitFor } from '../../tools/stack';
import { testEnv } from '../support/env';
import { finalOutcomes, outcomesByCause } from './harness/invariants';
import { Observer } from './harness/observer';

/**
 * Defects the fault suite found, each pinned down by the smallest run that shows it, so they stay
 * fixed. Each failed until its fix at the root landed (the commit is named beside the test).
 */

describe('a second delivery of an event that failed', () => {
  const env = testEnv();
  const prefix = `${env.topicPrefix}regress-${randomBytes(3).toString('hex')}.`;
  const input = topicName('customerChanged', prefix);
  const outcomes = topicName('customerSyncOutcomes', prefix);
  let kafka: Kafka;
  let stack: LocalStack;
  let observer: Observer;

  beforeAll(async () => {
    kafka = createKafka({ brokers: env.kafkaBrokers, clientId: 'fault-regressions', log: () => undefined });
    await ensureTopics(kafka, [input, dlqTopic(input), outcomes, topicName('powerOfficeCustomerChanged', prefix)], 3);
    stack = new LocalStack({
      logDir: path.join(ROOT, 'test-artifacts/faults', `regressions-${randomBytes(2).toString('hex')}`),
      env: {
        KAFKA_BROKERS: env.kafkaBrokers,
        DATABASE_URL: env.databaseUrl,
        TOPIC_PREFIX: prefix,
        DB_MIGRATE_ON_START: 'false',
        LOG_LEVEL: 'info',
        CUSTOMER_POLL_INTERVAL_MS: '0',
      },
    });
    await stack.start('customer-sync');
    observer = new Observer(kafka, [outcomes], [dlqTopic(input)], prefix);
    await observer.start();
  });

  afterAll(async () => {
    await observer?.stop();
    await stack?.stopAll();
  });

  // Kafka delivers at least once: a producer that retries after a lost acknowledgement, or a POS that
  // sends an event again, puts the same record (same ce_id) at a new offset. The inbox used to skip
  // such a copy only when the first run had succeeded; after a failure it ran the event again (it
  // could not tell the copy from an operator's redrive, which also arrives at a new offset), so the
  // event got a second final outcome with another id and a second dead letter. The fault run saw it
  // on events that had given up during the PowerOffice outage. Fixed in 1572c41: only a record the
  // operator redrove (pipeline_redrive header) runs a failed event again.
  it('is recognised as the same event: one final outcome, one dead letter', async () => {
    const event = buildEvent({
      type: 'CustomerChanged',
      tenantId: `never-onboarded-${randomBytes(3).toString('hex')}`,
      entityId: 'c-1',
      data: {
        customerId: 'c-1',
        isPerson: false,
        name: 'Kunde AS',
        active: true,
        version: 1,
        changedAt: '2026-01-01T10:00:00Z',
      },
      source: 'open-one',
    });
    const producer = kafka.producer();
    await producer.connect();
    try {
      const record = encodeEnvelope(event);
      await producer.send({ topic: input, acks: -1, messages: [record] });
      await waitFor('the first outcome', async () =>
        outcomesByCause(observer.outcomes).get(event.id)?.length ? true : undefined,
      );
      // The same record once more, as a retrying producer would send it.
      await producer.send({ topic: input, acks: -1, messages: [record] });
    } finally {
      await producer.disconnect();
    }
    await consumedAll(kafka, input, `${prefix}open-one-poweroffice.customer-sync`);
    await observer.catchUp();

    const finals = finalOutcomes(outcomesByCause(observer.outcomes).get(event.id) ?? []);
    expect(finals.map((o) => [o.type, (o.data as { error: { code: string } }).error.code])).toEqual([
      ['CustomerSyncFailed', 'TENANT_UNKNOWN'],
    ]);
    expect(observer.deadLetters.filter((d) => d.eventId === event.id)).toHaveLength(1);
  });
});

/** Waits until the group has committed everything on the topic (every copy was processed). */
async function consumedAll(kafka: Kafka, topic: string, groupId: string): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await waitFor(`${groupId} to consume ${topic}`, async () => {
      const [ends, committed] = await Promise.all([
        admin.fetchTopicOffsets(topic),
        admin.fetchOffsets({ groupId, topics: [topic] }),
      ]);
      const at = new Map(committed[0]!.partitions.map((p) => [p.partition, p.offset]));
      return ends.every((e) => e.high === e.low || at.get(e.partition) === e.high) ? true : undefined;
    });
  } finally {
    await admin.disconnect();
  }
}

describe('a flow consumer kafkajs gives up on', () => {
  const env = testEnv();
  const prefix = `${env.topicPrefix}regress-${randomBytes(3).toString('hex')}.`;
  const topic = topicName('customerChanged', prefix);
  let db: DataSource;
  let runtime: FlowRuntime;

  afterAll(async () => {
    await runtime?.stop().catch(() => undefined);
    await db?.destroy();
  });

  // kafkajs 2.2.4 restarts a crashed consumer only when the error is retriable; otherwise it
  // disconnects the member and emits CRASH with restart: false (src/consumer/index.js, onCrash).
  // KafkaJSGroupCoordinatorNotFound is such an error: it is thrown when the member looks for its
  // group coordinator while the broker refuses connections, which is what a broker restart does.
  // The fault run caught it (article-sync's log: `consumer crashed … "Failed to find group
  // coordinator" … "restart":false`): the process ran on, /health said 503, and every ArticleChanged
  // after the broker restart stayed unanswered until the end of the run: the FlowConsumer only
  // logged the crash. Fixed in db80377 (the consumer is started again with growing pauses). Here
  // kafkajs's give-up is played exactly as kafkajs does it, on the real broker and database, so the
  // test shows the same thing every time (it failed before db80377).
  it('joins its group again and goes on consuming', async () => {
    const real = createKafka({ brokers: env.kafkaBrokers, clientId: 'fault-regressions', log: () => undefined });
    await ensureTopics(real, [topic, dlqTopic(topic), topicName('customerSyncOutcomes', prefix)], 1);
    const members: Consumer[] = [];
    const crashListeners: ((event: ConsumerCrashEvent) => void)[] = [];
    // The real client, with a look at the consumers it makes and at who listens for their crashes.
    const kafka = Object.create(real) as Kafka;
    kafka.consumer = (config) => {
      const member = real.consumer(config);
      members.push(member);
      const on = member.on.bind(member);
      member.on = ((event: string, listener: (e: ConsumerCrashEvent) => void) => {
        if (event === member.events.CRASH) crashListeners.push(listener);
        return on(event as typeof member.events.CRASH, listener);
      }) as typeof member.on;
      return member;
    };
    db = createDataSource(env.databaseUrl, { extra: { max: 3 } });
    await db.initialize();
    const tenant = { id: 'shop-1', enabled: true, authorised: true } as Tenant;
    const handled: string[] = [];
    runtime = new FlowRuntime(
      { flow: 'crash-probe', topics: ['customerChanged'], lane: 'customer', topicPrefix: prefix },
      {
        kafka,
        dataSource: db,
        tenants: { get: async () => tenant, markNotAuthorised: async () => undefined, clientFor: async () => ({}) },
        log: new JsonLogger('fault-regressions', 'error'),
        metrics: new PipelineMetrics(new MetricsService('fault-regressions')),
      },
    );
    runtime.handle<CustomerChanged, unknown>('CustomerChanged', async (ctx) => {
      handled.push(ctx.envelope.id);
      const { customerId } = ctx.envelope.data;
      return {
        outcomes: [
          {
            type: 'CustomerSynced',
            data: { customerId, action: 'unchanged', powerOffice: { customerId: 1, customerNumber: 10000 } },
          },
        ],
      };
    });
    await runtime.start();
    const producer = real.producer();
    await producer.connect();
    const send = async (customerId: string) => {
      const event = buildEvent({
        type: 'CustomerChanged',
        tenantId: tenant.id,
        entityId: customerId,
        data: {
          customerId,
          isPerson: false,
          name: 'Kunde AS',
          active: true,
          version: 1,
          changedAt: '2026-01-01T10:00:00Z',
        },
        source: 'open-one',
      });
      await producer.send({ topic, acks: -1, messages: [encodeEnvelope(event)] });
      return event.id;
    };
    try {
      const first = await send('c-1');
      await waitFor('the first event', async () => handled.includes(first));

      // What kafkajs does when it gives up on the member.
      await members[0]!.disconnect();
      const error = Object.assign(new Error('Failed to find group coordinator'), {
        name: 'KafkaJSGroupCoordinatorNotFound',
      });
      for (const listener of crashListeners) {
        listener({
          id: '0',
          type: 'consumer.crash',
          timestamp: Date.now(),
          payload: { error, groupId: runtime.flow.groupId, restart: false },
        });
      }

      const second = await send('c-2');
      const consumed = await waitFor('the event after the crash', async () => handled.includes(second), {
        timeoutMs: 45_000,
      }).catch(() => false);
      expect({ consumedAfterTheCrash: consumed, healthy: runtime.health().up }).toEqual({
        consumedAfterTheCrash: true,
        healthy: true,
      });
    } finally {
      await producer.disconnect();
    }
  });
});
