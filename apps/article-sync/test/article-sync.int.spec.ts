import type { ArticleChanged, Envelope } from '@lib/contracts';
import type { HandlerContext } from '@lib/pipeline';
import { JsonLogger } from '@lib/platform';
import { AccountMapping, NS4102_PRESET } from '@lib/tenancy';
import { testEnv } from '../../../test/support/env';
import { SyncArticle } from '../src/sync-article';
import { ArticleFlowHarness, Outcome } from './article-flow-harness';

/**
 * ArticleChanged → PowerOffice products, end to end: the real broker and PostgreSQL, the app booted
 * in-process, the PowerOffice emulator. Each test asserts the outcome on the outcome topic, what the
 * emulator holds, and how many PowerOffice calls the event cost (from the emulator's request log).
 */

const GROUP_MAPPING: AccountMapping = {
  ...NS4102_PRESET,
  // Drinks (POS article group g-12) at 15 % post to their own revenue account and product group.
  salesByArticleGroup: { 'g-12': { '31': { account: 3900 } } },
  productGroups: { 'g-12': 'DRIKKE' },
};

describe('article-sync (broker, PostgreSQL, emulator)', () => {
  let h: ArticleFlowHarness;
  let shop: { tenantId: string; clientKey: string };

  beforeAll(async () => {
    h = await ArticleFlowHarness.start({ ...testEnv(), rateLimit: 10 });
    shop = await h.onboardTenant('shop', GROUP_MAPPING);
  });
  afterAll(async () => h?.close());

  const article = (data: Partial<ArticleChanged> & { articleId: string }): Envelope<ArticleChanged> =>
    h.articleChanged(shop.tenantId, { articleGroup: undefined, ...data });

  /** Produces the event, returns its outcome and the PowerOffice calls it cost. */
  async function syncCounted(
    event: Envelope<ArticleChanged>,
    clientKey = shop.clientKey,
  ): Promise<{ outcome: Outcome; calls: string[] }> {
    const mark = await h.markRequests();
    const outcome = await h.sync(event);
    return { outcome, calls: await h.callsSince(mark, clientKey) };
  }

  async function product(code: string, clientKey = shop.clientKey): Promise<Record<string, unknown> | undefined> {
    const matches = (await h.products(clientKey)).filter((p) => p.Code === code);
    expect(matches.length).toBeLessThanOrEqual(1);
    return matches[0];
  }

  describe('one article through its life', () => {
    const articleId = 'a-life';

    it('creates the product with one call: code, texts, type, unit, net price, sales account by VAT code', async () => {
      const { outcome, calls } = await syncCounted(
        article({
          articleId,
          articleNumber: '1001',
          name: 'Kaffe latte',
          description: 'Take-away',
          unitPriceInclVat: 5900,
          vatCode: '31',
          unit: 'EA',
          version: 1,
        }),
      );

      expect(outcome.type).toBe('ArticleSynced');
      expect(outcome.data).toMatchObject({ articleId, action: 'created', powerOffice: { code: '1001' } });
      expect(calls).toEqual(['POST /Products']);
      const created = await product('1001');
      expect(created).toMatchObject({
        Id: (outcome.data.powerOffice as { productId: number }).productId,
        Name: 'Kaffe latte',
        Description: 'Take-away',
        ProductType: 'Product',
        UnitOfMeasureCode: 'EA',
        UnitPrice: 51.3, // 59.00 incl. 15 % VAT
        StandardSalesAccountId: await h.accountId(shop.clientKey, 3030),
        IsArchived: false,
      });
      expect(created?.ProductGroupId ?? null).toBeNull();
      expect(await h.statusOf(shop.tenantId, articleId)).toMatchObject({
        article_number: '1001',
        state: 'synced',
        error_code: null,
      });
    });

    it('updates it with one PATCH when the article changes', async () => {
      const { outcome, calls } = await syncCounted(
        article({
          articleId,
          articleNumber: '1001',
          name: 'Kaffe latte stor',
          description: 'Take-away',
          unitPriceInclVat: 6900,
          vatCode: '31',
          unit: 'EA',
          version: 2,
        }),
      );

      expect(outcome.data).toMatchObject({ action: 'updated', powerOffice: { code: '1001' } });
      expect(calls).toEqual([
        'PATCH /Products/{id}'.replace('{id}', String((outcome.data.powerOffice as { productId: number }).productId)),
      ]);
      expect(await product('1001')).toMatchObject({ Name: 'Kaffe latte stor', UnitPrice: 60 });
    });

    it('costs no call when the article is sent again unchanged', async () => {
      const { outcome, calls } = await syncCounted(
        article({
          articleId,
          articleNumber: '1001',
          name: 'Kaffe latte stor',
          description: 'Take-away',
          unitPriceInclVat: 6900,
          vatCode: '31',
          unit: 'EA',
          version: 2,
        }),
      );

      expect(outcome.data).toMatchObject({ action: 'unchanged', powerOffice: { code: '1001' } });
      expect(calls).toEqual([]);
    });

    it('changes nothing for an older version that arrives late', async () => {
      const { outcome, calls } = await syncCounted(
        article({
          articleId,
          articleNumber: '1001',
          name: 'Kaffe latte (old)',
          unitPriceInclVat: 100,
          vatCode: '31',
          version: 1,
        }),
      );

      expect(outcome.data).toMatchObject({ action: 'unchanged', powerOffice: { code: '1001' } });
      expect(calls).toEqual([]);
      expect(await product('1001')).toMatchObject({ Name: 'Kaffe latte stor', UnitPrice: 60 });
    });

    it('archives the product when the article becomes inactive', async () => {
      const { outcome, calls } = await syncCounted(
        article({
          articleId,
          articleNumber: '1001',
          name: 'Kaffe latte stor',
          description: 'Take-away',
          unitPriceInclVat: 6900,
          vatCode: '31',
          unit: 'EA',
          version: 3,
          active: false,
        }),
      );

      expect(outcome.data).toMatchObject({ action: 'archived', powerOffice: { code: '1001' } });
      expect(calls).toHaveLength(1);
      expect(calls[0]).toMatch(/^PATCH \/Products\/\d+$/);
      expect(await product('1001')).toMatchObject({ IsArchived: true, Name: 'Kaffe latte stor' });
      expect(await h.statusOf(shop.tenantId, articleId)).toMatchObject({ state: 'archived' });
    });
  });

  describe('VAT code and mapping', () => {
    it('prices a 25 % article net of VAT and posts it to the 25 % account', async () => {
      const { outcome } = await syncCounted(
        article({ articleId: 'a-25', articleNumber: '2501', unitPriceInclVat: 12500, vatCode: '3', version: 1 }),
      );

      expect(outcome.data).toMatchObject({ action: 'created' });
      expect(await product('2501')).toMatchObject({
        UnitPrice: 100,
        StandardSalesAccountId: await h.accountId(shop.clientKey, 3000),
      });
    });

    it('fails an article whose VAT code has no mapped account with MAPPING_MISSING naming the key, and creates it once mapped', async () => {
      const articleId = 'a-52';
      const first = article({ articleId, articleNumber: '5201', vatCode: '52', version: 1 });
      const { outcome, calls } = await syncCounted(first);

      expect(outcome.type).toBe('ArticleSyncFailed');
      const error = outcome.data.error as {
        code: string;
        message: string;
        retryable: boolean;
        details: { key: string }[];
      };
      expect(error.code).toBe('MAPPING_MISSING');
      expect(error.retryable).toBe(false);
      expect(error.details.map((d) => d.key)).toEqual(['sales.52']);
      expect(error.message).toContain('sales.52');
      expect(calls).toEqual([]);
      expect(await product('5201')).toBeUndefined();
      expect(await h.statusOf(shop.tenantId, articleId)).toMatchObject({
        state: 'failed',
        error_code: 'MAPPING_MISSING',
        po_product_id: null,
      });

      // The accountant maps the code; the POS sends the article again.
      await h.tenants.setMapping(
        shop.tenantId,
        { ...GROUP_MAPPING, sales: { ...GROUP_MAPPING.sales, '52': { account: 3900 } } },
        'test',
      );
      const resent = await syncCounted(article({ articleId, articleNumber: '5201', vatCode: '52', version: 1 }));

      expect(resent.outcome.data).toMatchObject({ action: 'created', powerOffice: { code: '5201' } });
      expect(resent.calls).toEqual(['POST /Products']);
      expect(await product('5201')).toMatchObject({
        StandardSalesAccountId: await h.accountId(shop.clientKey, 3900),
        UnitPrice: 59,
      });
      expect(await h.statusOf(shop.tenantId, articleId)).toMatchObject({
        state: 'synced',
        error_code: null,
        error_message: null,
      });
    });

    it('fails every article of a tenant without any mapping with MAPPING_MISSING', async () => {
      const unmapped = await h.onboardTenant('unmapped', null);
      const mark = await h.markRequests();
      const outcome = await h.sync(h.articleChanged(unmapped.tenantId, { articleId: 'a-1', version: 1 }));

      expect(outcome.type).toBe('ArticleSyncFailed');
      expect(outcome.data.error).toMatchObject({ code: 'MAPPING_MISSING', details: [{ key: '(mapping)' }] });
      expect(await h.callsSince(mark, unmapped.clientKey)).toEqual([]);
    });
  });

  describe('article groups', () => {
    it('files articles under the mapped product group (created once) with the group sales account', async () => {
      const group = { id: 'g-12', name: 'Andre drikkevarer' };
      const first = await syncCounted(
        article({ articleId: 'a-cola', articleNumber: '3001', articleGroup: group, vatCode: '31', version: 1 }),
      );
      const second = await syncCounted(
        article({ articleId: 'a-juice', articleNumber: '3002', articleGroup: group, vatCode: '31', version: 1 }),
      );
      const other = await syncCounted(
        article({ articleId: 'a-chips', articleNumber: '3003', articleGroup: group, vatCode: '3', version: 1 }),
      );

      expect(first.calls).toEqual(['GET /ProductGroups', 'POST /ProductGroups', 'POST /Products']);
      expect(second.calls).toEqual(['POST /Products']);
      expect(other.calls).toEqual(['POST /Products']);
      const groups = (await h.productGroups(shop.clientKey)).filter((g) => g.Code === 'DRIKKE');
      expect(groups).toHaveLength(1);
      expect(groups[0]).toMatchObject({ Name: 'Andre drikkevarer' });
      const groupAccount = await h.accountId(shop.clientKey, 3900);
      expect(await product('3001')).toMatchObject({
        ProductGroupId: groups[0]!.Id,
        StandardSalesAccountId: groupAccount,
      });
      expect(await product('3002')).toMatchObject({
        ProductGroupId: groups[0]!.Id,
        StandardSalesAccountId: groupAccount,
      });
      // The group splits only 15 %: a 25 % article of the group falls back to the shop's 25 % account.
      expect(await product('3003')).toMatchObject({
        ProductGroupId: groups[0]!.Id,
        StandardSalesAccountId: await h.accountId(shop.clientKey, 3000),
      });
    });
  });

  describe('redelivery and crashes never make a second product', () => {
    it('answers a redelivered record once, and a resend by the POS costs nothing: one product', async () => {
      const event = article({ articleId: 'a-redelivered', articleNumber: '4001', version: 1 });
      // The POS sends the same version again as a new event, behind the redelivered record on the
      // same partition: when it is answered, the redelivery has been consumed too.
      const resend = article({ articleId: 'a-redelivered', articleNumber: '4001', version: 1 });
      const mark = await h.markRequests();
      await h.produce([event, event, resend]);
      await h.outcomesOf([event.id, resend.id]);

      expect(h.outcomes.filter((o) => o.causationId === event.id)).toHaveLength(1);
      expect(h.outcomes.find((o) => o.causationId === resend.id)?.data).toMatchObject({ action: 'unchanged' });
      expect((await h.products(shop.clientKey)).filter((p) => p.Code === '4001')).toHaveLength(1);
      expect(await h.callsSince(mark, shop.clientKey)).toEqual(['POST /Products']);
    });

    it('after a crash between POST and commit, the next delivery finds the product by code instead of creating another', async () => {
      const event = article({ articleId: 'a-crash', articleNumber: '4101', version: 1 });
      // The first delivery: the real handler against PowerOffice, then the process "dies": its
      // result (the transaction that would record the product) is never committed.
      const tenant = (await h.tenants.get(shop.tenantId))!;
      const ctx: HandlerContext<ArticleChanged> = {
        envelope: event as HandlerContext<ArticleChanged>['envelope'],
        tenant,
        flow: 'article-sync',
        topic: 'crashed',
        partition: 0,
        offset: '0',
        attempt: 1,
        redrive: 0,
        mode: 'live',
        powerOffice: await h.tenants.clientFor(shop.tenantId, 'article'),
        heartbeat: async () => undefined,
        signal: new AbortController().signal,
        log: h.app.get(JsonLogger),
        db: h.db,
      };
      const lost = await h.app.get(SyncArticle).execute(ctx);
      const createdBeforeCrash = (lost.outcomes[0]!.data as { powerOffice: { productId: number } }).powerOffice
        .productId;
      expect(await product('4101')).toMatchObject({ Id: createdBeforeCrash });

      const { outcome, calls } = await syncCounted(event);

      expect(outcome.data).toMatchObject({
        action: 'created',
        powerOffice: { productId: createdBeforeCrash, code: '4101' },
      });
      expect(calls).toEqual(['GET /Products']);
      expect((await h.products(shop.clientKey)).filter((p) => p.Code === '4101')).toHaveLength(1);
    });

    it('takes over a product the accountant made with the article number before the shop was connected', async () => {
      const po = await h.tenants.clientFor(shop.tenantId, 'article');
      const existing = await po.products.create({ code: '4201', name: 'Laget for hånd', unitPrice: 1000 });

      const { outcome, calls } = await syncCounted(
        article({ articleId: 'a-existing', articleNumber: '4201', name: 'Boller', version: 1 }),
      );

      expect(outcome.data).toMatchObject({ action: 'updated', powerOffice: { productId: existing.id, code: '4201' } });
      expect(calls).toEqual(['POST /Products', 'GET /Products', `PATCH /Products/${existing.id}`]);
      expect((await h.products(shop.clientKey)).filter((p) => p.Code === '4201')).toEqual([
        expect.objectContaining({ Id: existing.id, Name: 'Boller' }),
      ]);
    });
  });

  describe('resync', () => {
    it('a dry run reports what a mapping change would change without writing; the replay changes only that; a second replay nothing', async () => {
      const resyncShop = await h.onboardTenant('resync', NS4102_PRESET);
      const since = new Date(Date.now() - 1000);
      const events = [
        h.articleChanged(resyncShop.tenantId, {
          articleId: 'r-15',
          articleNumber: 'R15',
          vatCode: '31',
          articleGroup: undefined,
          version: 1,
        }),
        h.articleChanged(resyncShop.tenantId, {
          articleId: 'r-25',
          articleNumber: 'R25',
          vatCode: '3',
          articleGroup: undefined,
          version: 1,
        }),
      ];
      await h.produce(events);
      await h.outcomesOf(events.map((e) => e.id));
      const before = await h.products(resyncShop.clientKey);

      // The accountant moves 15 % sales to another account.
      await h.tenants.setMapping(
        resyncShop.tenantId,
        { ...NS4102_PRESET, sales: { ...NS4102_PRESET.sales, '31': { account: 3900 } } },
        'test',
      );

      let mark = await h.markRequests();
      const dryRun = await h.runtime.resync({ tenantId: resyncShop.tenantId, since, dryRun: true });
      const dryRunCalls = await h.callsSince(mark, resyncShop.clientKey);
      expect(dryRun).toMatchObject({ mode: 'dry-run', seen: 2, changed: 1, unchanged: 1, failed: 0 });
      expect(dryRun.changes[0]!.change).toMatchObject({
        action: 'updated',
        operations: [{ op: 'replace', path: '/standardSalesAccountId' }],
      });
      expect(dryRunCalls.filter((c) => !c.startsWith('GET '))).toEqual([]);
      expect(await h.products(resyncShop.clientKey)).toEqual(before);

      mark = await h.markRequests();
      const replay = await h.runtime.resync({ tenantId: resyncShop.tenantId, since });
      expect(replay).toMatchObject({ mode: 'replay', seen: 2, changed: 1, unchanged: 1, failed: 0 });
      expect((await h.callsSince(mark, resyncShop.clientKey)).filter((c) => c.startsWith('PATCH '))).toHaveLength(1);
      const moved = (await h.products(resyncShop.clientKey)).find((p) => p.Code === 'R15');
      expect(moved).toMatchObject({ StandardSalesAccountId: await h.accountId(resyncShop.clientKey, 3900) });

      mark = await h.markRequests();
      const again = await h.runtime.resync({ tenantId: resyncShop.tenantId, since });
      expect(again).toMatchObject({ seen: 2, changed: 0, unchanged: 2 });
      expect(await h.callsSince(mark, resyncShop.clientKey)).toEqual([]);
    });
  });
});
