import { fork, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { encodeEnvelope } from '@lib/contracts';
import type { CrashChildConfig, CrashPoint } from './testing/crash-child';
import { PipelineTestBed } from './testing/test-bed';

const root = path.resolve(__dirname, '../../..');
const childScript = path.join(root, 'dist/libs/pipeline/src/testing/crash-child.js');
const childSource = path.join(__dirname, 'testing/crash-child.ts');

/** Runs the crash child until it kills itself; resolves with how it ended and what it printed. */
function runCrashChild(
  config: CrashChildConfig,
): Promise<{ signal: NodeJS.Signals | null; code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = fork(childScript, [], {
      env: { ...process.env, PIPELINE_CRASH_CHILD: JSON.stringify(config) },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    let output = '';
    child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    const timer = setTimeout(() => child.kill('SIGTERM'), 90_000);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, output });
    });
  });
}

describe('crash recovery: a process killed at any step, then restarted', () => {
  beforeAll(() => {
    // The child runs compiled code (dist/), like the apps do.
    const built = spawnSync(process.execPath, [path.join(root, 'scripts/build.mjs')], {
      cwd: root,
      encoding: 'utf8',
      timeout: 300_000,
    });
    if (!existsSync(childScript) || statSync(childScript).mtimeMs < statSync(childSource).mtimeMs) {
      throw new Error(`could not build the crash child: ${built.stderr}`);
    }
  });

  it.each<[CrashPoint, boolean]>([
    ['before-external', false],
    ['after-external', true],
    ['after-commit', true],
  ])(
    'killed %s: one external object and one outcome per event after the restart',
    async (point, createdBeforeCrash) => {
      const bed = await PipelineTestBed.create(`crash-${point}`);
      try {
        const t = bed.tenant('k');
        bed.tenants.add(t);
        const events = Array.from({ length: 9 }, (_, i) => bed.customerChanged(t, `c${i}`));
        // All on one partition, so the events after the crash point are still waiting when it dies.
        await bed.produceRaw(events.map((e) => ({ ...encodeEnvelope(e), partition: 1 })));

        const crashed = await runCrashChild({
          brokers: bed.settings.kafkaBrokers,
          databaseUrl: bed.settings.databaseUrl,
          topicPrefix: bed.prefix,
          groupId: bed.groupId(),
          tenants: [t],
          customerId: 'c4',
          point,
        });
        expect({ signal: crashed.signal, output: crashed.signal ? '' : crashed.output }).toEqual({
          signal: 'SIGKILL',
          output: '',
        });
        const atCrash = await bed.externalObjects(t);
        expect(atCrash.some((o) => o.reference.endsWith(':c4'))).toBe(createdBeforeCrash);
        expect(atCrash.some((o) => o.reference.endsWith(':c5'))).toBe(false);

        await bed.startFlow({ sessionTimeoutMs: 10_000 });
        await bed.settled();

        // One outcome per event. The dying process's relay may have been between publishing a batch
        // and marking it published; it is then published again with the same ce_id, which consumers
        // recognise (contracts: outcome ids derive from the cause). No event has two different outcomes.
        const outcomes = await bed.outcomes();
        const outcomeIdsByEvent = new Map<string, Set<string>>();
        for (const o of outcomes)
          outcomeIdsByEvent.set(
            o.causationId ?? '',
            (outcomeIdsByEvent.get(o.causationId ?? '') ?? new Set()).add(o.id),
          );
        expect([...outcomeIdsByEvent.keys()].sort()).toEqual(events.map((e) => e.id).sort());
        expect([...outcomeIdsByEvent.values()].every((ids) => ids.size === 1)).toBe(true);
        expect(outcomes.every((o) => o.type === 'CustomerSynced')).toBe(true);
        const objects = await bed.externalObjects(t);
        expect(objects.map((o) => o.reference).sort()).toEqual(
          events.map((e) => `open-one:${t}:customer:${e.data.customerId}`).sort(),
        );
        // The event the process died on reports what the restart found: created, or already there.
        const c4 = outcomes.find((o) => o.causationId === events[4].id);
        expect((c4?.data as { action: string }).action).toBe(
          point === 'before-external' ? 'created' : point === 'after-external' ? 'unchanged' : 'created',
        );
      } finally {
        await bed.close();
      }
    },
  );
});
