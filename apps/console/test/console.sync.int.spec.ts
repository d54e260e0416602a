import type { INestApplication } from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import { articleChangedExample, customerChangedExample, dlqTopic, topicName, type TopicKey } from '@lib/contracts';
import { ensureTopics, loadEnv } from '@lib/platform';
import { ArticleSyncConfig } from '../../article-sync/src/article-sync.config';
import { ArticleSyncModule } from '../../article-sync/src/article-sync.module';
import { CustomerSyncConfig } from '../../customer-sync/src/customer-sync.config';
import { CustomerSyncModule } from '../../customer-sync/src/customer-sync.module';
import { filePrefix, newShop, posEvent, produce, RunningConsole, runEnv, startConsole, startFlowApp, testKafka, waitFor } from './console-harness';

/**
 * Customers and articles in the console, from the real customer-sync and article-sync flows (running
 * in-process as in production): in sync or failing, with the failing ones listed and the reason;
 * and a resync of the tenant over every consumed topic, through each flow app's own handlers.
 */
describe('console: customers and articles from the sync flows; a resync over every flow', () => {
  const prefix = filePrefix('console-sync');
  let c: RunningConsole;
  let apps: INestApplication[] = [];
  let kafka: Kafka;
  let shop: Awaited<ReturnType<typeof newShop>>;
  const since = new Date(Date.now() - 60_000).toISOString();
  const statusOf = async () => (await c.http.get(`/tenants/${shop.tenantId}/status`)).body;

  beforeAll(async () => {
    kafka = testKafka('console-sync-test');
    const topics = (['customerChanged', 'articleChanged', 'invoicePosted', 'zReportClosed'] as TopicKey[]).map((k) => topicName(k, prefix));
    await ensureTopics(kafka, [...topics, ...topics.map(dlqTopic), ...(['customerSyncOutcomes', 'articleSyncOutcomes', 'powerOfficeCustomerChanged'] as TopicKey[]).map((k) => topicName(k, prefix))], 3);
    c = await startConsole({ env: { TOPIC_PREFIX: prefix } });
    // customer-sync and article-sync read the PowerOffice settings from the process environment
    // (not from their config), in their own apps and when the console hosts them for a resync.
    process.env.POWEROFFICE_BASE_URL = c.emulator.baseUrl;
    const env = runEnv(c.emulator.baseUrl, { TOPIC_PREFIX: prefix, PORT: '0', CUSTOMER_POLL_INTERVAL_MS: '0' });
    apps = [
      await startFlowApp(CustomerSyncModule.register(loadEnv(CustomerSyncConfig, env))),
      await startFlowApp(ArticleSyncModule.register(loadEnv(ArticleSyncConfig, env))),
    ];
    shop = await newShop(c.emulator, { prefix: 'sync' });
    expect((await c.http.post('/tenants', shop.onboarding)).status).toBe(201);
    expect((await c.http.put(`/tenants/${shop.tenantId}/mapping`, { preset: 'ns4102' })).status).toBe(200);
    await produce(kafka, 'customerChanged', prefix, [
      posEvent('CustomerChanged', shop.tenantId, { ...customerChangedExample, customerId: 'c-ok', customerNumber: 10001 }),
      // Customer number 5 is in no PowerOffice customer series.
      posEvent('CustomerChanged', shop.tenantId, { ...customerChangedExample, customerId: 'c-bad', name: 'Outside AS', customerNumber: 5 }),
    ]);
    await produce(kafka, 'articleChanged', prefix, [
      posEvent('ArticleChanged', shop.tenantId, { ...articleChangedExample, articleId: 'a-ok', articleNumber: '2001', vatCode: '31' }),
      // VAT code 52 (export) has no sales account in the NS 4102 preset.
      posEvent('ArticleChanged', shop.tenantId, { ...articleChangedExample, articleId: 'a-bad', articleNumber: '5201', vatCode: '52' }),
    ]);
    await waitFor('both flows to answer', async () => {
      const s = await statusOf();
      return s.customers.counts?.total === 2 && s.articles.counts?.total === 2;
    });
  });

  afterAll(async () => {
    for (const app of apps) await app.close();
    await c?.close();
  });

  it('counts customers and articles per state and lists the failing ones with the reason', async () => {
    const s = await statusOf();
    expect(s.customers).toMatchObject({ available: true, counts: { byState: { synced: 1, failed: 1 }, failing: 1, total: 2 } });
    expect(s.customers.failing).toEqual([
      expect.objectContaining({ customerId: 'c-bad', state: 'failed', errorCode: 'NUMBER_OUT_OF_SERIES', errorMessage: expect.stringContaining('10000–19999') }),
    ]);
    expect(s.articles).toMatchObject({ available: true, counts: { byState: { synced: 1, failed: 1 }, failing: 1, total: 2 } });
    expect(s.articles.failing).toEqual([
      expect.objectContaining({ articleId: 'a-bad', articleNumber: '5201', errorCode: 'MAPPING_MISSING', errorMessage: expect.stringContaining('sales.52') }),
    ]);
    const entry = (await c.http.get('/status')).body.tenants.find((t: { tenantId: string }) => t.tenantId === shop.tenantId);
    expect(entry).toMatchObject({ needsAttention: true, customersFailing: 1, articlesFailing: 1, reasons: ['1 customer failing', '1 article failing', '2 parked events'] });
  });

  it('a dry-run resync over every topic goes through each flow app in turn and changes nothing', async () => {
    const productsBefore = (await c.emulator.admin.state(shop.clientKey)).products;
    const start = await c.http.post(`/tenants/${shop.tenantId}/resync`, { since, dryRun: true });
    expect(start.status).toBe(202);
    const job = await waitFor(
      'the resync to finish',
      async () => {
        const j = (await c.http.get(`/tenants/${shop.tenantId}/resync/${start.body.jobId}`)).body;
        return j.state === 'running' ? undefined : j;
      },
      120_000,
    );
    expect(job.error).toBeNull();
    expect(job.state).toBe('finished');
    expect(job.report.flows.map((f: { flow: string; seen: number }) => [f.flow, f.seen])).toEqual([
      ['customer-sync', 2],
      ['article-sync', 2],
      ['invoice', 0],
      ['settlement', 0],
    ]);
    // The failing customer and article fail again; the synced ones are unchanged.
    expect(job.report).toMatchObject({ mode: 'dry-run', seen: 4, failed: 2, changed: 0, unchanged: 2 });
    expect((await c.emulator.admin.state(shop.clientKey)).products).toEqual(productsBefore);
  });

  it('after the fix, a replay of the articles creates the missing product and nothing else', async () => {
    const mapping = (await c.http.get(`/tenants/${shop.tenantId}/mapping`)).body;
    const fixed = { ...mapping.mapping, sales: { ...mapping.mapping.sales, '52': { account: 3100 } } };
    // 3100 is locked to VAT code 5 in PowerOffice: tenancy refuses it for code 52, naming both.
    const locked = await c.http.put(`/tenants/${shop.tenantId}/mapping`, { mapping: fixed, expectedVersion: mapping.version });
    expect(locked.status).toBe(422);
    expect(locked.body.problems).toEqual([expect.objectContaining({ key: 'sales.52', account: 3100, rule: 'vatLocked' })]);
    const retry = await c.http.put(`/tenants/${shop.tenantId}/mapping`, {
      mapping: { ...fixed, sales: { ...fixed.sales, '52': { account: 3900 } } },
      expectedVersion: mapping.version,
    });
    expect(retry.status).toBe(200);

    const start = await c.http.post(`/tenants/${shop.tenantId}/resync`, { since, topics: ['articleChanged'] });
    const job = await waitFor('the replay to finish', async () => {
      const j = (await c.http.get(`/tenants/${shop.tenantId}/resync/${start.body.jobId}`)).body;
      return j.state === 'running' ? undefined : j;
    }, 120_000);
    expect(job.report).toMatchObject({ mode: 'replay', seen: 2, changed: 1, unchanged: 1, failed: 0 });
    const products = (await c.emulator.admin.state(shop.clientKey)).products as { Code: string }[];
    expect(products.map((p) => p.Code).sort()).toEqual(['2001', '5201']);
    const s = await statusOf();
    expect(s.articles.counts).toMatchObject({ byState: { synced: 2 }, failing: 0 });
  });
});
