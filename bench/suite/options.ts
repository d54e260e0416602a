import { BENCH_NAMES, BenchName, isBenchName, Profile } from './report';

/** Every knob of the suite, per benchmark. */
export interface SuiteSettings {
  throughput: { events: number; tenants: number; runtimeEvents: number };
  budget: {
    rateLimit: number;
    windowSeconds: number;
    invoicesPerSecond: number;
    articles: number;
    customers: number;
    zReports: number;
    replayCustomers: number;
  };
  nightly: { tenants: number; rateLimit: number; concurrency: number };
  resync: { tenants: number; customersPerTenant: number; articlesPerTenant: number; versions: number };
  invoice: { invoices: number };
  articles: { articles: number };
}

/**
 * The full profile takes about 15 minutes on 2 cores (the nightly 1 000-tenant run alone is ~220 s
 * of budget-bound posting); `--quick` is a smoke run of about 3 minutes that only shows everything works.
 */
export const PROFILES: Record<Profile, SuiteSettings> = {
  full: {
    throughput: { events: 5000, tenants: 5, runtimeEvents: 5000 },
    budget: {
      rateLimit: 10,
      windowSeconds: 90,
      invoicesPerSecond: 1,
      // Priority is strict, so the settlement backlog must outlast the window (the benchmark raises it
      // to (window + 60 s) × rate when needed); the lower lanes' backlogs need only exist.
      articles: 1000,
      customers: 500,
      zReports: 1500,
      replayCustomers: 100,
    },
    nightly: { tenants: 1000, rateLimit: 10, concurrency: 4 },
    // 100 tenants × (10 customers + 10 articles) × 100 versions = 200 000 events.
    resync: { tenants: 100, customersPerTenant: 10, articlesPerTenant: 10, versions: 100 },
    invoice: { invoices: 300 },
    articles: { articles: 1500 },
  },
  quick: {
    throughput: { events: 300, tenants: 2, runtimeEvents: 0 },
    budget: {
      rateLimit: 10,
      windowSeconds: 20,
      invoicesPerSecond: 1,
      articles: 200,
      customers: 100,
      zReports: 450,
      replayCustomers: 30,
    },
    nightly: { tenants: 30, rateLimit: 10, concurrency: 4 },
    resync: { tenants: 10, customersPerTenant: 5, articlesPerTenant: 5, versions: 40 },
    invoice: { invoices: 30 },
    articles: { articles: 100 },
  },
};

export interface SuiteOptions {
  profile: Profile;
  /** In the order they run; `memory` pulls in throughput and resync, whose processes it measures. */
  benches: BenchName[];
  settings: SuiteSettings;
  help: boolean;
}

/** The order a full run takes: quick figures first, the long budget-bound ones last. */
const RUN_ORDER: BenchName[] = ['throughput', 'resync', 'budget', 'nightly', 'invoice', 'articles', 'memory'];

const NUMBER_FLAGS: Record<string, (s: SuiteSettings, n: number) => void> = {
  '--events': (s, n) => (s.throughput.events = n),
  '--throughput-tenants': (s, n) => (s.throughput.tenants = n),
  '--runtime-events': (s, n) => (s.throughput.runtimeEvents = n),
  '--tenants': (s, n) => (s.nightly.tenants = n),
  '--nightly-concurrency': (s, n) => (s.nightly.concurrency = n),
  '--window': (s, n) => (s.budget.windowSeconds = n),
  '--resync-tenants': (s, n) => (s.resync.tenants = n),
  '--versions': (s, n) => (s.resync.versions = n),
  '--invoices': (s, n) => (s.invoice.invoices = n),
  '--articles': (s, n) => (s.articles.articles = n),
};

export class UsageError extends Error {}

export function parseOptions(argv: readonly string[]): SuiteOptions {
  const profile: Profile = argv.includes('--quick') ? 'quick' : 'full';
  const settings = structuredClone(PROFILES[profile]);
  const named: BenchName[] = [];
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--quick') continue;
    if (arg === '--help' || arg === '-h') {
      help = true;
      continue;
    }
    const [flag, inline] = arg.split('=', 2) as [string, string | undefined];
    const apply = NUMBER_FLAGS[flag];
    if (apply) {
      const raw = inline ?? argv[++i];
      const n = Number(raw);
      // 0 is allowed only where it means "skip" (the runtime-alone run).
      if (raw === undefined || !Number.isInteger(n) || n < 0 || (n === 0 && flag !== '--runtime-events'))
        throw new UsageError(
          `${flag} needs a positive whole number, got ${raw === undefined ? 'nothing' : `"${raw}"`}`,
        );
      apply(settings, n);
      continue;
    }
    if (arg.startsWith('-')) throw new UsageError(`unknown option ${arg}`);
    if (!isBenchName(arg)) throw new UsageError(`unknown benchmark "${arg}"; choose from ${BENCH_NAMES.join(', ')}`);
    if (!named.includes(arg)) named.push(arg);
  }
  const wanted = new Set<BenchName>(named.length === 0 ? BENCH_NAMES : named);
  if (wanted.has('memory')) {
    wanted.add('throughput');
    wanted.add('resync');
  }
  if (settings.resync.tenants < 2)
    throw new UsageError('--resync-tenants must be at least 2: one is replayed among the others');
  return { profile, benches: RUN_ORDER.filter((b) => wanted.has(b)), settings, help };
}

export const USAGE = `npm run bench [-- <benchmark>…] [--quick] [options]

Benchmarks (default: all, about 15 minutes on 2 cores; --quick: a smoke run of about 3 minutes):
  throughput  events/s through each app vs a plain kafkajs loop (emulator unthrottled)
  budget      10 requests/s shared by backlogs in every lane: achieved rate, 429s, invoice latency
  nightly     1 000 tenants' Z-reports posted at the budget, against the floor
  resync      one tenant's replay among 100 (200 000 events), vs a plain kafkajs read; PowerOffice writes
  invoice     invoice feedback latency, idle and with the budget saturated (bench/invoice-latency.ts)
  articles    a shop's initial article load at the budget (bench/article-bulk-load.ts)
  memory      peak RSS of each process during throughput and resync (runs both)

Options:
  --events N             throughput: events per app (5000)
  --throughput-tenants N throughput: tenants (5)
  --runtime-events N     throughput: events for the pipeline-alone run, 0 skips it (5000)
  --window S             budget: seconds measured (90)
  --tenants N            nightly: tenants (1000)
  --nightly-concurrency N nightly: settlements posted at once (4)
  --resync-tenants N     resync: tenants (100)
  --versions N           resync: versions per customer and article (100)
  --invoices N           invoice: invoices per scenario (300)
  --articles N           articles: articles loaded (1500)

Needs Kafka (KAFKA_BROKERS; scripts/bench.sh starts the local broker) and PostgreSQL
(BENCH_ADMIN_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres). Writes
bench/results/<date>.json and .md (<date>-quick.* for --quick).`;
