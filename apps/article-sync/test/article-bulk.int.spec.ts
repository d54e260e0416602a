import { NS4102_PRESET } from '@lib/tenancy';
import { testEnv } from '../../../test/support/env';
import { ArticleFlowHarness } from './article-flow-harness';

/**
 * An initial load: a shop's whole article register at once. The flow must stay inside the API
 * budget (PowerOffice answers 429 above it) while using it, and every article must end in exactly
 * one outcome and one product. At the production rate (10/s) 5 000 articles take over 500 s: that
 * run is bench/article-bulk-load.ts; here 300 articles at 50/s with the emulator limit set to the
 * same 50/s.
 */
const ARTICLES = 300;
const RATE = 50;

describe('article-sync initial load', () => {
  let h: ArticleFlowHarness;
  beforeAll(async () => {
    h = await ArticleFlowHarness.start({ ...testEnv(), rateLimit: RATE, startFlow: false });
  });
  afterAll(async () => h?.close());

  it(`syncs ${ARTICLES} new articles at the API limit without a single 429: one outcome and one product each`, async () => {
    const shop = await h.onboardTenant('bulk', NS4102_PRESET);
    const vatCodes = ['3', '31', '33', '5'];
    const events = Array.from({ length: ARTICLES }, (_, i) =>
      h.articleChanged(shop.tenantId, {
        articleId: `a-${i}`,
        articleNumber: String(10000 + i),
        name: `Vare ${i}`,
        vatCode: vatCodes[i % vatCodes.length]!,
        unitPriceInclVat: 1000 + i,
        articleGroup: undefined,
        version: 1,
      }),
    );
    const mark = await h.markRequests();

    // The register waits on the topic when the flow starts, as when a shop is connected.
    await h.produce(events);
    await h.startFlow();
    const outcomes = await h.outcomesOf(
      events.map((e) => e.id),
      120_000,
    );

    const stats = await h.emulator.admin.stats();
    expect(stats.rateLimited).toBe(0);
    expect(outcomes).toHaveLength(ARTICLES);
    expect(new Set(outcomes.map((o) => o.causationId)).size).toBe(ARTICLES);
    expect(outcomes.every((o) => o.type === 'ArticleSynced' && o.data.action === 'created')).toBe(true);

    const products = await h.products(shop.clientKey);
    expect(products).toHaveLength(ARTICLES);
    expect(new Set(products.map((p) => p.Code))).toEqual(new Set(events.map((e) => e.data.articleNumber)));
    // The floor: one call per new article, nothing else.
    const calls = await h.callsSince(mark, shop.clientKey);
    expect(calls.filter((c) => c === 'POST /Products')).toHaveLength(ARTICLES);
    expect(calls).toHaveLength(ARTICLES);
  });
});
