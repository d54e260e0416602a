/**
 * One "app process" for the multi-process budget test: hammers PowerOffice (the emulator) through
 * the shared PgApiBudget with a few concurrent callers in one lane, then prints a JSON summary on
 * stdout. Run from dist/ (`node scripts/build.mjs` first):
 *   node dist/libs/poweroffice/test-support/budget-worker.js '<json WorkerOptions>'
 */
import { DataSource } from 'typeorm';
import { isIntegrationError } from '@lib/contracts';
import { InMemoryCallRecorder, isLane, Lane, PgApiBudget, PowerOfficeClientFactory } from '../src';

export interface WorkerOptions {
  databaseUrl: string;
  baseUrl: string;
  applicationKey: string;
  subscriptionKey: string;
  rateLimit: number;
  tenantId: string;
  clientKey: string;
  lane: Lane;
  concurrency: number;
  /** Epoch ms: all workers start together. */
  startAt: number;
  durationMs: number;
}

export interface WorkerReport {
  tenantId: string;
  lane: Lane;
  requests: number;
  statuses: Record<string, number>;
  errors: Record<string, number>;
  maxBudgetWaitMs: number;
}

async function main(): Promise<void> {
  const opts = JSON.parse(process.argv[2] ?? '{}') as WorkerOptions;
  if (!isLane(opts.lane)) throw new Error(`bad lane ${String(opts.lane)}`);
  const db = new DataSource({
    type: 'postgres',
    url: opts.databaseUrl,
    extra: { max: 4, application_name: `budget-worker-${opts.lane}` },
  });
  await db.initialize();
  const recorder = new InMemoryCallRecorder();
  const factory = new PowerOfficeClientFactory(
    {
      baseUrl: opts.baseUrl,
      applicationKey: opts.applicationKey,
      subscriptionKey: opts.subscriptionKey,
      rateLimit: opts.rateLimit,
      timeoutMs: 10_000,
    },
    new PgApiBudget(db, { subscriptionKey: opts.subscriptionKey, rateLimit: opts.rateLimit }),
    recorder,
  );
  const client = factory.forTenant({ tenantId: opts.tenantId, clientKey: opts.clientKey, lane: opts.lane });

  await new Promise((r) => setTimeout(r, Math.max(0, opts.startAt - Date.now())));
  const deadline = opts.startAt + opts.durationMs;
  const errors: Record<string, number> = {};
  const caller = async () => {
    while (Date.now() < deadline) {
      try {
        await client.lockDate.get();
      } catch (err) {
        const key = isIntegrationError(err) ? err.code : (err as Error).name;
        errors[key] = (errors[key] ?? 0) + 1;
      }
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency }, caller));

  const statuses: Record<string, number> = {};
  for (const c of recorder.calls) statuses[String(c.status)] = (statuses[String(c.status)] ?? 0) + 1;
  const report: WorkerReport = {
    tenantId: opts.tenantId,
    lane: opts.lane,
    requests: recorder.calls.length,
    statuses,
    errors,
    maxBudgetWaitMs: Math.max(0, ...recorder.calls.map((c) => c.budgetWaitMs)),
  };
  console.log(JSON.stringify(report));
  await db.destroy();
}

main().catch((err) => {
  console.error(`budget-worker failed: ${(err as Error).message}`);
  process.exit(1);
});
