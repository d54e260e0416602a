import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort, ROOT } from './stack';

/**
 * Restarts of the infrastructure itself (the Kafka broker, PostgreSQL) for the fault suite, with the
 * rule that decides when a restart is allowed: only infrastructure the project's own tooling started.
 * A broker somebody else runs (testcontainers, a shared cluster) or a remote database is never
 * touched; the caller records that fault as not injected, with the reason given here.
 *
 * On a machine shared with other engineers, `startPrivateBroker` / `startPrivatePostgres` give the
 * suite infrastructure of its own (own ports, own data directories), so restarting it disturbs nobody.
 */

const run = promisify(execFile);
const pause = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export type RestartVerdict = { restartable: true } | { restartable: false; reason: string };

export interface Restartable {
  /** What it is, for the report ("broker 127.0.0.1:9092 started by infra/kafka/kafka.sh"). */
  readonly description: string;
  readonly verdict: RestartVerdict;
  /**
   * Stops it, keeps it down for `pauseMs` (a restart in production is not instant), starts it again
   * and resolves once it answers. `downMs`: stopping took; `upMs`: starting took. Throws when not restartable.
   */
  restart(pauseMs?: number): Promise<{ downMs: number; upMs: number }>;
  /** Stops what the suite started itself (a private instance); a no-op for shared infrastructure. */
  dispose(): Promise<void>;
}

const KAFKA_SCRIPT = path.join(ROOT, 'infra/kafka/kafka.sh');
const defaultKafkaStateDir = (): string =>
  process.env.KAFKA_STATE_DIR ??
  path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'open-one-poweroffice/kafka');

async function kafkaScript(command: 'up' | 'down', env: Record<string, string>): Promise<string> {
  const { stdout } = await run('bash', [KAFKA_SCRIPT, command], {
    env: { ...process.env, ...env },
    timeout: 180_000,
    maxBuffer: 10 * 1024 * 1024,
  });
  return stdout;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A single local broker address (`127.0.0.1:9092`), or undefined for anything else. */
function localBrokerPort(brokers: string): number | undefined {
  const list = brokers
    .split(',')
    .map((b) => b.trim())
    .filter(Boolean);
  if (list.length !== 1) return undefined;
  const m = /^(127\.0\.0\.1|localhost):(\d+)$/.exec(list[0]!);
  return m ? Number(m[2]) : undefined;
}

/**
 * The broker of KAFKA_BROKERS, restartable only when infra/kafka/kafka.sh started it: a single local
 * broker whose pid file (written by the script) names a live process.
 */
export function sharedBroker(brokers: string): Restartable {
  const port = localBrokerPort(brokers);
  const stateDir = defaultKafkaStateDir();
  let verdict: RestartVerdict;
  if (port === undefined) {
    verdict = { restartable: false, reason: `KAFKA_BROKERS=${brokers} is not one local broker` };
  } else {
    const pidFile = path.join(stateDir, `broker-${port}.pid`);
    const pid = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').trim()) : NaN;
    verdict =
      Number.isInteger(pid) && isAlive(pid)
        ? { restartable: true }
        : {
            restartable: false,
            reason: `the broker on port ${port} was not started by infra/kafka/kafka.sh (no live ${pidFile})`,
          };
  }
  return brokerControl(
    verdict.restartable ? `broker ${brokers} (started by infra/kafka/kafka.sh)` : `broker ${brokers}`,
    verdict,
    { KAFKA_PORT: String(port ?? 0), KAFKA_STATE_DIR: stateDir },
    false,
  );
}

/**
 * A broker of the suite's own, started by infra/kafka/kafka.sh on free ports with its own data
 * directory (the jars are shared with the normal state directory, so nothing is downloaded).
 */
export async function startPrivateBroker(): Promise<{ brokers: string; control: Restartable }> {
  const shared = defaultKafkaStateDir();
  if (!existsSync(path.join(shared, 'libs/.complete'))) {
    throw new Error(`no Kafka jars in ${shared}/libs: run \`npm run infra:up\` once first`);
  }
  const state = mkdtempSync(path.join(os.tmpdir(), 'oop-faults-kafka-'));
  symlinkSync(path.join(shared, 'libs'), path.join(state, 'libs'));
  const env = {
    KAFKA_PORT: String(await freePort()),
    KAFKA_CONTROLLER_PORT: String(await freePort()),
    KAFKA_STATE_DIR: state,
  };
  const out = await kafkaScript('up', env);
  const line = out.split('\n').find((l) => l.startsWith('KAFKA_BROKERS='));
  if (!line) throw new Error(`the private broker did not start (log: ${state})`);
  return {
    brokers: line.slice('KAFKA_BROKERS='.length).trim(),
    control: brokerControl(`the suite's own broker on 127.0.0.1:${env.KAFKA_PORT}`, { restartable: true }, env, true),
  };
}

function brokerControl(
  description: string,
  verdict: RestartVerdict,
  env: Record<string, string>,
  owned: boolean,
): Restartable {
  return {
    description,
    verdict,
    async restart(pauseMs = 0) {
      if (!verdict.restartable) throw new Error(`${description} is not restartable: ${verdict.reason}`);
      const t0 = Date.now();
      await kafkaScript('down', env);
      const t1 = Date.now();
      await pause(pauseMs);
      const t2 = Date.now();
      await kafkaScript('up', env);
      return { downMs: t1 - t0, upMs: Date.now() - t2 };
    },
    async dispose() {
      if (!owned) return;
      await kafkaScript('down', env).catch(() => undefined);
      rmSync(env.KAFKA_STATE_DIR!, { recursive: true, force: true });
    },
  };
}

/** The newest installed PostgreSQL server binaries (Debian layout), or undefined. */
function postgresBinDir(): string | undefined {
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return undefined;
  const versions = readdirSync(base)
    .filter((v) => existsSync(path.join(base, v, 'bin/pg_ctl')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? path.join(base, versions[0], 'bin') : undefined;
}

const isRoot = (): boolean => typeof process.getuid === 'function' && process.getuid() === 0;

/**
 * The PostgreSQL of DATABASE_URL, restartable only when it is the local Debian cluster
 * (`pg_ctlcluster` present, we are root, the URL points at 127.0.0.1/localhost on the cluster's port).
 */
export function sharedPostgres(databaseUrl: string): Restartable {
  const url = new URL(databaseUrl);
  const port = Number(url.port || 5432);
  const local = url.hostname === '127.0.0.1' || url.hostname === 'localhost';
  const versions = existsSync('/etc/postgresql')
    ? readdirSync('/etc/postgresql').sort((a, b) => Number(b) - Number(a))
    : [];
  const cluster = versions.find((v) => {
    const conf = path.join('/etc/postgresql', v, 'main/postgresql.conf');
    if (!existsSync(conf)) return false;
    const m = /^\s*port\s*=\s*(\d+)/m.exec(readFileSync(conf, 'utf8'));
    return Number(m?.[1] ?? 5432) === port;
  });
  let verdict: RestartVerdict;
  if (!local) verdict = { restartable: false, reason: `DATABASE_URL points at ${url.hostname}, not the local cluster` };
  else if (!existsSync('/usr/bin/pg_ctlcluster'))
    verdict = { restartable: false, reason: 'pg_ctlcluster is not installed' };
  else if (!isRoot()) verdict = { restartable: false, reason: 'not running as root (pg_ctlcluster restart needs it)' };
  else if (!cluster) verdict = { restartable: false, reason: `no local cluster "main" listens on port ${port}` };
  else verdict = { restartable: true };
  const description = cluster
    ? `local PostgreSQL cluster ${cluster}/main on port ${port} (pg_ctlcluster)`
    : `PostgreSQL at ${url.hostname}:${port}`;
  return {
    description,
    verdict,
    async restart(pauseMs = 0) {
      if (!verdict.restartable) throw new Error(`${description} is not restartable: ${verdict.reason}`);
      const ctl = (action: string) =>
        run('pg_ctlcluster', ['--skip-systemctl-redirect', cluster!, 'main', action], { timeout: 120_000 });
      if (pauseMs <= 0) {
        const t0 = Date.now();
        await ctl('restart');
        return { downMs: 0, upMs: Date.now() - t0 };
      }
      const t0 = Date.now();
      await ctl('stop');
      const t1 = Date.now();
      await pause(pauseMs);
      const t2 = Date.now();
      await ctl('start');
      return { downMs: t1 - t0, upMs: Date.now() - t2 };
    },
    async dispose() {},
  };
}

/**
 * A PostgreSQL server of the suite's own (initdb into a temporary directory, a free port, trust
 * authentication on 127.0.0.1 only), so that restarting it disturbs no one else's database.
 * Returns the admin URL (database `postgres`).
 */
export async function startPrivatePostgres(): Promise<{ adminUrl: string; control: Restartable }> {
  const bin = postgresBinDir();
  if (!bin) throw new Error('no PostgreSQL server binaries under /usr/lib/postgresql');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'oop-faults-pg-'));
  const data = path.join(dir, 'data');
  mkdirSync(data);
  const port = await freePort();
  // initdb refuses to run as root: the server runs as the postgres user then.
  const asServerUser = async (cmd: string, args: string[]) => {
    if (isRoot()) await run('runuser', ['-u', 'postgres', '--', path.join(bin, cmd), ...args], { timeout: 120_000 });
    else await run(path.join(bin, cmd), args, { timeout: 120_000 });
  };
  if (isRoot()) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: gid } = await run('id', ['-g', 'postgres']);
    chownSync(dir, Number(stdout.trim()), Number(gid.trim()));
    chownSync(data, Number(stdout.trim()), Number(gid.trim()));
  }
  await asServerUser('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300`;
  const ctl = (args: string[]) =>
    asServerUser('pg_ctl', ['-D', data, '-l', path.join(dir, 'server.log'), '-w', '-t', '60', ...args]);
  await ctl(['-o', options, 'start']);
  const control: Restartable = {
    description: `the suite's own PostgreSQL on 127.0.0.1:${port} (pg_ctl)`,
    verdict: { restartable: true },
    async restart(pauseMs = 0) {
      const t0 = Date.now();
      await ctl(['-m', 'fast', 'stop']);
      const t1 = Date.now();
      await pause(pauseMs);
      const t2 = Date.now();
      await ctl(['-o', options, 'start']);
      return { downMs: t1 - t0, upMs: Date.now() - t2 };
    },
    async dispose() {
      await ctl(['-m', 'immediate', 'stop']).catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return { adminUrl: `postgres://postgres@127.0.0.1:${port}/postgres`, control };
}
