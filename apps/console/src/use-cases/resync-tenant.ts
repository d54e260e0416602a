import type { ResyncItem, ResyncSummary } from '@lib/pipeline';
import { TenantService } from '@lib/tenancy';
import { Caller } from '../action-log/action-log.repository';
import { ActionRecorder } from '../action-log/action-recorder';
import { notFound } from '../domain/console-errors';
import { FlowName, parseSince, resyncPlan } from '../domain/flow-topics';
import { FlowHost } from '../flows/flow-host';

export interface ResyncCommand {
  tenantId: string;
  /** Consumed topics (keys or names); default every one. */
  topics?: string[];
  /** ISO 8601 time: events from then on are replayed. */
  since: string;
  /** Report what would change without changing anything. */
  dryRun?: boolean;
}

export interface ResyncCounts {
  seen: number;
  changed: number;
  unchanged: number;
  failed: number;
}

export interface FlowResync extends ResyncCounts {
  flow: FlowName;
  topics: string[];
  runId: string;
  changes: ResyncItem[];
  failures: ResyncItem[];
  aborted: boolean;
}

export interface ResyncReport extends ResyncCounts {
  tenantId: string;
  mode: 'replay' | 'dry-run';
  since: string;
  startedAt: string;
  finishedAt: string;
  flows: FlowResync[];
}

export interface ResyncProgress extends ResyncCounts {
  flow: FlowName;
  /** 1-based position of the flow in the plan, and the plan's length. */
  step: number;
  steps: number;
  /** True once the flow's part is done (its counts are final). */
  finished: boolean;
}

/** Items listed per flow in a report; all are counted. */
const LISTED = 100;

/**
 * Replays a tenant's events from a point in time through each flow's own handlers (FlowRuntime.resync
 * of the flow app, hosted in this process): effects are idempotent and unchanged entities are
 * skipped, so a resync costs API calls only for what differs; a dry run shows that difference first.
 */
export class ResyncTenant {
  constructor(
    private readonly tenants: TenantService,
    private readonly flows: FlowHost,
    private readonly recorder: ActionRecorder,
    private readonly topicPrefix: string,
  ) {}

  /** Checks the command before anything runs (the HTTP API answers 400/404 before accepting a job). */
  async prepare(command: ResyncCommand): Promise<{ since: Date; plan: ReturnType<typeof resyncPlan> }> {
    const since = parseSince(command.since);
    const plan = resyncPlan(command.topics, this.topicPrefix);
    if (!(await this.tenants.get(command.tenantId))) throw notFound(`Tenant ${command.tenantId} is not onboarded`);
    return { since, plan };
  }

  async execute(
    caller: Caller,
    command: ResyncCommand,
    onProgress: (progress: ResyncProgress) => void = () => undefined,
    signal?: AbortSignal,
  ): Promise<ResyncReport> {
    const { since, plan } = await this.prepare(command);
    const mode = command.dryRun ? 'dry-run' : 'replay';
    return this.recorder.run(
      caller,
      {
        action: command.dryRun ? 'tenant.resync.dryRun' : 'tenant.resync',
        tenantId: command.tenantId,
        target: { since: since.toISOString(), topics: plan.flatMap((p) => p.topics) },
      },
      async () => {
        const startedAt = new Date().toISOString();
        const flows: FlowResync[] = [];
        for (const [index, step] of plan.entries()) {
          if (signal?.aborted) break;
          const summary: ResyncSummary = await this.flows.use(step.flow, (hosted) =>
            hosted.runtime.resync({
              tenantId: command.tenantId,
              topics: step.topics,
              since,
              dryRun: command.dryRun,
              signal,
              onProgress: (p) =>
                onProgress({ flow: step.flow, step: index + 1, steps: plan.length, finished: false, seen: p.seen, changed: p.changed, unchanged: p.unchanged, failed: p.failed }),
            }),
          );
          flows.push({
            flow: step.flow,
            topics: summary.topics,
            runId: summary.runId,
            seen: summary.seen,
            changed: summary.changed,
            unchanged: summary.unchanged,
            failed: summary.failed,
            changes: summary.changes.slice(0, LISTED),
            failures: summary.failures.slice(0, LISTED),
            aborted: summary.aborted,
          });
          onProgress({ flow: step.flow, step: index + 1, steps: plan.length, finished: true, ...countsOf([flows[flows.length - 1]]) });
        }
        return {
          tenantId: command.tenantId,
          mode,
          since: since.toISOString(),
          startedAt,
          finishedAt: new Date().toISOString(),
          ...countsOf(flows),
          flows,
        };
      },
      (report) => ({ mode: report.mode, seen: report.seen, changed: report.changed, unchanged: report.unchanged, failed: report.failed }),
    );
  }
}

function countsOf(flows: readonly ResyncCounts[]): ResyncCounts {
  return flows.reduce<ResyncCounts>(
    (sum, f) => ({ seen: sum.seen + f.seen, changed: sum.changed + f.changed, unchanged: sum.unchanged + f.unchanged, failed: sum.failed + f.failed }),
    { seen: 0, changed: 0, unchanged: 0, failed: 0 },
  );
}
