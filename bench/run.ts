/**
 * `npm run bench [-- <benchmark>…] [--quick] [options]`: the benchmark suite. Runs the chosen
 * benchmarks one after another on the real broker and PostgreSQL, prints each one's numbers, and
 * writes bench/results/<date>.json (machine-readable, with the machine it ran on) and .md (the
 * tables); a full run also refreshes the table in docs/benchmarks.md. No benchmark fails on speed;
 * a run exits non-zero when a benchmark could not finish or got something wrong (a lost event, a
 * 429, a write that should not have happened). `--help` lists the benchmarks and options.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { assertKafkaReachable } from '@lib/platform';
import { ROOT } from '../tools/stack';
import { articleLoad } from './scenarios/article-load';
import { budget } from './scenarios/budget';
import { invoiceLatency } from './scenarios/invoice-latency';
import { memory } from './scenarios/memory';
import { nightly } from './scenarios/nightly';
import { resync } from './scenarios/resync';
import { throughput } from './scenarios/throughput';
import { machineInfo } from './suite/machine';
import { parseOptions, SuiteOptions, UsageError, USAGE } from './suite/options';
import {
  BenchName,
  BenchReport,
  DailyResults,
  embedInDocs,
  formatCell,
  mergeResults,
  renderMarkdown,
  statusOf,
} from './suite/report';
import type { ScenarioResult } from './suite/scenario';
import type { SuiteContext } from './suite/stage';

const TITLES: Record<BenchName, string> = {
  throughput: 'Throughput per app vs a plain kafkajs loop',
  budget: 'API budget with a backlog in every lane',
  nightly: 'Nightly settlement',
  resync: 'Tenant resync',
  invoice: 'Invoice feedback latency',
  articles: 'Initial article load',
  memory: 'Peak memory per process',
};

function scenario(
  name: BenchName,
  options: SuiteOptions,
  ctx: SuiteContext,
  done: BenchReport[],
): Promise<ScenarioResult> {
  const s = options.settings;
  switch (name) {
    case 'throughput':
      return throughput(ctx, s.throughput);
    case 'budget':
      return budget(ctx, s.budget);
    case 'nightly':
      return nightly(ctx, s.nightly);
    case 'resync':
      return resync(ctx, s.resync);
    case 'invoice':
      return invoiceLatency(ctx, s.invoice);
    case 'articles':
      return articleLoad(ctx, s.articles);
    case 'memory':
      return Promise.resolve(memory(done.filter((r) => r.name === 'throughput' || r.name === 'resync')));
  }
}

/** Today in Oslo, as the result files are named. */
function osloDate(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Oslo' }).format(new Date());
}

async function main(): Promise<number> {
  let options: SuiteOptions;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`bench: ${err.message}\n\n${USAGE}`);
      return 2;
    }
    throw err;
  }
  if (options.help) {
    console.log(USAGE);
    return 0;
  }

  const brokers = process.env.KAFKA_BROKERS ?? '127.0.0.1:9092';
  const adminUrl = process.env.BENCH_ADMIN_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  await assertKafkaReachable(brokers);
  const runId = `${new Date().toISOString().replace(/\D/g, '').slice(2, 14)}${randomBytes(2).toString('hex')}`;
  const ctx: SuiteContext = {
    profile: options.profile,
    brokers,
    adminUrl,
    runId,
    artifactsDir: path.join(ROOT, 'test-artifacts/bench', runId),
    encryptionKey: Buffer.alloc(32, 11).toString('base64'),
  };
  mkdirSync(ctx.artifactsDir, { recursive: true });
  const machine = await machineInfo(ROOT, adminUrl, brokers);
  const date = osloDate();
  const suffix = options.profile === 'quick' ? '-quick' : '';
  const resultsDir = path.join(ROOT, 'bench/results');
  const jsonFile = path.join(resultsDir, `${date}${suffix}.json`);
  const mdFile = path.join(resultsDir, `${date}${suffix}.md`);
  mkdirSync(resultsDir, { recursive: true });

  console.log(`bench: ${options.benches.join(', ')} (${options.profile} profile), run ${runId}`);
  console.log(
    `bench: ${machine.cores} cores, ${machine.memoryGiB} GiB, Node ${machine.node}, commit ${machine.gitCommit.slice(0, 12)}`,
  );
  console.log(`bench: process logs in ${path.relative(ROOT, ctx.artifactsDir)}/`);

  const reports: BenchReport[] = [];
  let results: DailyResults | undefined = existsSync(jsonFile)
    ? (JSON.parse(readFileSync(jsonFile, 'utf8')) as DailyResults)
    : undefined;
  for (const name of options.benches) {
    console.log(`\n== ${name}: ${TITLES[name]}`);
    const startedAt = new Date();
    const base = {
      name,
      title: TITLES[name],
      profile: options.profile,
      commit: machine.gitCommit,
      startedAt: startedAt.toISOString(),
    };
    let report: BenchReport;
    try {
      const r = await scenario(name, options, ctx, reports);
      report = { ...base, ...r, status: statusOf(r.checks), seconds: (Date.now() - startedAt.getTime()) / 1000 };
    } catch (err) {
      const message = (err as Error).message ?? String(err);
      console.error(`bench: ${name} failed: ${(err as Error).stack ?? message}`);
      report = {
        ...base,
        status: 'error',
        seconds: (Date.now() - startedAt.getTime()) / 1000,
        settings: options.settings[name as Exclude<BenchName, 'memory'>] ?? {},
        headline: { label: 'could not finish', value: null },
        figures: [],
        tables: [],
        checks: [],
        error: message,
        data: {},
      };
    }
    reports.push(report);
    console.log(
      `== ${name}: ${report.headline.label}: ${formatCell(report.headline.value, report.headline.unit)} [${report.status}, ${Math.round(report.seconds)} s]`,
    );
    for (const c of report.checks.filter((x) => !x.ok))
      console.log(`   FAILED: ${c.what}${c.detail ? ` (${c.detail})` : ''}`);
    // Written after every benchmark, so a run stopped half-way keeps what it measured.
    results = mergeResults(results, { date, profile: options.profile, machine, reports: [report] });
    writeFileSync(jsonFile, JSON.stringify(results, null, 2) + '\n');
    writeFileSync(mdFile, renderMarkdown(results));
  }

  if (results && options.profile === 'full') {
    const docs = path.join(ROOT, 'docs/benchmarks.md');
    if (existsSync(docs))
      writeFileSync(docs, embedInDocs(readFileSync(docs, 'utf8'), renderMarkdown(results, { headingLevel: 3 })));
  }
  console.log(`\n${renderMarkdown(mergeResults(undefined, { date, profile: options.profile, machine, reports }))}`);
  console.log(`bench: results in ${path.relative(ROOT, jsonFile)} and ${path.relative(ROOT, mdFile)}`);
  const bad = reports.filter((r) => r.status !== 'ok');
  if (bad.length > 0) console.log(`bench: ${bad.map((r) => `${r.name} ${r.status}`).join(', ')}`);
  return bad.length > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    console.error(`bench: ${err.message}`);
    process.exit(1);
  },
);
