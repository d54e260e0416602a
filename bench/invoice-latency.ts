/**
 * Invoice latency: the time from an InvoicePosted produced to its outcome consumed, p50/p95/p99 over
 * many invoices, (a) on an idle system and (b) while bulk article work keeps the shared PowerOffice
 * API budget saturated. The invoice app runs as its own process (dist/apps/invoice/src/main.js), on
 * the real broker and a fresh PostgreSQL database, against the emulator answering after a realistic
 * latency. Not a test: it prints numbers.
 *
 *   node scripts/build.mjs && node dist/bench/invoice-latency.js
 *
 * Settings (env): BENCH_INVOICES (1000 per scenario), BENCH_RATE (invoices/s offered, 5),
 * BENCH_LATENCY_MS (80), BENCH_RATE_LIMIT (the API budget, requests/s, 10), BENCH_CUSTOMERS
 * ("sync": customers known from customer sync, one call per invoice; "lookup": found by number, two),
 * BENCH_BACKGROUND_CALLERS (6), BENCH_SCENARIOS ("idle,saturated"), KAFKA_BROKERS, DATABASE_URL (an
 * admin URL; a database of its own is created and dropped).
 */
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { AddressInfo, createServer } from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Consumer, Producer } from 'kafkajs';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import {
  buildEvent,
  decodeEvent,
  encodeEnvelope,
  InvoicePosted,
  invoicePostedExample,
  topicName,
} from '@lib/contracts';
import { assertKafkaReachable, createDataSource, createKafka, runMigrations } from '@lib/platform';
import { PgApiBudget, PgCallRecorder, PowerOfficeClient, PowerOfficeClientFactory } from '@lib/poweroffice';
import { KeyCipher, NS4102_PRESET, TenantService } from '@lib/tenancy';
import { ensureInvoiceTopics } from '../apps/invoice/src/invoice-flow';
import { RunningEmulator, startEmulator } from '../apps/poweroffice-emulator/src/bootstrap';

const root = path.resolve(__dirname, '../..');

const settings = {
  invoices: int('BENCH_INVOICES', 1000),
  ratePerSecond: Number(process.env.BENCH_RATE ?? 5),
  latencyMs: int('BENCH_LATENCY_MS', 80),
  rateLimit: int('BENCH_RATE_LIMIT', 10),
  customers: (process.env.BENCH_CUSTOMERS ?? 'sync') as 'sync' | 'lookup',
  backgroundCallers: int('BENCH_BACKGROUND_CALLERS', 6),
  scenarios: (process.env.BENCH_SCENARIOS ?? 'idle,saturated').split(',') as ('idle' | 'saturated')[],
  brokers: process.env.KAFKA_BROKERS ?? '127.0.0.1:9092',
  adminUrl: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
};
const CUSTOMER_COUNT = 20;
/** PowerOffice calls one invoice needs in voucher mode (the token is cached for 20 minutes). */
const CALLS_PER_INVOICE = settings.customers === 'sync' ? 1 : 2;

function int(name: string, fallback: number): number {
  const v = process.env[name];
  return v === undefined || v === '' ? fallback : Number.parseInt(v, 10);
}

interface ScenarioResult {
  name: string;
  latenciesMs: number[];
  outcomeTypes: Record<string, number>;
  wallSeconds: number;
  lanes: {
    lane: string;
    calls: number;
    perSecond: number;
    avgBudgetWaitMs: number;
    p95BudgetWaitMs: number;
    avgDurationMs: number;
  }[];
  throttled: number;
}

async function main(): Promise<void> {
  await assertKafkaReachable(settings.brokers, 10_000);
  const runId = randomBytes(4).toString('hex');
  const database = await freshDatabase(settings.adminUrl, `oop_bench_${runId}`);
  const topicPrefix = `bench-${runId}.`;
  const emulator = await startEmulator({ port: 0, rateLimit: settings.rateLimit });
  const db = createDataSource(database.url, { extra: { max: 8, application_name: 'invoice-bench' } });
  let app: ChildProcess | undefined;
  let recorder: PgCallRecorder | undefined;
  try {
    console.log(`[bench] migrating ${database.name}`);
    await runMigrations(database.url);
    await db.initialize();
    const kafka = createKafka({ brokers: settings.brokers, clientId: 'invoice-bench', log: () => undefined });
    const inputTopic = topicName('invoicePosted', topicPrefix);
    const outcomeTopic = topicName('invoiceOutcomes', topicPrefix);
    await ensureInvoiceTopics(kafka, topicPrefix);

    recorder = new PgCallRecorder(db);
    const factory = new PowerOfficeClientFactory(
      {
        baseUrl: emulator.baseUrl,
        applicationKey: emulator.applicationKey,
        subscriptionKey: emulator.subscriptionKey,
        rateLimit: settings.rateLimit,
      },
      new PgApiBudget(db, { subscriptionKey: emulator.subscriptionKey, rateLimit: settings.rateLimit }),
      recorder,
    );
    const tenantId = `bench-${runId}`;
    const shop = await arrangeTenant(db, emulator, factory, tenantId);

    app = await startInvoiceApp(database.url, topicPrefix, emulator);
    const outcomes = await OutcomeClock.start(kafka, outcomeTopic, `${topicPrefix}bench-outcomes`);
    const producer = kafka.producer();
    await producer.connect();
    await emulator.admin.setFaults({ latencyMs: settings.latencyMs });
    // Warm-up: connections, the tenant's token and the caches of the app, not measured.
    await runScenario('warm-up', 20, 900_000, { db, producer, inputTopic, outcomes, tenantId, emulator });

    const results: ScenarioResult[] = [];
    let base = 100_000;
    for (const name of settings.scenarios) {
      base += 100_000;
      const background =
        name === 'saturated'
          ? new BackgroundLoad(
              factory.forTenant({ tenantId, clientKey: shop.clientKey, lane: 'article' }),
              settings.backgroundCallers,
            )
          : undefined;
      if (background) {
        background.start();
        await sleep(3000); // let the bulk lane fill the budget first
      }
      results.push(
        await runScenario(name, settings.invoices, base, { db, producer, inputTopic, outcomes, tenantId, emulator }),
      );
      if (background) await background.stop();
    }
    await producer.disconnect();
    await outcomes.stop();
    report(results);
  } finally {
    if (app && app.exitCode === null) {
      const exited = new Promise((r) => app!.once('exit', r));
      app.kill('SIGTERM');
      await Promise.race([exited, sleep(15_000)]);
    }
    await recorder?.close().catch(() => undefined);
    await emulator.close();
    await db.destroy().catch(() => undefined);
    await database
      .drop()
      .catch((err: Error) => console.warn(`[bench] could not drop ${database.name}: ${err.message}`));
  }
}

/** A shop on an NS 4102 client with the NS 4102 mapping and CUSTOMER_COUNT customers. */
async function arrangeTenant(
  db: DataSource,
  emulator: RunningEmulator,
  factory: PowerOfficeClientFactory,
  tenantId: string,
) {
  const { clientKey } = await emulator.admin.createClient({ preset: 'ns4102', name: 'Benkebutikken' });
  const tenants = new TenantService(db, KeyCipher.fromEnv(), factory);
  await tenants.onboard({
    id: tenantId,
    name: 'Benkebutikken',
    organizationNumber: '999888777',
    clientKey,
    actor: 'bench',
  });
  await tenants.setMapping(tenantId, NS4102_PRESET, 'bench');
  const po = factory.forTenant({ tenantId, clientKey, lane: 'customer' });
  for (let i = 0; i < CUSTOMER_COUNT; i++) {
    const customer = await po.customers.create({ name: `Kunde ${i}`, number: 10000 + i });
    if (settings.customers === 'sync') {
      await db.query(
        `INSERT INTO customer_sync.customers (tenant_id, customer_id, po_customer_id, po_customer_number, po_subledger_account_id, state)
         VALUES ($1, $2, $3, $4, $5, 'synced')`,
        [tenantId, `c-${i}`, customer.id, customer.number, customer.subledgerAccountId],
      );
    }
  }
  return { clientKey };
}

async function startInvoiceApp(
  databaseUrl: string,
  topicPrefix: string,
  emulator: RunningEmulator,
): Promise<ChildProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, [path.join(root, 'dist/apps/invoice/src/main.js')], {
    env: {
      ...process.env,
      KAFKA_BROKERS: settings.brokers,
      DATABASE_URL: databaseUrl,
      TOPIC_PREFIX: topicPrefix,
      PORT: String(port),
      LOG_LEVEL: 'warn',
      DB_MIGRATE_ON_START: 'false',
      POWEROFFICE_BASE_URL: emulator.baseUrl,
      POWEROFFICE_APPLICATION_KEY: emulator.applicationKey,
      POWEROFFICE_SUBSCRIPTION_KEY: emulator.subscriptionKey,
      POWEROFFICE_RATE_LIMIT: String(settings.rateLimit),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let exited: number | null | undefined;
  child.on('exit', (code) => (exited = code));
  child.stdout!.on('data', (d: Buffer) => {
    for (const line of d.toString().split('\n'))
      if (/"level":"(warn|error)"/.test(line) && !/kafkajs|DEV_ONLY/.test(line)) console.log(`[invoice app] ${line}`);
  });
  child.stderr!.on('data', (d: Buffer) => process.stderr.write(`[invoice app] ${d.toString()}`));
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited !== undefined) throw new Error(`the invoice app exited with ${exited}`);
    const res = await fetch(`http://127.0.0.1:${port}/health`).catch(() => undefined);
    if (res?.status === 200) return child;
    if (Date.now() > deadline) throw new Error('the invoice app was not healthy within 60 s');
    await sleep(200);
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

interface ScenarioDeps {
  db: DataSource;
  producer: Producer;
  inputTopic: string;
  outcomes: OutcomeClock;
  tenantId: string;
  emulator: RunningEmulator;
}

/** Offers `count` invoices at BENCH_RATE per second (evenly spaced) and waits for every outcome. */
async function runScenario(
  name: string,
  count: number,
  firstNumber: number,
  deps: ScenarioDeps,
): Promise<ScenarioResult> {
  console.log(`[bench] ${name}: ${count} invoices at ${settings.ratePerSecond}/s`);
  const statsBefore = await deps.emulator.admin.stats();
  const startedAt = new Date();
  const sentAt = new Map<string, number>();
  const sends: Promise<unknown>[] = [];
  const t0 = performance.now();
  for (let i = 0; i < count; i++) {
    const due = t0 + (i * 1000) / settings.ratePerSecond;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    const data = invoice(firstNumber + i, i);
    const event = buildEvent({
      type: 'InvoicePosted',
      tenantId: deps.tenantId,
      entityId: data.invoiceId,
      data,
      source: 'open-one',
    });
    sentAt.set(event.id, performance.now());
    sends.push(deps.producer.send({ topic: deps.inputTopic, acks: -1, messages: [encodeEnvelope(event)] }));
    if (i > 0 && i % 200 === 0) console.log(`[bench] ${name}: ${i} sent, ${deps.outcomes.countOf(sentAt)} answered`);
  }
  await Promise.all(sends);
  const deadline = Date.now() + 300_000;
  while (deps.outcomes.countOf(sentAt) < count) {
    if (Date.now() > deadline)
      throw new Error(
        `${name}: only ${deps.outcomes.countOf(sentAt)} of ${count} outcomes within 5 minutes after the last send`,
      );
    await sleep(100);
  }
  const wallSeconds = (performance.now() - t0) / 1000;
  const latenciesMs: number[] = [];
  const outcomeTypes: Record<string, number> = {};
  for (const [id, at] of sentAt) {
    const answer = deps.outcomes.answers.get(id)!;
    latenciesMs.push(answer.at - at);
    outcomeTypes[answer.type] = (outcomeTypes[answer.type] ?? 0) + 1;
  }
  await sleep(500); // the call recorder writes every 250 ms
  const lanes = (
    (await deps.db.query(
      `SELECT lane, count(*)::int AS calls,
              coalesce(avg(budget_wait_ms), 0)::float AS avg_wait,
              coalesce(percentile_cont(0.95) WITHIN GROUP (ORDER BY budget_wait_ms), 0)::float AS p95_wait,
              coalesce(avg(duration_ms), 0)::float AS avg_duration
         FROM poweroffice.api_calls WHERE at >= $1 GROUP BY lane ORDER BY lane`,
      [startedAt],
    )) as { lane: string; calls: number; avg_wait: number; p95_wait: number; avg_duration: number }[]
  ).map((r) => ({
    lane: r.lane,
    calls: r.calls,
    perSecond: r.calls / wallSeconds,
    avgBudgetWaitMs: r.avg_wait,
    p95BudgetWaitMs: r.p95_wait,
    avgDurationMs: r.avg_duration,
  }));
  const statsAfter = await deps.emulator.admin.stats();
  return {
    name,
    latenciesMs,
    outcomeTypes,
    wallSeconds,
    lanes,
    throttled: statsAfter.rateLimited - statsBefore.rateLimited,
  };
}

/** The §8.2 credit sale, numbered, for one of the customers. */
function invoice(number: number, i: number): InvoicePosted {
  const customer = i % CUSTOMER_COUNT;
  return {
    ...structuredClone(invoicePostedExample),
    invoiceId: `inv-${number}`,
    invoiceNumber: String(number),
    customer: { customerId: `c-${customer}`, customerNumber: 10000 + customer },
  };
}

/** When each outcome arrived, by the id of the event that caused it. */
class OutcomeClock {
  readonly answers = new Map<string, { at: number; type: string }>();

  private constructor(private readonly consumer: Consumer) {}

  static async start(kafka: ReturnType<typeof createKafka>, topic: string, groupId: string): Promise<OutcomeClock> {
    const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 100 });
    const clock = new OutcomeClock(consumer);
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    let joined = false;
    consumer.on(consumer.events.GROUP_JOIN, () => (joined = true));
    await consumer.run({
      eachMessage: async ({ message }) => {
        const at = performance.now();
        const decoded = decodeEvent({ key: message.key, value: message.value, headers: message.headers });
        if (decoded.ok && decoded.envelope.causationId && !clock.answers.has(decoded.envelope.causationId)) {
          clock.answers.set(decoded.envelope.causationId, { at, type: decoded.envelope.type });
        }
      },
    });
    while (!joined) await sleep(50);
    return clock;
  }

  countOf(events: Map<string, number>): number {
    let n = 0;
    for (const id of events.keys()) if (this.answers.has(id)) n++;
    return n;
  }

  stop(): Promise<void> {
    return this.consumer.disconnect();
  }
}

/** Bulk work in the article lane: callers that each make one PowerOffice read after another. */
class BackgroundLoad {
  private running = false;
  private loops: Promise<void>[] = [];
  calls = 0;

  constructor(
    private readonly client: PowerOfficeClient,
    private readonly callers: number,
  ) {}

  start(): void {
    this.running = true;
    this.loops = Array.from({ length: this.callers }, async () => {
      while (this.running) {
        await this.client.products.listPage({}, { pageNumber: 1, pageSize: 1 }).catch(() => undefined);
        this.calls++;
      }
    });
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
  }
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))];
}

function report(results: ScenarioResult[]): void {
  const floor = settings.latencyMs * CALLS_PER_INVOICE;
  console.log('');
  console.log(
    `Invoice latency: InvoicePosted produced → outcome consumed (voucher mode, customers: ${settings.customers})`,
  );
  console.log(
    `emulator latency ${settings.latencyMs} ms × ${CALLS_PER_INVOICE} call(s) per invoice = floor ${floor} ms; ` +
      `API budget ${settings.rateLimit} req/s; invoices offered at ${settings.ratePerSecond}/s`,
  );
  console.log('');
  const f = (n: number) => n.toFixed(0).padStart(6);
  console.log('scenario     n      p50    p95    p99    max   mean  (ms)  p50−floor  outcomes');
  for (const r of results) {
    const s = [...r.latenciesMs].sort((a, b) => a - b);
    const mean = s.reduce((a, b) => a + b, 0) / s.length;
    console.log(
      `${r.name.padEnd(10)} ${String(s.length).padStart(5)} ${f(percentile(s, 50))} ${f(percentile(s, 95))} ${f(percentile(s, 99))} ${f(s[s.length - 1])} ${f(mean)}        ${f(percentile(s, 50) - floor)}   ${JSON.stringify(r.outcomeTypes)}`,
    );
  }
  console.log('');
  for (const r of results) {
    const lanes = r.lanes
      .map(
        (l) =>
          `${l.lane} ${l.perSecond.toFixed(2)}/s (budget wait avg ${l.avgBudgetWaitMs.toFixed(0)} ms, p95 ${l.p95BudgetWaitMs.toFixed(0)} ms; ` +
          `call avg ${l.avgDurationMs.toFixed(0)} ms)`,
      )
      .join('; ');
    console.log(
      `${r.name}: ${r.wallSeconds.toFixed(0)} s; API calls by lane: ${lanes}; 429s from PowerOffice: ${r.throttled}`,
    );
  }
}

async function freshDatabase(
  adminUrl: string,
  name: string,
): Promise<{ name: string; url: string; drop: () => Promise<void> }> {
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    drop: async () => {
      const c = new Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await c.end();
    },
  };
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
