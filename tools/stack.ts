import { ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, WriteStream } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Client } from 'pg';

/**
 * Runs the integration's processes (the PowerOffice emulator and the apps) as separate OS processes
 * from dist/, the way they run in production: used by the demo, the benchmarks and the fault suite.
 * Each process logs to its own file; `kill9` and `restart` let the fault suite crash them.
 */
export const ROOT = path.basename(path.resolve(__dirname, '..')) === 'dist'
  ? path.resolve(__dirname, '../..')
  : path.resolve(__dirname, '..');

export type AppName = 'customer-sync' | 'article-sync' | 'settlement' | 'invoice' | 'console' | 'poweroffice-emulator';
export const FLOW_APPS: AppName[] = ['customer-sync', 'article-sync', 'settlement', 'invoice'];

export interface ManagedProcess {
  name: string;
  app: AppName;
  port: number;
  url: string;
  env: Record<string, string>;
  child?: ChildProcess;
  logFile: string;
  restarts: number;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | false>,
  { timeoutMs = 60000, intervalMs = 250 }: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await probe();
      if (v !== undefined && v !== false) return v as T;
    } catch (err) {
      lastError = err;
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(`${what}: not ready within ${timeoutMs} ms${lastError ? ` (${(lastError as Error).message})` : ''}`);
}

/** Drops and recreates a database, then returns its URL. */
export async function recreateDatabase(adminUrl: string, name: string): Promise<string> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return u.toString();
}

export class LocalStack {
  readonly processes = new Map<string, ManagedProcess>();
  private readonly logStreams = new Map<string, WriteStream>();

  constructor(
    private readonly opts: {
      /** Settings every process gets (KAFKA_BROKERS, DATABASE_URL, TOPIC_PREFIX, POWEROFFICE_*, …). */
      env: Record<string, string>;
      logDir: string;
    },
  ) {
    mkdirSync(opts.logDir, { recursive: true });
  }

  /** Starts one process and waits until it answers its health URL. */
  async start(app: AppName, opts: { name?: string; env?: Record<string, string>; port?: number } = {}): Promise<ManagedProcess> {
    const name = opts.name ?? app;
    const port = opts.port ?? (await freePort());
    const proc: ManagedProcess = {
      name,
      app,
      port,
      url: `http://127.0.0.1:${port}`,
      env: { ...this.opts.env, ...opts.env, PORT: String(port), HOST: '127.0.0.1' },
      logFile: path.join(this.opts.logDir, `${name}.log`),
      restarts: 0,
    };
    this.processes.set(name, proc);
    await this.spawn(proc);
    return proc;
  }

  private async spawn(proc: ManagedProcess): Promise<void> {
    let log = this.logStreams.get(proc.name);
    if (!log) {
      log = createWriteStream(proc.logFile, { flags: 'a' });
      this.logStreams.set(proc.name, log);
    }
    const entry = path.join(ROOT, 'dist/apps', proc.app, 'src/main.js');
    const child = spawn(process.execPath, [entry], {
      env: { ...process.env, ...proc.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.pipe(log, { end: false });
    child.stderr?.pipe(log, { end: false });
    proc.child = child;
    // A process that exits while starting fails the start at once instead of after the whole timeout.
    const exitedEarly = new Promise<never>((_, reject) =>
      child.once('exit', (code, signal) =>
        reject(new Error(`${proc.name} exited (${code ?? signal}) before it was healthy; see ${proc.logFile}`)),
      ),
    );
    exitedEarly.catch(() => undefined);
    const healthPath = proc.app === 'poweroffice-emulator' ? '/_emulator/stats' : '/health';
    await Promise.race([
      exitedEarly,
      waitFor(
        `${proc.name} on port ${proc.port} (log: ${proc.logFile})`,
        async () => {
          if (child.exitCode !== null || child.signalCode !== null) return undefined;
          const res = await fetch(proc.url + healthPath, { signal: AbortSignal.timeout(2000) }).catch(() => undefined);
          return res?.ok ? true : undefined;
        },
        { timeoutMs: 90000, intervalMs: 200 },
      ),
    ]);
  }

  /** SIGKILL: no shutdown hooks, no commits — a crash. */
  kill9(name: string): void {
    const proc = this.processes.get(name);
    proc?.child?.kill('SIGKILL');
  }

  async restart(name: string): Promise<void> {
    const proc = this.processes.get(name);
    if (!proc) throw new Error(`no process ${name}`);
    await this.stopOne(proc, 'SIGKILL');
    proc.restarts++;
    await this.spawn(proc);
  }

  /** Stops one process as an operator would (SIGTERM, SIGKILL after 15 s): a consumer leaves its group cleanly. */
  async stop(name: string): Promise<void> {
    const proc = this.processes.get(name);
    if (proc) await this.stopOne(proc, 'SIGTERM');
  }

  /** True while the process runs (neither exited nor killed). */
  isRunning(name: string): boolean {
    const child = this.processes.get(name)?.child;
    return !!child && child.exitCode === null && child.signalCode === null;
  }

  private async stopOne(proc: ManagedProcess, signal: NodeJS.Signals): Promise<void> {
    const child = proc.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
      }, 15000);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      child.kill(signal);
    });
  }

  /** Stops everything gracefully (SIGTERM, then SIGKILL after 15 s). */
  async stopAll(): Promise<void> {
    await Promise.all([...this.processes.values()].map((p) => this.stopOne(p, 'SIGTERM')));
    for (const s of this.logStreams.values()) s.end();
    this.logStreams.clear();
  }

  url(name: string): string {
    const p = this.processes.get(name);
    if (!p) throw new Error(`no process ${name}`);
    return p.url;
  }

  pid(name: string): number | undefined {
    return this.processes.get(name)?.child?.pid;
  }
}
