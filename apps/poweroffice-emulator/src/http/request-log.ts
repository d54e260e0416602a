import { createHash } from 'node:crypto';

/** One API call as the request log shows it. Client keys are secrets: only a hash is kept. */
export interface LoggedRequest {
  seq: number;
  time: string;
  method: string;
  path: string;
  query: string;
  status: number;
  clientKeyHash: string | null;
  durationMs: number;
}

export interface Stats {
  since: string;
  total: number;
  byStatus: Record<string, number>;
  rateLimited: number;
  peakRequestsPerSecond: number;
}

/** Client key → short SHA-256, stable across runs so test logs can be correlated. */
const hashes = new Map<string, string>();
export function hashClientKey(clientKey: string): string {
  const k = clientKey.toLowerCase();
  let h = hashes.get(k);
  if (!h) {
    h = createHash('sha256').update(k).digest('hex').slice(0, 16);
    if (hashes.size > 100_000) hashes.clear();
    hashes.set(k, h);
  }
  return h;
}

/** A ring buffer of the last `capacity` calls plus running counters. */
export class RequestLog {
  private entries: (LoggedRequest | undefined)[];
  private seq = 0;
  private startedAt = Date.now();
  private total = 0;
  private byStatus: Record<string, number> = {};
  private currentSecond = 0;
  private currentCount = 0;
  private peak = 0;

  constructor(private readonly capacity = 10_000) {
    this.entries = new Array<LoggedRequest | undefined>(capacity);
  }

  record(entry: Omit<LoggedRequest, 'seq' | 'time'>, atMs: number): void {
    this.seq++;
    this.entries[this.seq % this.capacity] = { seq: this.seq, time: new Date(atMs).toISOString(), ...entry };
    this.total++;
    const key = String(entry.status);
    this.byStatus[key] = (this.byStatus[key] ?? 0) + 1;
    const second = Math.floor(atMs / 1000);
    if (second !== this.currentSecond) {
      this.currentSecond = second;
      this.currentCount = 0;
    }
    this.currentCount++;
    if (this.currentCount > this.peak) this.peak = this.currentCount;
  }

  /**
   * Calls after `since` (a sequence number or an ISO time), oldest first, optionally for one client.
   */
  query(since: string | undefined, clientKey: string | undefined): LoggedRequest[] {
    const hash = clientKey ? hashClientKey(clientKey) : undefined;
    let afterSeq = 0;
    let afterMs = Number.NEGATIVE_INFINITY;
    if (since !== undefined && since !== '') {
      if (/^\d+$/.test(since)) afterSeq = Number(since);
      else {
        const ms = Date.parse(since);
        if (!Number.isNaN(ms)) afterMs = ms;
      }
    }
    const out: LoggedRequest[] = [];
    const first = Math.max(1, this.seq - this.capacity + 1, afterSeq + 1);
    for (let s = first; s <= this.seq; s++) {
      const e = this.entries[s % this.capacity];
      if (!e || e.seq !== s) continue;
      if (hash !== undefined && e.clientKeyHash !== hash) continue;
      if (Date.parse(e.time) <= afterMs) continue;
      out.push(e);
    }
    return out;
  }

  stats(): Stats {
    return {
      since: new Date(this.startedAt).toISOString(),
      total: this.total,
      byStatus: { ...this.byStatus },
      rateLimited: this.byStatus['429'] ?? 0,
      peakRequestsPerSecond: this.peak,
    };
  }

  clear(): void {
    // The sequence keeps counting, so a `since` taken before a reset stays meaningful.
    this.entries = new Array<LoggedRequest | undefined>(this.capacity);
    this.startedAt = Date.now();
    this.total = 0;
    this.byStatus = {};
    this.currentSecond = 0;
    this.currentCount = 0;
    this.peak = 0;
  }
}
