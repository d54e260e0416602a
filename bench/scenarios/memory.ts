import type { BenchReport } from '../suite/report';
import type { MemoryPeak } from '../suite/rss';
import type { ScenarioResult } from '../suite/scenario';

/**
 * Peak memory of every process the throughput and resync benchmarks ran, sampled every 200 ms
 * while they worked (no run of its own: it reads what those two recorded).
 */
export function memory(reports: readonly BenchReport[]): ScenarioResult {
  const peaks = reports.flatMap((r) =>
    ((r.data.memory as MemoryPeak[] | undefined) ?? []).map((m) => ({ ...m, bench: r.name })),
  );
  if (peaks.length === 0) throw new Error('neither throughput nor resync recorded process memory in this run');
  const highest = peaks.reduce((a, b) => (b.peakRssMiB > a.peakRssMiB ? b : a));
  return {
    settings: { sampledEveryMs: 200, source: '/proc/<pid>/status VmRSS (peak of the samples) and VmHWM' },
    headline: {
      label: 'highest peak RSS of an app process',
      value: `${highest.peakRssMiB} MiB (${highest.process}, ${highest.during})`,
    },
    figures: [],
    tables: [
      {
        title: 'Peak resident memory per process',
        columns: ['process', 'during', 'peak RSS (samples)', 'VmHWM', 'samples'],
        rows: peaks.map((m) => [
          m.process,
          m.during,
          `${m.peakRssMiB} MiB`,
          m.highWaterMiB === null ? null : `${m.highWaterMiB} MiB`,
          m.samples,
        ]),
      },
    ],
    checks: [],
    data: { peaks },
  };
}
