import path from 'node:path';
import { encodeEnvelope, Envelope, TopicKey } from '@lib/contracts';
import { ensureTopics } from '@lib/platform';
import type { AppName } from '../../tools/stack';
import { ROOT } from '../../tools/stack';
import { EmulatorRequestLog, isWrite } from '../suite/emulator-log';
import { OutcomeWatch } from '../suite/outcome-watch';
import { articleChanged, customerChanged, invoicePosted, produceRecords, zReportClosed } from '../suite/pos-events';
import { runScript, startScript, stopChild } from '../suite/processes';
import type { Check, Table } from '../suite/report';
import type { MemoryPeak } from '../suite/rss';
import { say, ScenarioResult, since } from '../suite/scenario';
import { BenchStage, childEnv, SuiteContext } from '../suite/stage';
import { countBy, ratePerSecond, round } from '../suite/stats';

export interface ThroughputSettings {
  /** Events pre-produced for each app (and for the plain loop). */
  events: number;
  tenants: number;
  /** Events for bench/pipeline-throughput.ts (the runtime with a trivial handler); 0 skips it. */
  runtimeEvents: number;
}

interface Flow {
  app: AppName;
  input: TopicKey;
  output: TopicKey;
  /** Outcome types that end an event here (a Z-report's SettlementScheduled does not: it is posted later). */
  final: string[];
  success: string;
  event(tenantId: string, n: number, perTenant: number): Envelope;
}

/** In this order: invoices go to the customers customer-sync created first. */
const FLOWS: Flow[] = [
  {
    app: 'customer-sync',
    input: 'customerChanged',
    output: 'customerSyncOutcomes',
    final: ['CustomerSynced', 'CustomerSyncFailed'],
    success: 'CustomerSynced',
    event: (t, n) => customerChanged(t, n),
  },
  {
    app: 'article-sync',
    input: 'articleChanged',
    output: 'articleSyncOutcomes',
    final: ['ArticleSynced', 'ArticleSyncFailed'],
    success: 'ArticleSynced',
    event: (t, n) => articleChanged(t, n),
  },
  {
    app: 'settlement',
    input: 'zReportClosed',
    output: 'settlementOutcomes',
    final: ['SettlementPosted', 'SettlementFailed'],
    success: 'SettlementPosted',
    event: (t, n) => zReportClosed(t, n),
  },
  {
    app: 'invoice',
    input: 'invoicePosted',
    output: 'invoiceOutcomes',
    final: ['InvoiceTransferred', 'InvoiceRejected'],
    success: 'InvoiceTransferred',
    event: (t, n, perTenant) => invoicePosted(t, n, n % perTenant),
  },
];

interface Run {
  name: string;
  events: number;
  /** First outcome (of any type) to the last final one, by the outcome records' timestamps. */
  spanSeconds: number;
  perSecond: number;
  /** From starting the process until the last outcome: includes booting and joining the group. */
  wallSeconds: number;
  succeeded: number;
  apiCalls: number;
  apiCreates: number;
  callsByMethod: Record<string, number>;
  memory?: MemoryPeak;
}

/**
 * Events/s through each flow app, run as its own process against the emulator with no rate limit
 * and no latency, against a plain kafkajs consume → produce loop on the same broker in this run.
 * Every app gets the same number of pre-produced events for a handful of tenants.
 */
export async function throughput(ctx: SuiteContext, settings: ThroughputSettings): Promise<ScenarioResult> {
  const stage = await BenchStage.open(ctx, 'throughput');
  const runs: Run[] = [];
  const checks: Check[] = [];
  let runtimeAlone: Table | undefined;
  try {
    await stage.startEmulator(0);
    const tenants = Array.from({ length: settings.tenants }, (_, i) => `tp-${ctx.runId.slice(-6)}-${i}`);
    await stage.onboard(tenants);
    await stage.createTopics(
      FLOWS.map((f) => f.input),
      FLOWS.map((f) => f.output),
    );
    const perTenant = Math.ceil(settings.events / tenants.length);
    const eventsOf = (flow: Flow) =>
      Array.from({ length: settings.events }, (_, i) =>
        flow.event(tenants[i % tenants.length]!, Math.floor(i / tenants.length), perTenant),
      );

    runs.push(await plainLoop(stage, eventsOf(FLOWS[0]!)));
    for (const flow of FLOWS) {
      const run = await appRun(stage, flow, eventsOf(flow));
      runs.push(run);
      checks.push({
        what: `${flow.app}: every event ended in ${flow.success}`,
        ok: run.succeeded === run.events,
        detail: `${run.succeeded} of ${run.events}`,
      });
      checks.push({
        what: `${flow.app}: one PowerOffice create per event (nothing posted twice)`,
        ok: run.apiCreates === run.events,
        detail: `${run.apiCreates} creates for ${run.events} events`,
      });
    }
    if (settings.runtimeEvents > 0) runtimeAlone = await pipelineRuntimeAlone(ctx, settings.runtimeEvents);
  } finally {
    await stage.close();
  }

  const plain = runs[0]!;
  const apps = runs.slice(1);
  const ratio = (r: Run) => round(r.perSecond / plain.perSecond, 3);
  const tables: Table[] = [
    {
      title: `Events/s per process (${settings.events} events, ${settings.tenants} tenants, emulator unthrottled, no latency)`,
      columns: [
        'process',
        'events/s',
        '÷ plain kafkajs',
        'first→last outcome',
        'start→last outcome',
        'API calls/event',
        'peak RSS',
      ],
      rows: runs.map((r) => [
        r.name,
        round(r.perSecond, 1),
        r === plain ? 1 : ratio(r),
        `${round(r.spanSeconds, 1)} s`,
        `${round(r.wallSeconds, 1)} s`,
        r === plain ? '–' : round(r.apiCalls / r.events, 2),
        r.memory ? `${r.memory.peakRssMiB} MiB` : '–',
      ]),
    },
  ];
  if (runtimeAlone) tables.push(runtimeAlone);
  return {
    settings: {
      ...settings,
      emulatorRateLimit: 0,
      powerOfficeRateLimit: 0,
      partitions: 3,
      partitionsConsumedConcurrently: 3,
    },
    headline: {
      label: 'events/s per app (÷ plain kafkajs loop)',
      value: apps.map((r) => `${r.name} ${round(r.perSecond, 0)} (${ratio(r)})`).join(', '),
    },
    figures: [
      { label: 'plain kafkajs consume→produce loop', value: round(plain.perSecond, 0), unit: 'events/s' },
      ...apps.map((r) => ({
        label: r.name,
        value: round(r.perSecond, 1),
        unit: 'events/s',
        note: `${ratio(r)} × the plain loop; ${round(r.apiCalls / r.events, 2)} API calls/event`,
      })),
    ],
    tables,
    checks,
    data: { runs, runtimeAlone: runtimeAlone?.rows ?? null, memory: runs.flatMap((r) => (r.memory ? [r.memory] : [])) },
  };
}

/** The yardstick: the same events through a plain kafkajs process. */
async function plainLoop(stage: BenchStage, events: Envelope[]): Promise<Run> {
  const input = `${stage.prefix}plain.in`;
  const output = `${stage.prefix}plain.out`;
  await ensureTopics(stage.kafka, [input, output], 3);
  await produceRecords(stage.kafka, input, events.length, (i) => encodeEnvelope(events[i]!));
  const watch = await OutcomeWatch.start(stage.kafka, [output], `${stage.prefix}watch.plain`);
  const started = performance.now();
  say(`plain kafkajs loop: ${events.length} events…`);
  const child = startScript(
    path.join(ROOT, 'dist/bench/suite/plain-kafkajs-loop.js'),
    {
      ...process.env,
      KAFKA_BROKERS: stage.ctx.brokers,
      LOOP_INPUT: input,
      LOOP_OUTPUT: output,
      LOOP_GROUP: `${stage.prefix}plain`,
      LOOP_CONCURRENCY: '3',
    },
    path.join(stage.ctx.artifactsDir, 'throughput', 'plain-kafkajs-loop.log'),
  );
  stage.rss.track('plain kafkajs loop', child.pid, 'throughput');
  try {
    const keys = events.map((e) => e.key);
    await watch.waitForAll(keys, ['CustomerChanged'], 'plain kafkajs loop', 60_000);
    const run = summarise('plain kafkajs loop', keys, ['CustomerChanged'], 'CustomerChanged', watch, started);
    run.memory = await stage.rss.finish('plain kafkajs loop');
    say(`plain kafkajs loop: ${round(run.perSecond, 0)} events/s`);
    return run;
  } finally {
    await stopChild(child);
    await watch.stop();
  }
}

async function appRun(stage: BenchStage, flow: Flow, events: Envelope[]): Promise<Run> {
  const t0 = Date.now();
  await produceRecords(stage.kafka, stage.topic(flow.input), events.length, (i) => encodeEnvelope(events[i]!));
  const watch = await OutcomeWatch.start(stage.kafka, [stage.topic(flow.output)], `${stage.prefix}watch.${flow.app}`);
  const requests = new EmulatorRequestLog(stage.emulator.admin);
  await requests.start();
  say(`${flow.app}: ${events.length} events on the topic (${since(t0)}); starting the app…`);
  const started = performance.now();
  await stage.startApp(flow.app, { rateLimit: 0, during: 'throughput' });
  try {
    const keys = events.map((e) => e.key);
    await watch.waitForAll(keys, flow.final, flow.app, 120_000);
    await requests.stop();
    const run = summarise(flow.app, keys, flow.final, flow.success, watch, started);
    run.apiCalls = requests.calls.length;
    run.callsByMethod = countBy(requests.calls, (c) => c.method);
    run.apiCreates = requests.calls.filter((c) => isWrite(c) && c.method === 'POST' && c.status < 300).length;
    if (requests.lost > 0) say(`${flow.app}: ${requests.lost} emulator log entries were lost between reads`);
    run.memory = await stage.stopApp(flow.app);
    say(
      `${flow.app}: ${round(run.perSecond, 1)} events/s; ${run.apiCalls} API calls; peak RSS ${run.memory?.peakRssMiB ?? '?'} MiB`,
    );
    return run;
  } finally {
    await stage.stopApp(flow.app);
    await requests.stop();
    await watch.stop();
  }
}

function summarise(
  name: string,
  keys: string[],
  final: string[],
  success: string,
  watch: OutcomeWatch,
  startedAt: number,
): Run {
  const all = watch.all();
  const firstMs = Math.min(...all.map((o) => o.producedAtMs));
  const finals = keys.map((k) => watch.first(k, final)!);
  const lastMs = Math.max(...finals.map((o) => o.producedAtMs));
  const lastConsumed = Math.max(...finals.map((o) => o.consumedAt));
  return {
    name,
    events: keys.length,
    spanSeconds: (lastMs - firstMs) / 1000,
    perSecond: ratePerSecond(keys.length, lastMs - firstMs),
    wallSeconds: (lastConsumed - startedAt) / 1000,
    succeeded: finals.filter((o) => o.type === success).length,
    apiCalls: 0,
    apiCreates: 0,
    callsByMethod: {},
  };
}

/** bench/pipeline-throughput.ts: the runtime with a handler that only answers, against kafkajs loops, in one process. */
async function pipelineRuntimeAlone(ctx: SuiteContext, events: number): Promise<Table> {
  say(`pipeline runtime alone (bench/pipeline-throughput.ts, ${events} events)…`);
  const run = await runScript(path.join(ROOT, 'dist/bench/pipeline-throughput.js'), [], {
    env: childEnv(ctx, { BENCH_EVENTS: String(events) }),
    label: 'pipeline-throughput',
    timeoutMs: 15 * 60_000,
    logFile: path.join(ctx.artifactsDir, 'throughput', 'pipeline-throughput.log'),
  });
  const rows = [...run.stdout.matchAll(/^\s+(\S+)\s+([\d.]+) s\s+(\d+) events\/s/gm)].map((m) => [
    m[1]!,
    Number(m[3]),
    `${m[2]} s`,
  ]);
  if (run.code !== 0 || rows.length === 0) {
    return {
      title: 'Pipeline runtime alone (bench/pipeline-throughput.ts)',
      columns: ['scenario', 'events/s', 'time'],
      rows: [
        [
          `failed (exit ${run.code}); see test-artifacts/bench/${ctx.runId}/throughput/pipeline-throughput.log`,
          null,
          null,
        ],
      ],
    };
  }
  return {
    title: `Pipeline runtime alone, trivial handler, one process (bench/pipeline-throughput.ts, ${events} events)`,
    columns: ['scenario', 'events/s', 'time'],
    rows,
  };
}
