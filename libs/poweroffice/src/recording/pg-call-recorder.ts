import { SqlQueryable } from '../db';
import { ApiCallRecord, CallRecorder } from './call-recorder';

export interface PgCallRecorderOptions {
  /** Write at least this often (default 250 ms)… */
  flushIntervalMs?: number;
  /** …or as soon as this many calls wait (default 100). */
  batchSize?: number;
  /** Calls kept while the database is away; the oldest are dropped beyond it (default 10 000). */
  maxBuffered?: number;
  /** Where write failures are reported (default console.warn). Never given a secret. */
  onError?: (message: string) => void;
}

const COLUMNS = [
  'at',
  'tenant_id',
  'lane',
  'method',
  'path_template',
  'path',
  'status',
  'duration_ms',
  'budget_wait_ms',
  'attempt',
  'error_title',
  'error_detail',
] as const;

/**
 * Records calls in `poweroffice.api_calls`, batched: `record` only appends to a buffer, a timer
 * writes the buffer as one multi-row INSERT. A slow or absent database therefore never slows a
 * PowerOffice call; at worst, calls beyond `maxBuffered` are dropped (and counted).
 */
export class PgCallRecorder implements CallRecorder {
  private buffer: ApiCallRecord[] = [];
  private timer?: NodeJS.Timeout;
  private flushing?: Promise<void>;
  private closed = false;
  /** Calls lost because the buffer was full; reported with the next write error. */
  dropped = 0;
  private readonly flushIntervalMs: number;
  private readonly batchSize: number;
  private readonly maxBuffered: number;
  private readonly onError: (message: string) => void;

  constructor(
    private readonly db: SqlQueryable,
    options: PgCallRecorderOptions = {},
  ) {
    this.flushIntervalMs = options.flushIntervalMs ?? 250;
    this.batchSize = options.batchSize ?? 100;
    this.maxBuffered = options.maxBuffered ?? 10_000;
    this.onError = options.onError ?? ((m) => console.warn(m));
  }

  record(call: ApiCallRecord): void {
    if (this.closed) return;
    this.buffer.push(call);
    if (this.buffer.length > this.maxBuffered) {
      this.buffer.shift();
      this.dropped++;
    }
    if (this.buffer.length >= this.batchSize) void this.flush();
    else this.schedule();
  }

  /** Writes what is buffered now; resolves when it is written (or failed and was reported). */
  async flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    // One write at a time keeps the rows in order and the pool free for real work.
    while (this.flushing) await this.flushing;
    if (this.buffer.length === 0) return;
    const batch = this.buffer.splice(0, this.batchSize);
    this.flushing = this.write(batch).finally(() => {
      this.flushing = undefined;
    });
    await this.flushing;
    if (this.buffer.length > 0) {
      if (this.buffer.length >= this.batchSize || this.closed) await this.flush();
      else this.schedule();
    }
  }

  /** Flushes and stops accepting calls (application shutdown). */
  async close(): Promise<void> {
    this.closed = true;
    await this.flush();
  }

  /** Deletes calls older than `before` (retention); returns how many. */
  async prune(before: Date): Promise<number> {
    const res = (await this.db.query(
      'WITH d AS (DELETE FROM poweroffice.api_calls WHERE at < $1 RETURNING 1) SELECT count(*)::int AS n FROM d',
      [before],
    )) as Array<{ n: number }>;
    return res[0]?.n ?? 0;
  }

  private schedule(): void {
    if (this.timer || this.closed) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, this.flushIntervalMs);
    // A pending write must not keep a finished process alive; close() flushes on shutdown.
    this.timer.unref();
  }

  private async write(batch: ApiCallRecord[]): Promise<void> {
    const params: unknown[] = [];
    const rows = batch.map((c) => {
      const values = [
        c.at,
        c.tenantId,
        c.lane,
        c.method,
        c.pathTemplate,
        c.path,
        c.status,
        Math.round(c.durationMs),
        Math.round(c.budgetWaitMs),
        c.attempt,
        c.errorTitle ?? null,
        c.errorDetail ?? null,
      ];
      const placeholders = values.map((v) => {
        params.push(v);
        return `$${params.length}`;
      });
      return `(${placeholders.join(', ')})`;
    });
    try {
      await this.db.query(
        `INSERT INTO poweroffice.api_calls (${COLUMNS.join(', ')}) VALUES ${rows.join(', ')}`,
        params,
      );
    } catch (err) {
      this.onError(
        `Could not record ${batch.length} PowerOffice call(s) in poweroffice.api_calls (${(err as Error).message})` +
          (this.dropped ? `; ${this.dropped} more dropped while the buffer was full` : ''),
      );
    }
  }
}
