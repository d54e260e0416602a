/**
 * What a benchmark hands back, how a day's results are kept (bench/results/<date>.json) and shown
 * (bench/results/<date>.md, and the table embedded in docs/benchmarks.md). Pure: no I/O here.
 */

export const BENCH_NAMES = ['throughput', 'budget', 'nightly', 'resync', 'invoice', 'articles', 'memory'] as const;
export type BenchName = (typeof BENCH_NAMES)[number];
export type Profile = 'full' | 'quick';

export function isBenchName(value: string): value is BenchName {
  return (BENCH_NAMES as readonly string[]).includes(value);
}

export type Cell = string | number | null;

export interface Figure {
  label: string;
  value: Cell;
  unit?: string;
  note?: string;
}

export interface Table {
  title: string;
  columns: string[];
  rows: Cell[][];
}

/** Something a run must get right whatever the speed (every outcome arrived, no 429, no writes). */
export interface Check {
  what: string;
  ok: boolean;
  detail?: string;
}

export interface BenchReport {
  name: BenchName;
  title: string;
  /** `error`: the benchmark could not finish; `checks-failed`: it finished but got something wrong. */
  status: 'ok' | 'checks-failed' | 'error';
  profile: Profile;
  commit: string;
  startedAt: string;
  seconds: number;
  settings: Record<string, unknown>;
  /** The one figure of the summary table. */
  headline: Figure;
  figures: Figure[];
  tables: Table[];
  checks: Check[];
  error?: string;
  /** Every number measured, for machines. */
  data: Record<string, unknown>;
}

export interface MachineInfo {
  cores: number;
  cpuModel: string;
  memoryGiB: number;
  platform: string;
  node: string;
  postgres: string | null;
  kafka: string | null;
  kafkaBrokers: string;
  gitCommit: string;
  /** Files changed against the commit when the run started. */
  gitUncommittedFiles: number;
}

export interface DailyResults {
  date: string;
  profile: Profile;
  /** The machine of the latest run that wrote to this file. */
  machine: MachineInfo;
  benchmarks: Partial<Record<BenchName, BenchReport>>;
}

/** The status a finished benchmark gets from its checks. */
export function statusOf(checks: readonly Check[]): BenchReport['status'] {
  return checks.every((c) => c.ok) ? 'ok' : 'checks-failed';
}

/**
 * Today's file with this run's reports in it. A report replaces the same benchmark's earlier one of
 * the day and leaves the others, so `npm run bench -- resync` does not wipe the morning's full run.
 */
export function mergeResults(
  existing: DailyResults | undefined,
  run: { date: string; profile: Profile; machine: MachineInfo; reports: readonly BenchReport[] },
): DailyResults {
  const benchmarks: Partial<Record<BenchName, BenchReport>> = {
    ...(existing?.date === run.date ? existing.benchmarks : {}),
  };
  for (const r of run.reports) benchmarks[r.name] = r;
  const ordered: Partial<Record<BenchName, BenchReport>> = {};
  for (const name of BENCH_NAMES) if (benchmarks[name]) ordered[name] = benchmarks[name];
  return { date: run.date, profile: run.profile, machine: run.machine, benchmarks: ordered };
}

export function formatCell(value: Cell, unit?: string): string {
  if (value === null || (typeof value === 'number' && !Number.isFinite(value))) return '–';
  const text = typeof value === 'number' ? formatNumber(value) : value;
  return unit ? `${text} ${unit}` : text;
}

function formatNumber(n: number): string {
  // Thin grouping makes 200 000 readable; decimals as measured (the reports round them).
  const [int, frac] = String(n).split('.');
  const grouped = int!.replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
  return frac ? `${grouped}.${frac}` : grouped;
}

function escape(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

export function markdownTable(columns: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.map(escape).join(' | ')} |`;
  return [line(columns), line(columns.map(() => '---')), ...rows.map(line)].join('\n');
}

export function describeMachine(m: MachineInfo): string {
  const parts = [
    `${m.cores} cores (${m.cpuModel})`,
    `${m.memoryGiB} GiB RAM`,
    m.platform,
    `Node ${m.node}`,
    m.postgres ? `PostgreSQL ${m.postgres}` : null,
    m.kafka ? `Kafka ${m.kafka}` : null,
    `commit ${m.gitCommit.slice(0, 12)}${m.gitUncommittedFiles > 0 ? ` + ${m.gitUncommittedFiles} uncommitted files` : ''}`,
  ];
  return parts.filter((p): p is string => p !== null).join(', ');
}

const STATUS_TEXT: Record<BenchReport['status'], string> = {
  ok: 'ok',
  'checks-failed': 'CHECKS FAILED',
  error: 'ERROR',
};

/** The day's results as markdown: one summary table, then each benchmark's figures, tables and checks. */
export function renderMarkdown(results: DailyResults, options: { headingLevel?: number } = {}): string {
  const h = (depth: number) => '#'.repeat((options.headingLevel ?? 1) + depth);
  const reports = BENCH_NAMES.map((n) => results.benchmarks[n]).filter((r): r is BenchReport => r !== undefined);
  const out: string[] = [];
  out.push(`${h(0)} Benchmark results ${results.date}${results.profile === 'quick' ? ' (quick smoke run)' : ''}`);
  out.push('');
  out.push(`Machine: ${describeMachine(results.machine)}.`);
  out.push('');
  out.push(
    markdownTable(
      ['Benchmark', 'Figure', 'Value', 'Status', 'Run'],
      reports.map((r) => [
        r.title,
        r.headline.label,
        formatCell(r.headline.value, r.headline.unit),
        STATUS_TEXT[r.status],
        `${r.startedAt.slice(0, 16).replace('T', ' ')} UTC, ${Math.round(r.seconds)} s`,
      ]),
    ),
  );
  for (const r of reports) {
    // Blocks of one benchmark, separated by one blank line each.
    const blocks: string[] = [`${h(1)} ${r.title}`];
    const settings = Object.entries(r.settings)
      .map(([k, v]) => `${k} ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
      .join(', ');
    if (settings) blocks.push(`Settings: ${settings}.`);
    if (r.error) blocks.push(`**Error:** ${escape(r.error)}`);
    if (r.figures.length > 0) {
      blocks.push(
        markdownTable(
          ['Figure', 'Value', 'Note'],
          r.figures.map((f) => [f.label, formatCell(f.value, f.unit), f.note ?? '']),
        ),
      );
    }
    for (const t of r.tables) {
      blocks.push(
        `${t.title}:`,
        markdownTable(
          t.columns,
          t.rows.map((row) => row.map((c) => formatCell(c))),
        ),
      );
    }
    if (r.checks.length > 0) {
      blocks.push(
        'Checks:',
        r.checks.map((c) => `- ${c.ok ? 'ok' : '**FAILED**'}: ${c.what}${c.detail ? ` (${c.detail})` : ''}`).join('\n'),
      );
    }
    out.push('', blocks.join('\n\n'));
  }
  return out.join('\n') + '\n';
}

export const DOCS_START = '<!-- bench-results:start -->';
export const DOCS_END = '<!-- bench-results:end -->';

/** docs/benchmarks.md with the block between the markers replaced by `table`; unchanged without markers. */
export function embedInDocs(doc: string, table: string): string {
  const start = doc.indexOf(DOCS_START);
  const end = doc.indexOf(DOCS_END);
  if (start < 0 || end < start) return doc;
  return `${doc.slice(0, start + DOCS_START.length)}\n${table.trimEnd()}\n${doc.slice(end)}`;
}
