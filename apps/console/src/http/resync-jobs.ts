import { randomUUID } from 'node:crypto';
import type { Caller } from '../action-log/action-log.repository';
import { ResyncCommand, ResyncProgress, ResyncReport, ResyncTenant } from '../use-cases/resync-tenant';
import { errorResponse, ErrorBody } from './error-response';

export interface ResyncJob {
  jobId: string;
  tenantId: string;
  state: 'running' | 'finished' | 'failed';
  startedAt: string;
  startedBy: string;
  progress: ResyncProgress | null;
  report: ResyncReport | null;
  error: ErrorBody | null;
}

const KEPT_JOBS = 100;

/**
 * Resyncs started over HTTP run in the background (a large tenant takes longer than an HTTP request
 * may stay open); the operator follows one by its job id. Kept in memory, the last 100: the result
 * of every run is also in the action log.
 */
export class ResyncJobs {
  private readonly jobs = new Map<string, ResyncJob>();
  private readonly running = new Set<Promise<unknown>>();
  private readonly abort = new AbortController();

  constructor(private readonly resync: ResyncTenant) {}

  /** Checks the command (400/404 before accepting), then starts it. */
  async start(caller: Caller, command: ResyncCommand): Promise<ResyncJob> {
    await this.resync.prepare(command);
    const job: ResyncJob = {
      jobId: randomUUID(),
      tenantId: command.tenantId,
      state: 'running',
      startedAt: new Date().toISOString(),
      startedBy: caller.actor,
      progress: null,
      report: null,
      error: null,
    };
    this.keep(job);
    const run = this.resync
      .execute(caller, command, (p) => (job.progress = p), this.abort.signal)
      .then(
        (report) => {
          job.report = report;
          job.state = 'finished';
        },
        (err: unknown) => {
          job.state = 'failed';
          job.error = errorResponse(err) ?? { statusCode: 500, error: 'Internal Server Error', message: (err as Error)?.message ?? String(err) };
        },
      )
      .finally(() => this.running.delete(run));
    this.running.add(run);
    return job;
  }

  get(tenantId: string, jobId: string): ResyncJob | undefined {
    const job = this.jobs.get(jobId);
    return job && job.tenantId === tenantId ? job : undefined;
  }

  /** On shutdown: stop the running resyncs where they are (each reports `aborted`). */
  async stop(): Promise<void> {
    this.abort.abort();
    await Promise.allSettled([...this.running]);
  }

  private keep(job: ResyncJob): void {
    this.jobs.set(job.jobId, job);
    while (this.jobs.size > KEPT_JOBS) this.jobs.delete(this.jobs.keys().next().value!);
  }
}
