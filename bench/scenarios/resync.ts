import type { EachBatchPayload, Kafka } from 'kafkajs';
import { encodeEnvelope, Envelope, TopicKey } from '@lib/contracts';
import { waitFor } from '../../tools/stack';
import { EmulatorRequestLog, isWrite } from '../suite/emulator-log';
import { OutcomeWatch } from '../suite/outcome-watch';
import { articleChanged, customerChanged, produceRecords } from '../suite/pos-events';
import type { Check } from '../suite/report';
import type { MemoryPeak } from '../suite/rss';
import { say, ScenarioResult, since } from '../suite/scenario';
import { BenchStage, OPERATOR_TOKEN, SuiteContext } from '../suite/stage';
import { countBy, round } from '../suite/stats';

export interface ResyncSettings {
  tenants: number;
  customersPerTenant: number;
  articlesPerTenant: number;
  /** Versions of each customer and article on the topics: 1 created it, the rest repeat it. */
  versions: number;
}

/** The console's answer to GET /tenants/{id}/resync/{jobId} (the parts read here). */
interface ResyncJob {
  jobId: string;
  state: 'running' | 'finished' | 'failed';
  progress: { seen: number } | null;
  report: {
    seen: number;
    changed: number;
    unchanged: number;
    failed: number;
    startedAt: string;
    finishedAt: string;
    flows: { flow: string; seen: number; changed: number; unchanged: number; failed: number; aborted: boolean }[];
  } | null;
  error: { message: string } | null;
}

const TOPICS: TopicKey[] = ['customerChanged', 'articleChanged'];

/**
 * Replaying one tenant's history among many. The flows' state is brought in sync first (a first
 * pass through customer-sync and article-sync creates every customer and product and its mapping
 * row), then the topics fill with redundant versions that say the same again, which the live apps
 * never see (they are stopped). The console resyncs one tenant from the beginning through the
 * flows' own handlers (libs/pipeline resync), as a dry run and then as a replay: every record of
 * the topics is read, the tenant's are handled, and since nothing differs, PowerOffice must see no
 * write. A plain kafkajs read of the same topics is the yardstick.
 */
export async function resync(ctx: SuiteContext, s: ResyncSettings): Promise<ScenarioResult> {
  const stage = await BenchStage.open(ctx, 'resync');
  const memory: MemoryPeak[] = [];
  const checks: Check[] = [];
  try {
    await stage.startEmulator(0);
    const tenants = Array.from(
      { length: s.tenants },
      (_, i) => `rs-${ctx.runId.slice(-6)}-${String(i).padStart(3, '0')}`,
    );
    const replayed = tenants[Math.floor(tenants.length / 2)]!;
    let t0 = Date.now();
    await stage.onboard(tenants);
    say(`resync: ${tenants.length} tenants onboarded (${since(t0)})`);
    await stage.createTopics(TOPICS, ['customerSyncOutcomes', 'articleSyncOutcomes']);
    // A little before the first event: the replay starts here (the broker times records by our clock).
    const historyStart = new Date(Date.now() - 1000);

    // First pass: version 1 of everything, through the live apps.
    t0 = Date.now();
    const firstCustomers = tenants.flatMap((t) =>
      Array.from({ length: s.customersPerTenant }, (_, n) => customerChanged(t, n)),
    );
    const firstArticles = tenants.flatMap((t) =>
      Array.from({ length: s.articlesPerTenant }, (_, n) => articleChanged(t, n)),
    );
    await produceRecords(stage.kafka, stage.topic('customerChanged'), firstCustomers.length, (i) =>
      encodeEnvelope(firstCustomers[i]!),
    );
    await produceRecords(stage.kafka, stage.topic('articleChanged'), firstArticles.length, (i) =>
      encodeEnvelope(firstArticles[i]!),
    );
    const watch = await OutcomeWatch.start(
      stage.kafka,
      [stage.topic('customerSyncOutcomes'), stage.topic('articleSyncOutcomes')],
      `${stage.prefix}watch`,
    );
    await Promise.all([
      stage.startApp('customer-sync', { rateLimit: 0, during: 'resync: first pass' }),
      stage.startApp('article-sync', { rateLimit: 0, during: 'resync: first pass' }),
    ]);
    await watch.waitForAll(
      firstCustomers.map((e) => e.key),
      ['CustomerSynced', 'CustomerSyncFailed'],
      'first pass (customers)',
      120_000,
    );
    await watch.waitForAll(
      firstArticles.map((e) => e.key),
      ['ArticleSynced', 'ArticleSyncFailed'],
      'first pass (articles)',
      120_000,
    );
    const firstPassOk =
      watch.answered(
        firstCustomers.map((e) => e.key),
        ['CustomerSynced'],
      ) === firstCustomers.length &&
      watch.answered(
        firstArticles.map((e) => e.key),
        ['ArticleSynced'],
      ) === firstArticles.length;
    checks.push({
      what: 'first pass: every customer and article created in PowerOffice',
      ok: firstPassOk,
      detail: `${firstCustomers.length} customers, ${firstArticles.length} articles`,
    });
    await watch.stop();
    for (const app of ['customer-sync', 'article-sync']) {
      const peak = await stage.stopApp(app);
      if (peak) memory.push(peak);
    }
    say(`resync: first pass of ${firstCustomers.length + firstArticles.length} events done (${since(t0)})`);

    // The history: the same customers and articles again and again, version by version.
    t0 = Date.now();
    const repeat = (build: (tenant: string, n: number, version: number) => Envelope, perTenant: number) => {
      const perVersion = tenants.length * perTenant;
      return {
        count: perVersion * (s.versions - 1),
        at: (i: number) => {
          const version = 2 + Math.floor(i / perVersion);
          const j = i % perVersion;
          return encodeEnvelope(build(tenants[j % tenants.length]!, Math.floor(j / tenants.length), version));
        },
      };
    };
    const customers = repeat(customerChanged, s.customersPerTenant);
    const articles = repeat(articleChanged, s.articlesPerTenant);
    await produceRecords(stage.kafka, stage.topic('customerChanged'), customers.count, customers.at, 2000);
    await produceRecords(stage.kafka, stage.topic('articleChanged'), articles.count, articles.at, 2000);
    const totalRecords = firstCustomers.length + firstArticles.length + customers.count + articles.count;
    const produceSeconds = (Date.now() - t0) / 1000;
    say(
      `resync: ${totalRecords} events on the topics; ${customers.count + articles.count} produced in ${produceSeconds.toFixed(1)} s`,
    );

    // The yardstick: a plain kafkajs read of the same topics, picking the same tenant's records.
    const plain = await plainRead(
      stage.kafka,
      TOPICS.map((k) => stage.topic(k)),
      `${stage.prefix}plain-read`,
      `${replayed}:`,
    );
    say(`resync: plain kafkajs read of ${plain.records} records in ${plain.seconds.toFixed(1)} s`);

    // Through the console, as an operator would: a dry run first, then the replay itself.
    const consoleApp = await stage.startApp('console', { rateLimit: 0, during: 'resync: dry run, then replay' });
    const tenantEvents = (s.customersPerTenant + s.articlesPerTenant) * s.versions;
    const runs: ResyncRun[] = [];
    for (const dryRun of [true, false]) {
      const run = await resyncThroughConsole(stage, consoleApp.url, replayed, historyStart, dryRun, totalRecords);
      runs.push(run);
      checks.push(
        {
          what: `${run.mode}: every one of the tenant's events handled`,
          ok: run.seen === tenantEvents,
          detail: `${run.seen} of ${tenantEvents}`,
        },
        {
          what: `${run.mode}: nothing changed and nothing failed`,
          ok: run.changed === 0 && run.failed === 0,
          detail: `changed ${run.changed}, failed ${run.failed}`,
        },
        {
          what: `${run.mode}: no PowerOffice writes (POST/PUT/PATCH/DELETE)`,
          ok: run.writes === 0,
          detail: `${run.writes}`,
        },
      );
    }
    const consolePeak = await stage.stopApp('console');
    if (consolePeak) memory.push(consolePeak);
    checks.push({
      what: 'the plain read saw the same tenant events',
      ok: plain.tenantRecords === tenantEvents,
      detail: `${plain.tenantRecords}`,
    });

    const replay = runs.find((r) => r.mode === 'replay')!;
    const plainPerSecond = totalRecords / plain.seconds;
    return {
      settings: {
        ...s,
        totalEvents: totalRecords,
        replayedTenantEvents: tenantEvents,
        emulatorRateLimit: 0,
        powerOfficeRateLimit: 0,
      },
      headline: {
        label: `replay of 1 tenant among ${s.tenants} (${totalRecords} events read; ÷ plain kafkajs read; writes)`,
        value: `${round(replay.recordsPerSecond, 0)} events/s (${round(replay.recordsPerSecond / plainPerSecond, 3)}; ${replay.writes})`,
      },
      figures: [
        {
          label: 'replay: events read per second',
          value: round(replay.recordsPerSecond, 0),
          unit: 'events/s',
          note: `${totalRecords} records in ${round(replay.seconds, 1)} s`,
        },
        {
          label: "replay: the tenant's events handled per second",
          value: round(replay.seen / replay.seconds, 1),
          unit: 'events/s',
          note: `${replay.seen} events`,
        },
        {
          label: 'plain kafkajs read of the same topics',
          value: round(plainPerSecond, 0),
          unit: 'events/s',
          note: `${round(plain.seconds, 2)} s`,
        },
        { label: 'replay ÷ plain read', value: round(replay.recordsPerSecond / plainPerSecond, 3) },
        { label: 'PowerOffice writes during the replay', value: replay.writes, note: 'must be 0: nothing differed' },
        {
          label: 'PowerOffice reads during the replay',
          value: replay.reads,
          note: 'replay compares each customer version with PowerOffice; unchanged articles cost none',
        },
        {
          label: 'producing the history',
          value: round((customers.count + articles.count) / produceSeconds, 0),
          unit: 'events/s',
          note: 'batched kafkajs sends',
        },
      ],
      tables: [
        {
          title: `Resync of one tenant through the console (${totalRecords} events on the topics, ${tenantEvents} of them the tenant's)`,
          columns: [
            'mode',
            'events read/s',
            "tenant's events/s",
            'time',
            'changed',
            'unchanged',
            'failed',
            'PowerOffice reads',
            'PowerOffice writes',
          ],
          rows: runs.map((r) => [
            r.mode,
            round(r.recordsPerSecond, 0),
            round(r.seen / r.seconds, 1),
            `${round(r.seconds, 1)} s`,
            r.changed,
            r.unchanged,
            r.failed,
            r.reads,
            r.writes,
          ]),
        },
      ],
      checks,
      data: { totalRecords, tenantEvents, runs, plainRead: plain, produceSeconds, memory },
    };
  } finally {
    await stage.close();
  }
}

interface ResyncRun {
  mode: 'dry-run' | 'replay';
  /** The job's own start to finish (the first job also boots the flows inside the console). */
  seconds: number;
  wallSeconds: number;
  recordsPerSecond: number;
  seen: number;
  changed: number;
  unchanged: number;
  failed: number;
  reads: number;
  writes: number;
  callsByMethod: Record<string, number>;
  flows: NonNullable<ResyncJob['report']>['flows'];
}

async function resyncThroughConsole(
  stage: BenchStage,
  consoleUrl: string,
  tenantId: string,
  since: Date,
  dryRun: boolean,
  totalRecords: number,
): Promise<ResyncRun> {
  const mode = dryRun ? 'dry-run' : 'replay';
  const requests = new EmulatorRequestLog(stage.emulator.admin);
  await requests.start();
  const wallStart = Date.now();
  const job = await runResyncJob(consoleUrl, tenantId, since, dryRun);
  const wallSeconds = (Date.now() - wallStart) / 1000;
  await requests.stop();
  if (job.state !== 'finished' || !job.report)
    throw new Error(`the ${mode} job ${job.state}: ${job.error?.message ?? 'no report'}`);
  const report = job.report;
  const seconds = (Date.parse(report.finishedAt) - Date.parse(report.startedAt)) / 1000;
  const run: ResyncRun = {
    mode,
    seconds,
    wallSeconds,
    recordsPerSecond: totalRecords / seconds,
    seen: report.seen,
    changed: report.changed,
    unchanged: report.unchanged,
    failed: report.failed,
    reads: requests.calls.filter((c) => c.method === 'GET').length,
    writes: requests.calls.filter(isWrite).length,
    callsByMethod: countBy(requests.calls, (c) => c.method),
    flows: report.flows,
  };
  say(
    `resync: ${mode} of ${run.seen} events read ${totalRecords} records in ${seconds.toFixed(1)} s; ${run.reads} reads, ${run.writes} writes`,
  );
  return run;
}

async function runResyncJob(consoleUrl: string, tenantId: string, since: Date, dryRun: boolean): Promise<ResyncJob> {
  const headers = { Authorization: `Bearer ${OPERATOR_TOKEN}`, 'Content-Type': 'application/json' };
  const res = await fetch(`${consoleUrl}/tenants/${encodeURIComponent(tenantId)}/resync`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ since: since.toISOString(), topics: TOPICS, dryRun }),
  });
  if (res.status !== 202) throw new Error(`POST /tenants/${tenantId}/resync: HTTP ${res.status} ${await res.text()}`);
  const { jobId } = (await res.json()) as ResyncJob;
  let lastPrint = Date.now();
  return waitFor(
    `resync job ${jobId}`,
    async () => {
      const r = await fetch(`${consoleUrl}/tenants/${encodeURIComponent(tenantId)}/resync/${jobId}`, { headers });
      const job = (await r.json()) as ResyncJob;
      if (Date.now() - lastPrint > 15_000) {
        say(`  … ${dryRun ? 'dry run' : 'replay'}: ${job.progress?.seen ?? 0} of the tenant's events handled`);
        lastPrint = Date.now();
      }
      return job.state === 'running' ? undefined : job;
    },
    { timeoutMs: 60 * 60_000, intervalMs: 250 },
  );
}

/**
 * Every record of `topics` up to their current ends, read once by a new consumer group the way the
 * resync reads (one partition at a time, whole batches), counting the records of one key prefix.
 */
async function plainRead(
  kafka: Kafka,
  topics: string[],
  groupId: string,
  keyPrefix: string,
): Promise<{ records: number; tenantRecords: number; seconds: number }> {
  const admin = kafka.admin();
  await admin.connect();
  const ends = new Map<string, bigint>();
  try {
    for (const topic of topics)
      for (const o of await admin.fetchTopicOffsets(topic))
        if (BigInt(o.high) > 0n) ends.set(`${topic}/${o.partition}`, BigInt(o.high));
  } finally {
    await admin.disconnect();
  }
  const prefix = Buffer.from(keyPrefix);
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 500 });
  let records = 0;
  let tenantRecords = 0;
  const started = performance.now();
  let done!: () => void;
  const finished = new Promise<void>((r) => (done = r));
  await consumer.connect();
  await consumer.subscribe({ topics, fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    partitionsConsumedConcurrently: 1,
    eachBatch: async ({ batch }: EachBatchPayload) => {
      for (const m of batch.messages) {
        records++;
        if (m.key && m.key.subarray(0, prefix.length).equals(prefix)) tenantRecords++;
      }
      const slot = `${batch.topic}/${batch.partition}`;
      const end = ends.get(slot);
      if (end !== undefined && BigInt(batch.lastOffset()) + 1n >= end) {
        ends.delete(slot);
        if (ends.size === 0) done();
      }
    },
  });
  await finished;
  const seconds = (performance.now() - started) / 1000;
  await consumer.disconnect();
  return { records, tenantRecords, seconds };
}
