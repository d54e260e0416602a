import { setTimeout as sleep } from 'node:timers/promises';
import { encodeEnvelope } from '@lib/contracts';
import { DEFAULT_HEADROOM } from '@lib/poweroffice';
import { waitFor } from '../../tools/stack';
import { EmulatorRequestLog } from '../suite/emulator-log';
import { OutcomeWatch } from '../suite/outcome-watch';
import {
  articleChanged,
  customerChanged,
  invoicePosted,
  produceEnvelopes,
  produceRecords,
  zReportClosed,
} from '../suite/pos-events';
import type { Check } from '../suite/report';
import { say, ScenarioResult, since } from '../suite/scenario';
import { BenchStage, OPERATOR_TOKEN, SuiteContext } from '../suite/stage';
import { busiestSecond, countBy, percentile, round } from '../suite/stats';

export interface BudgetSettings {
  rateLimit: number;
  windowSeconds: number;
  invoicesPerSecond: number;
  articles: number;
  customers: number;
  zReports: number;
  replayCustomers: number;
}

/** Customers the invoices are addressed to (created in the set-up pass). */
const INVOICE_CUSTOMERS = 20;
/** Let every lane queue up before the window opens. */
const WARM_UP_MS = 5000;

/**
 * The shared API budget under pressure: PowerOffice's 10 requests/s, with a backlog in every lane
 * at once in separate processes: settlement (Z-reports due now), customer-sync (new customers),
 * article-sync (a bulk load), the console replaying a tenant (replay lane), while invoices arrive
 * at the till. Over a fixed window: the requests/s PowerOffice saw (its request log), its 429s,
 * the calls per lane, and how long each invoice took from InvoicePosted to its outcome.
 */
export async function budget(ctx: SuiteContext, s: BudgetSettings): Promise<ScenarioResult> {
  // Priority is strict: the settlement backlog must outlast the window (plus boot and warm-up) for
  // every lane below it to still be waiting when the window closes, whatever --window says.
  const zReports = Math.max(s.zReports, Math.ceil((s.windowSeconds + 60) * s.rateLimit));
  const stage = await BenchStage.open(ctx, 'budget');
  try {
    const id = ctx.runId.slice(-6);
    const shop = {
      articles: `bg-${id}-articles`,
      customers: `bg-${id}-customers`,
      settlement: `bg-${id}-settlement`,
      replay: `bg-${id}-replay`,
      invoices: `bg-${id}-invoices`,
    };
    // Set-up is not measured: the emulator has no limit until the window's processes start.
    await stage.startEmulator(0);
    let t0 = Date.now();
    await stage.onboard(Object.values(shop));
    await stage.createTopics(
      ['customerChanged', 'articleChanged', 'zReportClosed', 'invoicePosted'],
      ['customerSyncOutcomes', 'articleSyncOutcomes', 'settlementOutcomes', 'invoiceOutcomes'],
    );
    const watch = await OutcomeWatch.start(
      stage.kafka,
      ['customerSyncOutcomes', 'articleSyncOutcomes', 'settlementOutcomes', 'invoiceOutcomes'].map((k) =>
        stage.topic(k as 'invoiceOutcomes'),
      ),
      `${stage.prefix}watch`,
    );

    // Set-up pass: the replayed tenant's customers and the invoices' customers exist and are mapped.
    const historyStart = new Date(Date.now() - 1000);
    const known = [
      ...Array.from({ length: s.replayCustomers }, (_, n) => customerChanged(shop.replay, n)),
      ...Array.from({ length: INVOICE_CUSTOMERS }, (_, n) => customerChanged(shop.invoices, n)),
    ];
    await produceEnvelopes(stage.kafka, stage.topic('customerChanged'), known);
    await stage.startApp('customer-sync', { name: 'customer-sync-setup', rateLimit: 0, during: 'budget: set-up' });
    await watch.waitForAll(
      known.map((e) => e.key),
      ['CustomerSynced', 'CustomerSyncFailed'],
      'set-up customers',
      60_000,
    );
    // Same consumer group as the measured instance: it carries on after these.
    await stage.stopApp('customer-sync-setup');
    say(`budget: set-up done (${since(t0)}); producing the backlogs`);

    // The backlogs, on the topics before the apps start.
    await produceRecords(stage.kafka, stage.topic('articleChanged'), s.articles, (n) =>
      encodeEnvelope(articleChanged(shop.articles, n)),
    );
    await produceRecords(stage.kafka, stage.topic('customerChanged'), s.customers, (n) =>
      encodeEnvelope(customerChanged(shop.customers, n)),
    );
    await produceRecords(stage.kafka, stage.topic('zReportClosed'), zReports, (n) =>
      encodeEnvelope(zReportClosed(shop.settlement, n)),
    );

    await stage.emulator.admin.setFaults({ rateLimit: s.rateLimit });
    const requests = new EmulatorRequestLog(stage.emulator.admin);
    await requests.start(500);
    t0 = Date.now();
    const apps = ['settlement', 'customer-sync', 'article-sync', 'invoice', 'console'] as const;
    // One at a time: five Nest apps booting at once on two cores starve each other's health checks.
    for (const app of apps) await stage.startApp(app, { rateLimit: s.rateLimit, during: 'budget' });
    say(`budget: ${apps.join(', ')} started (${since(t0)}); replaying ${shop.replay} through the console`);
    const job = await startReplay(stage.stack.url('console'), shop.replay, historyStart);

    await sleep(WARM_UP_MS);
    const windowStart = Date.now();
    const windowEnd = windowStart + s.windowSeconds * 1000;
    say(`budget: measuring for ${s.windowSeconds} s with invoices at ${s.invoicesPerSecond}/s`);
    const sent = await offerInvoices(stage, shop.invoices, s.invoicesPerSecond, windowStart, windowEnd);
    // Backlogs at the end of the window: what the flows had not answered yet.
    const pending = {
      settlement: zReports - countTenant(watch, shop.settlement, ['SettlementPosted', 'SettlementFailed']),
      customer: s.customers - countTenant(watch, shop.customers, ['CustomerSynced', 'CustomerSyncFailed']),
      article: s.articles - countTenant(watch, shop.articles, ['ArticleSynced', 'ArticleSyncFailed']),
      replay: await replayRemaining(stage.stack.url('console'), shop.replay, job, s.replayCustomers),
    };
    await waitFor(
      'outcomes of the invoices offered in the window',
      async () => sent.every((i) => watch.first(i.key, ['InvoiceTransferred', 'InvoiceRejected'])),
      { timeoutMs: 60_000, intervalMs: 100 },
    ).catch(() => undefined);
    await sleep(1000); // the call recorders write every 250 ms; the emulator log is read every 500 ms
    await requests.stop();
    const laneRows = (await stage.db.query(
      `SELECT lane, count(*)::int AS calls, coalesce(avg(budget_wait_ms), 0)::float AS avg_wait
         FROM poweroffice.api_calls WHERE at >= $1 AND at < $2 GROUP BY lane`,
      [new Date(windowStart), new Date(windowEnd)],
    )) as { lane: string; calls: number; avg_wait: number }[];
    await watch.stop();

    const calls = requests.between(windowStart, windowEnd - 1);
    const throttled = calls.filter((c) => c.status === 429).length;
    const achieved = calls.length / s.windowSeconds;
    const latencies = sent.flatMap((i) => {
      const o = watch.first(i.key, ['InvoiceTransferred', 'InvoiceRejected']);
      return o ? [o.consumedAt - i.sentAt] : [];
    });
    const transferred = sent.filter((i) => watch.first(i.key, ['InvoiceTransferred'])).length;
    const lanes = ['invoice', 'settlement', 'customer', 'article', 'replay'].map((lane) => {
      const row = laneRows.find((r) => r.lane === lane);
      return {
        lane,
        calls: row?.calls ?? 0,
        perSecond: round((row?.calls ?? 0) / s.windowSeconds, 2),
        avgBudgetWaitMs: round(row?.avg_wait ?? 0, 0),
      };
    });
    const p = (q: number) => round(percentile(latencies, q), 0);
    say(`budget: ${round(achieved, 2)} requests/s, ${throttled} × 429, invoices p50 ${p(50)} ms p99 ${p(99)} ms`);

    const checks: Check[] = [
      { what: 'no 429 from PowerOffice', ok: throttled === 0, detail: `${throttled}` },
      {
        what: 'at most the budget in any second',
        ok: busiestSecond(calls.map((c) => c.atMs)) <= s.rateLimit,
        detail: `busiest second ${busiestSecond(calls.map((c) => c.atMs))}`,
      },
      {
        what: 'every invoice of the window transferred',
        ok: transferred === sent.length,
        detail: `${transferred} of ${sent.length}`,
      },
      {
        what: 'a backlog in every lane until the end of the window',
        ok: Object.values(pending).every((n) => n > 0),
        detail: Object.entries(pending)
          .map(([k, n]) => `${k} ${n} left`)
          .join(', '),
      },
    ];
    if (requests.lost > 0)
      checks.push({ what: 'emulator request log read completely', ok: false, detail: `${requests.lost} lost` });
    return {
      settings: {
        ...s,
        zReports,
        lanes: 'invoice > settlement > customer > article > replay',
        warmUpSeconds: WARM_UP_MS / 1000,
      },
      headline: {
        label: `requests/s at a budget of ${s.rateLimit} (429s; invoice p50 / p99)`,
        value: `${round(achieved, 2)} (${throttled}; ${p(50)} / ${p(99)} ms)`,
      },
      figures: [
        {
          label: 'requests/s PowerOffice answered',
          value: round(achieved, 2),
          note: `${calls.length} requests in ${s.windowSeconds} s (emulator request log); the budget paces at ${s.rateLimit} × (1 − ${DEFAULT_HEADROOM} headroom) = ${round(s.rateLimit * (1 - DEFAULT_HEADROOM), 2)}/s`,
        },
        { label: 'busiest second', value: busiestSecond(calls.map((c) => c.atMs)), unit: 'requests' },
        { label: '429 answers', value: throttled },
        {
          label: 'invoice latency p50 / p99 / max',
          value: `${p(50)} / ${p(99)} / ${round(Math.max(...latencies), 0)}`,
          unit: 'ms',
          note: `${latencies.length} invoices, InvoicePosted produced → outcome consumed`,
        },
      ],
      tables: [
        {
          title: `Calls per budget lane in the window (poweroffice.api_calls), highest priority first`,
          columns: ['lane', 'calls', 'calls/s', 'avg wait for the budget (ms)', 'left at the end of the window'],
          rows: lanes.map((l) => [
            l.lane,
            l.calls,
            l.perSecond,
            l.avgBudgetWaitMs,
            l.lane === 'invoice' ? '–' : pending[l.lane as keyof typeof pending],
          ]),
        },
      ],
      checks,
      data: {
        windowSeconds: s.windowSeconds,
        requests: calls.length,
        requestsPerSecond: achieved,
        byStatus: countBy(calls, (c) => String(c.status)),
        byMethod: countBy(calls, (c) => c.method),
        throttled,
        lanes,
        pending,
        invoiceLatencyMs: { n: latencies.length, p50: p(50), p95: p(95), p99: p(99), max: Math.max(...latencies) },
      },
    };
  } finally {
    await stage.close();
  }
}

function countTenant(watch: OutcomeWatch, tenantId: string, types: string[]): number {
  let n = 0;
  for (const [key, outcomes] of watch.byKey)
    if (key.startsWith(`${tenantId}:`) && outcomes.some((o) => types.includes(o.type))) n++;
  return n;
}

/** Invoices at a steady rate until `endMs`; each one's send time, to time its answer. */
async function offerInvoices(
  stage: BenchStage,
  tenantId: string,
  perSecond: number,
  startMs: number,
  endMs: number,
): Promise<{ key: string; sentAt: number }[]> {
  const producer = stage.kafka.producer();
  await producer.connect();
  const sent: { key: string; sentAt: number }[] = [];
  try {
    for (let i = 0; ; i++) {
      const due = startMs + (i * 1000) / perSecond;
      if (due >= endMs) break;
      if (due > Date.now()) await sleep(due - Date.now());
      const event = invoicePosted(tenantId, i, i % INVOICE_CUSTOMERS);
      const sentAt = performance.now();
      await producer.send({ topic: stage.topic('invoicePosted'), acks: -1, messages: [encodeEnvelope(event)] });
      sent.push({ key: event.key, sentAt });
    }
    if (endMs > Date.now()) await sleep(endMs - Date.now());
  } finally {
    await producer.disconnect();
  }
  return sent;
}

async function startReplay(consoleUrl: string, tenantId: string, since: Date): Promise<string> {
  const res = await fetch(`${consoleUrl}/tenants/${encodeURIComponent(tenantId)}/resync`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${OPERATOR_TOKEN}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ since: since.toISOString(), topics: ['customerChanged'], dryRun: false }),
  });
  if (res.status !== 202) throw new Error(`POST /tenants/${tenantId}/resync: HTTP ${res.status} ${await res.text()}`);
  return ((await res.json()) as { jobId: string }).jobId;
}

async function replayRemaining(consoleUrl: string, tenantId: string, jobId: string, total: number): Promise<number> {
  const res = await fetch(`${consoleUrl}/tenants/${encodeURIComponent(tenantId)}/resync/${jobId}`, {
    headers: { Authorization: `Bearer ${OPERATOR_TOKEN}` },
  });
  const job = (await res.json()) as {
    state: string;
    progress: { seen: number } | null;
    report: { seen: number } | null;
  };
  return total - (job.report?.seen ?? job.progress?.seen ?? 0);
}
