/**
 * A flow instance that kills itself (SIGKILL: no cleanup, no offset commit, no relay flush) at a
 * chosen point while processing one chosen event. Forked by crash-recovery.int.spec.ts from the
 * compiled dist/ tree; configured through PIPELINE_CRASH_CHILD (JSON).
 */
import { createDataSource, createKafka, JsonLogger, MetricsService } from '@lib/platform';
import type { CustomerChanged } from '@lib/contracts';
import { FlowRuntime } from '../flow-runtime';
import type { HandlerContext } from '../handler';
import { PipelineMetrics } from '../metrics';
import { OutboxRelay } from '../outbox/outbox-relay';
import { InMemoryTenants } from './in-memory-tenants';
import { ExternalClient, FaultPlan, syncCustomerHandler } from './test-flow';

export type CrashPoint = 'before-external' | 'after-external' | 'after-commit';

export interface CrashChildConfig {
  brokers: string;
  databaseUrl: string;
  topicPrefix: string;
  groupId: string;
  tenants: string[];
  customerId: string;
  point: CrashPoint;
}

async function main(): Promise<void> {
  const config = JSON.parse(process.env.PIPELINE_CRASH_CHILD ?? '') as CrashChildConfig;
  const die = () => process.kill(process.pid, 'SIGKILL');
  const db = createDataSource(config.databaseUrl);
  await db.initialize();
  const kafka = createKafka({ brokers: config.brokers, clientId: 'pipeline-crash-child', log: () => undefined });
  const log = new JsonLogger('pipeline-crash-child', 'warn');
  const metrics = new PipelineMetrics(new MetricsService('pipeline-crash-child'));
  const tenants = new InMemoryTenants((tenantId) => new ExternalClient(db, tenantId));
  for (const t of config.tenants) tenants.add(t);

  const faults = new FaultPlan();
  faults.onCrash = die;
  if (config.point === 'before-external') faults.set(config.customerId, { kind: 'crashBeforeExternal' });
  if (config.point === 'after-external') faults.set(config.customerId, { kind: 'crashAfterExternal' });

  // For "after the commit, before the publish": no relay runs here, and the process dies right
  // after the transaction holding the chosen event's outcome commits.
  let lastPersisted: string | undefined;
  let relay: { nudge(): void };
  if (config.point === 'after-commit') {
    relay = { nudge: () => (lastPersisted === config.customerId ? die() : undefined) };
  } else {
    const outboxRelay = new OutboxRelay(db, kafka, log, metrics);
    await outboxRelay.start();
    relay = outboxRelay;
  }

  const runtime = new FlowRuntime(
    {
      flow: 'test-customer-sync',
      lane: 'customer',
      topics: ['customerChanged'],
      groupId: config.groupId,
      topicPrefix: config.topicPrefix,
      partitionsConsumedConcurrently: 1,
      sessionTimeoutMs: 6000,
    },
    { kafka, dataSource: db, tenants, log, metrics, relay },
  );
  const sync = syncCustomerHandler(faults);
  runtime.handle('CustomerChanged', async (ctx: HandlerContext<CustomerChanged, ExternalClient>) => {
    const result = await sync(ctx);
    const persist = result.persist;
    return {
      ...result,
      persist: async (tx) => {
        await persist?.(tx);
        lastPersisted = ctx.envelope.data.customerId;
      },
    };
  });
  await runtime.start();
}

main().catch((err: Error) => {
  process.stderr.write(`crash child failed to start: ${err.stack ?? err.message}\n`);
  process.exit(2);
});
