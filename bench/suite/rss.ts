import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';

/** Peak memory of one process over a benchmark phase. */
export interface MemoryPeak {
  process: string;
  /** What the process was doing (e.g. "throughput", "resync: replay"). */
  during: string;
  /** Highest resident set seen by sampling (MiB). */
  peakRssMiB: number;
  /** The kernel's own high-water mark (VmHWM, MiB) at the last sample: catches peaks between samples. */
  highWaterMiB: number | null;
  samples: number;
}

interface Tracked {
  pid: number;
  during: string;
  peakKb: number;
  hwmKb: number | null;
  samples: number;
}

/**
 * Samples the resident memory of processes every `intervalMs` (200 ms) from /proc/<pid>/status
 * (VmRSS, VmHWM), or `ps` where there is no /proc. A process that has exited keeps what was seen.
 */
export class RssSampler {
  private readonly tracked = new Map<string, Tracked>();
  private timer?: NodeJS.Timeout;
  private sampling = false;

  constructor(private readonly intervalMs = 200) {}

  track(name: string, pid: number | undefined, during: string): void {
    if (pid === undefined) return;
    this.tracked.set(name, { pid, during, peakKb: 0, hwmKb: null, samples: 0 });
    this.timer ??= setInterval(() => void this.sampleAll(), this.intervalMs);
  }

  /** Takes a last sample of `name` (before it is stopped) and stops tracking it. */
  async finish(name: string): Promise<MemoryPeak | undefined> {
    const t = this.tracked.get(name);
    if (!t) return undefined;
    await this.sample(t);
    this.tracked.delete(name);
    if (this.tracked.size === 0) this.stop();
    return peakOf(name, t);
  }

  async finishAll(): Promise<MemoryPeak[]> {
    const out: MemoryPeak[] = [];
    for (const name of [...this.tracked.keys()]) {
      const peak = await this.finish(name);
      if (peak) out.push(peak);
    }
    return out;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private async sampleAll(): Promise<void> {
    if (this.sampling) return;
    this.sampling = true;
    try {
      await Promise.all([...this.tracked.values()].map((t) => this.sample(t)));
    } finally {
      this.sampling = false;
    }
  }

  private async sample(t: Tracked): Promise<void> {
    const m = await readMemory(t.pid);
    if (!m) return;
    t.samples++;
    t.peakKb = Math.max(t.peakKb, m.rssKb);
    if (m.hwmKb !== null) t.hwmKb = Math.max(t.hwmKb ?? 0, m.hwmKb);
  }
}

function peakOf(name: string, t: Tracked): MemoryPeak {
  const mib = (kb: number) => Math.round((kb / 1024) * 10) / 10;
  return {
    process: name,
    during: t.during,
    peakRssMiB: mib(t.peakKb),
    highWaterMiB: t.hwmKb === null ? null : mib(t.hwmKb),
    samples: t.samples,
  };
}

async function readMemory(pid: number): Promise<{ rssKb: number; hwmKb: number | null } | undefined> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const field = (name: string) => {
      const m = new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status);
      return m ? Number(m[1]) : null;
    };
    const rssKb = field('VmRSS');
    return rssKb === null ? undefined : { rssKb, hwmKb: field('VmHWM') };
  } catch {
    return readWithPs(pid);
  }
}

function readWithPs(pid: number): Promise<{ rssKb: number; hwmKb: null } | undefined> {
  return new Promise((resolve) => {
    execFile('ps', ['-o', 'rss=', '-p', String(pid)], (err, stdout) => {
      const kb = Number(stdout.trim());
      resolve(err || !Number.isFinite(kb) || kb <= 0 ? undefined : { rssKb: kb, hwmKb: null });
    });
  });
}
