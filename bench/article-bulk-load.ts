/**
 * Benchmark: a shop's initial article load through article-sync at the production API budget.
 *
 *   node scripts/build.mjs && node dist/bench/article-bulk-load.js
 *
 * 5 000 new articles for one tenant, the emulator refusing above 10 requests/s (EMULATOR_RATE_LIMIT)
 * and the client budgeted at the same 10/s (POWEROFFICE_RATE_LIMIT). Prints the elapsed time
 * against the floor (articles ÷ rate: one POST per new article is the least it can cost), the 429s
 * the emulator counted, and the requests per article. Needs Kafka (KAFKA_BROKERS, default
 * 127.0.0.1:9092) and PostgreSQL (DATABASE_URL names the server; a database of its own is created
 * and dropped). Settings: BENCH_ARTICLES (5000), BENCH_RATE (10), BENCH_PARTITIONS (3).
 */
import { Client } from 'pg';
import { NS4102_PRESET } from '@lib/tenancy';
import { ArticleFlowHarness } from '../apps/article-sync/test/article-flow-harness';

const articles = positive('BENCH_ARTICLES', 5000);
const rate = positive('BENCH_RATE', 10);
const partitions = positive('BENCH_PARTITIONS', 3);
const kafkaBrokers = process.env.KAFKA_BROKERS ?? '127.0.0.1:9092';
const serverUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function main(): Promise<void> {
  const database = `article_bench_${Date.now()}`;
  const databaseUrl = await createDatabase(serverUrl, database);
  let h: ArticleFlowHarness | undefined;
  try {
    h = await ArticleFlowHarness.start({
      kafkaBrokers,
      databaseUrl,
      topicPrefix: `bench-${Date.now()}.`,
      rateLimit: rate,
      partitions,
      migrate: true,
      startFlow: false,
    });
    const shop = await h.onboardTenant('bench', NS4102_PRESET);
    const vatCodes = ['3', '31', '33', '5'];
    const events = Array.from({ length: articles }, (_, i) =>
      h!.articleChanged(shop.tenantId, {
        articleId: `a-${i}`,
        articleNumber: String(100000 + i),
        name: `Vare ${i}`,
        vatCode: vatCodes[i % vatCodes.length]!,
        unitPriceInclVat: 990 + i,
        articleGroup: undefined,
        version: 1,
      }),
    );
    const before = await h.emulator.admin.stats();
    const mark = await h.markRequests();
    console.log(
      `article-bulk-load: ${articles} articles, rate ${rate}/s (emulator and client), ${partitions} partitions`,
    );

    // The register is on the topic when the flow starts, as when a shop with its articles is connected.
    await h.produce(events);
    const started = Date.now();
    await h.startFlow();
    let last = 0;
    const progress = setInterval(() => {
      const done = new Set(h!.outcomes.map((o) => o.causationId)).size;
      if (done !== last) console.log(`  … ${done} outcomes after ${((Date.now() - started) / 1000).toFixed(0)} s`);
      last = done;
    }, 30_000);
    const outcomes = await h
      .outcomesOf(
        events.map((e) => e.id),
        Math.max(120_000, (articles / rate) * 3000),
      )
      .finally(() => clearInterval(progress));
    const elapsedS = (Date.now() - started) / 1000;

    const stats = await h.emulator.admin.stats();
    const calls = await h.callsSince(mark, shop.clientKey);
    const products = await h.products(shop.clientKey);
    const floorS = articles / rate;
    // When the 429s came, relative to the start (they carry no client key: APIM refuses before auth).
    const refused = (await h.emulator.admin.requests({ since: mark }))
      .filter((r) => r.status === 429)
      .map((r) => round((Date.parse(r.time) - started) / 1000, 3));
    const byCall = count(calls);
    const results = {
      articles,
      rateLimit: rate,
      elapsedSeconds: round(elapsedS),
      floorSeconds: round(floorS),
      elapsedOverFloor: round(elapsedS / floorS, 3),
      articlesPerSecond: round(articles / elapsedS),
      requests: calls.length,
      requestsPerArticle: round(calls.length / articles, 4),
      requestsByKind: byCall,
      rateLimited429: stats.rateLimited - before.rateLimited,
      rateLimited429AtSeconds: refused,
      peakRequestsPerSecond: stats.peakRequestsPerSecond,
      outcomes: outcomes.length,
      distinctOutcomes: new Set(outcomes.map((o) => o.causationId)).size,
      failures: outcomes.filter((o) => o.type !== 'ArticleSynced').length,
      products: products.length,
    };
    console.log(JSON.stringify(results, null, 2));
    const ok =
      results.rateLimited429 === 0 &&
      results.distinctOutcomes === articles &&
      results.failures === 0 &&
      results.products === articles;
    console.log(ok ? 'article-bulk-load: OK' : 'article-bulk-load: FAILED (see above)');
    process.exitCode = ok ? 0 : 1;
  } finally {
    await h?.close();
    await dropDatabase(serverUrl, database);
  }
}

async function createDatabase(url: string, name: string): Promise<string> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

async function dropDatabase(url: string, name: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

function count(calls: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of calls) {
    const kind = c.replace(/\/\d+$/, '/{id}');
    out[kind] = (out[kind] ?? 0) + 1;
  }
  return out;
}

function positive(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number, got "${raw}"`);
  return n;
}

function round(n: number, digits = 1): number {
  return Number(n.toFixed(digits));
}

main().catch((err: unknown) => {
  console.error('article-bulk-load failed:', err);
  process.exitCode = 1;
});
