import type { FaultSettings as EmulatorFaults, Stats } from '../../../apps/poweroffice-emulator/src/bootstrap';
import type { Restartable } from '../../../tools/infra-control';
import { Rng } from './settings';
import type { FaultWorld, FlowApp } from './world';

/** What the report says about one fault: how often it was planned and actually injected, and how it went. */
export interface FaultRow {
  fault: string;
  planned: number;
  injected: number;
  notes: string[];
}

/** The faults of a run, in the order they were first planned (the report's row order). */
export class FaultLog {
  private readonly rows = new Map<string, FaultRow>();
  private readonly pending: Promise<unknown>[] = [];

  /** Evidence gathered after a fault is over (e.g. answers that arrive late); `settled` waits for it. */
  later(work: Promise<unknown>): void {
    this.pending.push(work.catch((err: Error) => console.error(`fault evidence: ${err.message}`)));
  }

  async settled(): Promise<void> {
    await Promise.all(this.pending);
  }

  private row(fault: string): FaultRow {
    let row = this.rows.get(fault);
    if (!row) {
      row = { fault, planned: 0, injected: 0, notes: [] };
      this.rows.set(fault, row);
    }
    return row;
  }

  plan(fault: string, times = 1): void {
    this.row(fault).planned += times;
  }

  injected(fault: string, note?: string): void {
    const row = this.row(fault);
    row.injected++;
    if (note && !row.notes.includes(note)) row.notes.push(note);
  }

  note(fault: string, note: string): void {
    const row = this.row(fault);
    if (!row.notes.includes(note)) row.notes.push(note);
  }

  all(): FaultRow[] {
    return [...this.rows.values()];
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * `kill -9` of one app at random moments, `rounds` times, each followed by a restart (a supervisor
 * bringing it back). The restart is awaited until the app is healthy again, i.e. back in its group.
 */
export async function killRounds(
  world: FaultWorld,
  app: FlowApp,
  rounds: number,
  rng: Rng,
  log: FaultLog,
  first: { fromMs: number; toMs: number },
): Promise<void> {
  const fault = `kill -9 of ${app}`;
  log.plan(fault, rounds);
  for (let i = 0; i < rounds; i++) {
    // The first crash somewhere in the load window, later ones soon after the app is back at work.
    await sleep(i === 0 ? rng.int(first.fromMs, first.toMs) : rng.int(500, 6000));
    if (!world.stack.isRunning(app)) continue;
    world.stack.kill9(app);
    log.injected(fault);
    await sleep(rng.int(300, 2500));
    const t0 = Date.now();
    const failedStarts = await superviseRestart(world, app);
    log.note(
      fault,
      `round ${i + 1}: healthy again ${Math.round((Date.now() - t0) / 1000)} s after the restart` +
        (failedStarts > 0 ? ` (${failedStarts} start(s) refused while infrastructure was down, restarted again)` : ''),
    );
  }
}

/**
 * Restarts a crashed app the way a supervisor does: an app refuses to start while the broker or
 * PostgreSQL is away (it says so and exits), so it is started again until it is healthy.
 * Returns how many starts failed.
 */
export async function superviseRestart(world: FaultWorld, app: string, maxAttempts = 15): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    try {
      await world.stack.restart(app);
      return attempt - 1;
    } catch (err) {
      if (attempt >= maxAttempts) throw err;
      await sleep(2000);
    }
  }
}

/** A second instance of `app` joins its consumer group while it is busy, works for `holdMs`, then leaves. */
export async function rebalance(world: FaultWorld, app: FlowApp, holdMs: number, log: FaultLog): Promise<void> {
  const fault = 'consumer-group rebalance (second instance joins, then leaves)';
  log.plan(fault);
  const name = `${app}-2`;
  await world.startApp(app, name);
  log.injected(fault, `${app}: a second instance joined mid-load and left ${Math.round(holdMs / 1000)} s later`);
  await sleep(holdMs);
  await world.stack.stop(name);
}

function statusCount(stats: Stats, status: string): number {
  return stats.byStatus[status] ?? 0;
}

/** A window of PowerOffice misbehaving (emulator faults), with how many answers it actually spoiled. */
export async function powerOfficeWindow(
  world: FaultWorld,
  fault: string,
  faults: EmulatorFaults,
  durationMs: number,
  statuses: string[],
  log: FaultLog,
): Promise<void> {
  log.plan(fault);
  const before = await world.emulator.stats();
  await world.emulator.setFaults(faults);
  log.injected(fault);
  await sleep(durationMs);
  await world.emulator.clearFaults();
  const after = await world.emulator.stats();
  const spoiled = statuses.map((s) => `, ${statusCount(after, s) - statusCount(before, s)} of them HTTP ${s}`).join('');
  log.note(
    fault,
    `${Math.round(durationMs / 1000)} s of ${JSON.stringify(faults)}: ${after.total - before.total} calls${spoiled}`,
  );
}

/**
 * PowerOffice does the work but answers only after the client's timeout: the app cannot know
 * whether its create happened, and must look it up before creating again. Reports how many writes
 * PowerOffice carried out whose answer no app saw (the dangerous case for duplicates).
 */
export async function lateAnswersWindow(
  world: FaultWorld,
  fault: string,
  timeoutMs: number,
  durationMs: number,
  log: FaultLog,
): Promise<void> {
  log.plan(fault);
  const since = new Date().toISOString();
  const latencyMs = timeoutMs + 1500;
  await world.emulator.setFaults({ latencyMs });
  log.injected(fault);
  await sleep(durationMs);
  await world.emulator.clearFaults();
  // The last slow calls finish up to `latencyMs` later; counted then, while the next fault goes on.
  log.later(
    sleep(latencyMs + 500).then(async () => {
      const late = (await world.emulator.requests({ since })).filter((r) => r.durationMs >= timeoutMs);
      const writes = late.filter((r) => r.method !== 'GET' && r.status < 300 && !/oauth/i.test(r.path));
      const paths = [
        ...new Set(writes.map((r) => `${r.method} ${r.path.replace(/\/[0-9a-f-]{6,}$/i, '/{id}')}`)),
      ].sort();
      log.note(
        fault,
        `${Math.round(durationMs / 1000)} s of ${latencyMs} ms latency: ${late.length} calls answered after the timeout, ` +
          `${writes.length} of them writes PowerOffice carried out unseen${paths.length ? ` (${paths.join(', ')})` : ''}`,
      );
    }),
  );
}

/** A restart of the broker or PostgreSQL, when the rule allows it; otherwise recorded as not injected, with why. */
export async function restartInfrastructure(
  control: Restartable,
  fault: string,
  log: FaultLog,
  pauseMs: number,
): Promise<void> {
  log.plan(fault);
  if (!control.verdict.restartable) {
    log.note(fault, `NOT INJECTED: ${control.verdict.reason}`);
    return;
  }
  const t0 = Date.now();
  const { downMs, upMs } = await control.restart(pauseMs);
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  log.injected(
    fault,
    `${control.description}: stopping took ${s(downMs)}, kept down ${s(pauseMs)}, starting took ${s(upMs)} (unavailable ≈ ${s(Date.now() - t0)})`,
  );
}
