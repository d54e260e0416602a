import {
  BenchReport,
  DOCS_END,
  DOCS_START,
  embedInDocs,
  formatCell,
  MachineInfo,
  mergeResults,
  renderMarkdown,
  statusOf,
} from './report';

const machine: MachineInfo = {
  cores: 2,
  cpuModel: 'Test CPU',
  memoryGiB: 23.5,
  platform: 'linux 6.1',
  node: 'v20.20.2',
  postgres: '15.20',
  kafka: '4.1.0',
  kafkaBrokers: '127.0.0.1:9092',
  gitCommit: '0123456789abcdef0123',
  gitUncommittedFiles: 3,
};

function report(name: BenchReport['name'], value: number, overrides: Partial<BenchReport> = {}): BenchReport {
  return {
    name,
    title: `Title of ${name}`,
    status: 'ok',
    profile: 'full',
    commit: machine.gitCommit,
    startedAt: '2026-11-28T02:00:00.000Z',
    seconds: 61.4,
    settings: { events: 5000 },
    headline: { label: 'events/s', value, unit: 'events/s' },
    figures: [{ label: 'rate | peak', value, note: 'a note' }],
    tables: [{ title: 'Per app', columns: ['app', 'events/s'], rows: [['customer-sync', 212.5]] }],
    checks: [{ what: 'every event answered', ok: true }],
    data: {},
    ...overrides,
  };
}

describe('bench results', () => {
  it('keeps the other benchmarks of the day and replaces the one run again', () => {
    const morning = mergeResults(undefined, {
      date: '2026-11-28',
      profile: 'full',
      machine,
      reports: [report('resync', 1), report('throughput', 2)],
    });
    const again = mergeResults(morning, {
      date: '2026-11-28',
      profile: 'full',
      machine,
      reports: [report('resync', 3)],
    });
    expect(Object.keys(again.benchmarks)).toEqual(['throughput', 'resync']);
    expect(again.benchmarks.resync?.headline.value).toBe(3);
    expect(again.benchmarks.throughput?.headline.value).toBe(2);
  });

  it('starts afresh on another day', () => {
    const yesterday = mergeResults(undefined, {
      date: '2026-11-27',
      profile: 'full',
      machine,
      reports: [report('budget', 1)],
    });
    const today = mergeResults(yesterday, {
      date: '2026-11-28',
      profile: 'full',
      machine,
      reports: [report('nightly', 2)],
    });
    expect(Object.keys(today.benchmarks)).toEqual(['nightly']);
  });

  it.each([
    { checks: [], expected: 'ok' },
    { checks: [{ what: 'a', ok: true }], expected: 'ok' },
    {
      checks: [
        { what: 'a', ok: true },
        { what: 'b', ok: false },
      ],
      expected: 'checks-failed',
    },
  ])('status of $checks.length checks is $expected', ({ checks, expected }) => {
    expect(statusOf(checks)).toBe(expected);
  });

  it.each([
    { value: 200000, unit: undefined, expected: '200 000' },
    { value: 1234.5, unit: 'events/s', expected: '1 234.5 events/s' },
    { value: null, unit: 'MiB', expected: '–' },
    { value: Number.NaN, unit: undefined, expected: '–' },
    { value: 'n/a', unit: undefined, expected: 'n/a' },
  ])('formats $value as "$expected"', ({ value, unit, expected }) => {
    expect(formatCell(value, unit)).toBe(expected);
  });

  it('renders a summary row per benchmark, then each one’s figures, tables and failed checks', () => {
    const results = mergeResults(undefined, {
      date: '2026-11-28',
      profile: 'full',
      machine,
      reports: [
        report('throughput', 212.5),
        report('budget', 9.5, { status: 'checks-failed', checks: [{ what: 'no 429s', ok: false, detail: '3 seen' }] }),
      ],
    });
    const md = renderMarkdown(results);
    expect(md).toContain('# Benchmark results 2026-11-28');
    expect(md).toContain('2 cores (Test CPU), 23.5 GiB RAM');
    expect(md).toContain('commit 0123456789ab + 3 uncommitted files');
    expect(md).toContain('| Title of throughput | events/s | 212.5 events/s | ok | 2026-11-28 02:00 UTC, 61 s |');
    expect(md).toContain('| Title of budget | events/s | 9.5 events/s | CHECKS FAILED |');
    expect(md).toContain('| rate \\| peak | 212.5 | a note |');
    expect(md).toContain('| customer-sync | 212.5 |');
    expect(md).toContain('- **FAILED**: no 429s (3 seen)');
    expect(md).not.toMatch(/\n\n\n/);
    expect(renderMarkdown(results, { headingLevel: 3 })).toContain('### Benchmark results');
  });

  it('replaces only the block between the markers of docs/benchmarks.md', () => {
    const doc = `intro\n${DOCS_START}\nold table\n${DOCS_END}\noutro\n`;
    expect(embedInDocs(doc, 'new table\n')).toBe(`intro\n${DOCS_START}\nnew table\n${DOCS_END}\noutro\n`);
    expect(embedInDocs('no markers', 'x')).toBe('no markers');
  });
});
