/**
 * The nightly settlement at scale: N tenants' Z-reports, all scheduled for 02:00, posted by one
 * settlement instance's nightly job against the PowerOffice emulator, paced by the shared API
 * budget at the configured rate. Prints the time to post them all against the floor (the API
 * requests it took ÷ the rate), and checks that every tenant got exactly one voucher.
 *
 *   node scripts/build.mjs && node dist/bench/nightly-settlement.js [--tenants 1000] [--rate 10] [--concurrency 4]
 *
 * Needs Kafka (KAFKA_BROKERS, default 127.0.0.1:9092; `npm run infra:up`) and PostgreSQL
 * (BENCH_ADMIN_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres): it creates a
 * database of its own and drops it at the end. Everything runs on this machine.
 */
import { randomBytes } from 'node:crypto';
import { NestFactory } from '@nestjs/core';
import { Client } from 'pg';
import { buildEvent, encodeEnvelope, topicName, zReportEntityId, type ZReportClosed } from '@lib/contracts';
import { connectPipeline } from '@lib/pipeline';
import { createDataSource, createKafka, ensureTopics, JsonLogger, loadEnv, runMigrations } from '@lib/platform';
import {
  DEFAULT_HEADROOM,
  InMemoryApiBudget,
  InMemoryCallRecorder,
  PowerOfficeClient,
  PowerOfficeClientFactory,
} from '@lib/poweroffice';
import { KeyCipher, NS4102_PRESET, TenantService } from '@lib/tenancy';
import { startEmulator } from '../apps/poweroffice-emulator/src/bootstrap';
import type { SettlementClock } from '../apps/settlement/src/clock';
import { SettlementPoster } from '../apps/settlement/src/settlement-posting.job';
import { SettlementConfig } from '../apps/settlement/src/settlement.config';
import { SettlementModule } from '../apps/settlement/src/settlement.module';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const n = Number(process.argv[i + 1]);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number`);
  return n;
}

const TENANTS = arg('tenants', 1000);
const RATE = arg('rate', 10);
const CONCURRENCY = arg('concurrency', 4);
const KAFKA_BROKERS = process.env.KAFKA_BROKERS ?? '127.0.0.1:9092';
const ADMIN_URL = process.env.BENCH_ADMIN_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const ONBOARD_CONCURRENCY = 8;

const clockAt = (iso: string): SettlementClock => ({ now: () => new Date(iso) });

async function pool<T>(items: T[], width: number, fn: (item: T, i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) {
        const i = next++;
        await fn(items[i]!, i);
      }
    }),
  );
}

function day(zNumber: number, sales: number): ZReportClosed {
  const vat = Math.round(sales / 5);
  return {
    registerId: 'kasse-1',
    zNumber,
    businessDate: '2026-03-14',
    closedAt: '2026-03-14T22:00:00+01:00',
    currency: 'NOK',
    sales: [{ vatCode: '3', vatRate: 25, grossAmount: sales, netAmount: sales - vat, vatAmount: vat, count: 10 }],
    payments: [
      { method: 'cash', amount: Math.floor(sales / 2), count: 4 },
      { method: 'card', amount: sales - Math.floor(sales / 2), count: 6 },
    ],
  };
}

/** The most requests in any window of one second. */
function busiestSecond(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let lo = 0, hi = 0; hi < sorted.length; hi++) {
    while (sorted[hi]! - sorted[lo]! >= 1000) lo++;
    best = Math.max(best, hi - lo + 1);
  }
  return best;
}

async function main(): Promise<void> {
  const stamp = `${new Date().toISOString().replace(/\D/g, '').slice(0, 14)}_${randomBytes(3).toString('hex')}`;
  const dbName = `oop_bench_${stamp}`;
  const admin = new Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${dbName}"`);
  await admin.end();
  const dbUrl = new URL(ADMIN_URL);
  dbUrl.pathname = `/${dbName}`;
  const databaseUrl = dbUrl.toString();
  process.env.TENANT_KEY_ENCRYPTION_KEY ??= Buffer.alloc(32, 7).toString('base64');
  const cleanup: Array<() => Promise<unknown>> = [];

  try {
    await runMigrations(databaseUrl);
    const topicPrefix = `bench-${stamp}.`;
    const kafka = createKafka({ brokers: KAFKA_BROKERS, clientId: 'bench-nightly-settlement', log: () => undefined });
    await ensureTopics(
      kafka,
      [topicName('zReportClosed', topicPrefix), topicName('settlementOutcomes', topicPrefix)],
      3,
    );

    // Setting up is not what is measured: the emulator is unlimited until the night starts.
    const emulator = await startEmulator({ port: 0, rateLimit: 0 });
    cleanup.push(() => emulator.close());
    const db = createDataSource(databaseUrl, { extra: { max: 10 } });
    await db.initialize();
    cleanup.push(() => db.destroy());
    const factory = new PowerOfficeClientFactory(
      {
        baseUrl: emulator.baseUrl,
        applicationKey: emulator.applicationKey,
        subscriptionKey: emulator.subscriptionKey,
        rateLimit: 0,
      },
      new InMemoryApiBudget({ rateLimit: 0 }),
      new InMemoryCallRecorder(),
    );
    const tenancy = new TenantService<PowerOfficeClient>(db, KeyCipher.fromEnv(), factory, { cacheTtlMs: 0 });

    const setupStarted = Date.now();
    const tenants = Array.from({ length: TENANTS }, (_, i) => `bench-${stamp.slice(-6)}-${String(i).padStart(5, '0')}`);
    const clientKeys = new Map<string, string>();
    await pool(tenants, ONBOARD_CONCURRENCY, async (tenantId) => {
      const { clientKey } = await emulator.admin.createClient({ preset: 'ns4102' });
      clientKeys.set(tenantId, clientKey);
      await tenancy.onboard({
        id: tenantId,
        name: `Butikk ${tenantId}`,
        organizationNumber: '999999999',
        clientKey,
        actor: 'bench',
      });
      await tenancy.setMapping(tenantId, NS4102_PRESET, 'bench');
      await tenancy.setSchedule(tenantId, { mode: 'at', time: '02:00' }, 'bench');
    });
    console.log(`set-up: ${TENANTS} tenants onboarded in ${((Date.now() - setupStarted) / 1000).toFixed(1)} s`);

    const config = loadEnv(SettlementConfig, {
      ...process.env,
      KAFKA_BROKERS,
      DATABASE_URL: databaseUrl,
      TOPIC_PREFIX: topicPrefix,
      PORT: '0',
      DB_MIGRATE_ON_START: 'false',
      LOG_LEVEL: 'warn',
      POWEROFFICE_BASE_URL: emulator.baseUrl,
      POWEROFFICE_RATE_LIMIT: String(RATE),
      SETTLEMENT_POLL_INTERVAL_MS: '0',
      SETTLEMENT_MISSING_CHECK_CRON: 'off',
      SETTLEMENT_POST_CONCURRENCY: String(CONCURRENCY),
    });
    const app = await NestFactory.create(
      SettlementModule.register(config, { clock: clockAt('2026-03-14T23:30:00+01:00') }),
      {
        logger: new JsonLogger('settlement-bench', 'warn'),
      },
    );
    connectPipeline(app);
    await app.startAllMicroservices();
    await app.listen(0, '127.0.0.1');
    cleanup.unshift(() => app.close());

    const producer = kafka.producer();
    await producer.connect();
    const events = tenants.map((tenantId, i) =>
      buildEvent({
        type: 'ZReportClosed',
        tenantId,
        entityId: zReportEntityId('kasse-1', i + 1),
        data: day(i + 1, 10000 + i),
        source: 'bench',
      }),
    );
    for (let i = 0; i < events.length; i += 500) {
      await producer.send({
        topic: topicName('zReportClosed', topicPrefix),
        acks: -1,
        messages: events.slice(i, i + 500).map((e) => encodeEnvelope(e)),
      });
    }
    await producer.disconnect();
    const intakeStarted = Date.now();
    for (;;) {
      const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM settlement.reports WHERE state = 'scheduled'`);
      if (n === TENANTS) break;
      if (Date.now() - intakeStarted > 600_000)
        throw new Error(`only ${n} of ${TENANTS} Z-reports scheduled after 10 minutes`);
      await new Promise((r) => setTimeout(r, 250));
    }
    console.log(
      `set-up: ${TENANTS} Z-reports received and scheduled for 02:00 in ${((Date.now() - intakeStarted) / 1000).toFixed(1)} s`,
    );

    // The night: PowerOffice's real limit applies from now on, and the app paces itself to it.
    await emulator.admin.setFaults({ rateLimit: RATE });
    const before = await emulator.admin.stats();
    const nightStarted = new Date().toISOString();
    const started = process.hrtime.bigint();
    const summary = await app.get(SettlementPoster).postDue(new Date('2026-03-15T02:00:00+01:00'));
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const after = await emulator.admin.stats();
    await emulator.admin.clearFaults();
    const night = await emulator.admin.requests({ since: nightStarted });
    const peak = busiestSecond(night.map((r) => Date.parse(r.time)));

    const requests = after.total - before.total;
    const throttled = after.rateLimited - before.rateLimited;
    const floor = requests / RATE;
    const [{ posted }] = await db.query(
      `SELECT count(*)::int AS posted FROM settlement.reports WHERE state = 'posted'`,
    );
    let vouchers = 0;
    let tenantsWithOne = 0;
    for (const key of clientKeys.values()) {
      const n = (await emulator.admin.state(key)).vouchers.length;
      vouchers += n;
      if (n === 1) tenantsWithOne++;
    }

    console.log('');
    console.log(`nightly settlement: ${TENANTS} tenants, API budget ${RATE} req/s, ${CONCURRENCY} postings in flight`);
    console.log(
      `  posted                  ${summary.posted} (failed ${summary.failed}, retrying ${summary.retrying}); rows posted ${posted}`,
    );
    console.log(`  vouchers in PowerOffice ${vouchers}; tenants with exactly one ${tenantsWithOne}`);
    console.log(
      `  API requests            ${requests} (${(requests / TENANTS).toFixed(2)} per tenant: token + voucher), 429 answers ${throttled}`,
    );
    console.log(`  busiest second          ${peak} requests (any 1 s window of the night)`);
    console.log(`  time to post all        ${seconds.toFixed(1)} s`);
    console.log(`  floor (requests ÷ rate) ${floor.toFixed(1)} s`);
    console.log(
      `  time / floor            ${(seconds / floor).toFixed(3)}  (the budget leaves ${DEFAULT_HEADROOM * 100} % headroom, so ≈ ${(1 / (1 - DEFAULT_HEADROOM)).toFixed(3)} is the best it can do)`,
    );
    console.log(`  throughput              ${(summary.posted / seconds).toFixed(2)} settlements/s`);
    if (summary.posted !== TENANTS || tenantsWithOne !== TENANTS || vouchers !== TENANTS) process.exitCode = 1;
  } finally {
    for (const fn of cleanup) await fn().catch((err: Error) => console.error(`cleanup: ${err.message}`));
    const drop = new Client({ connectionString: ADMIN_URL });
    await drop.connect();
    await drop.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`).catch(() => undefined);
    await drop.end();
  }
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (err: Error) => {
    console.error(`bench failed: ${err.stack ?? err.message}`);
    process.exit(1);
  },
);
