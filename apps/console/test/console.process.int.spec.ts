import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { DEV_OPERATOR_TOKEN } from '../src/access/operator-tokens';
import { testEnv } from '../../../test/support/env';

/**
 * The console as `npm run start:console` and `npm run cli` run it: the built files in dist/, as
 * separate processes with the run's broker and database.
 */
const root = path.resolve(__dirname, '../../..');
const MAIN = path.join(root, 'dist/apps/console/src/main.js');
const CLI = path.join(root, 'dist/apps/console/src/cli.js');

interface Run {
  code: number | null;
  out: string;
  /** The status of each probe, in order. */
  probes: number[];
}

/** Starts the console; once it logs its URL, probes the paths (status codes), then stops it. */
function runConsole(env: Record<string, string>, probe: [string, string | null][], untilMs = 60_000): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [MAIN], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const probes: number[] = [];
    let probing = false;
    child.stdout.on('data', async (d: Buffer) => {
      out += d.toString();
      const m = /"url":"(http:[^"]+)"/.exec(out);
      if (m && !probing) {
        probing = true;
        for (const [p, token] of probe) {
          const res = await fetch(`${m[1]}${p}`, { headers: token ? { Authorization: `Bearer ${token}` } : {} }).catch(() => undefined);
          probes.push(res?.status ?? -1);
        }
        child.kill('SIGTERM');
      }
    });
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), untilMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, out, probes });
    });
  });
}

describe('console processes (dist/)', () => {
  const { kafkaBrokers, databaseUrl } = testEnv();
  const base = { KAFKA_BROKERS: kafkaBrokers, DATABASE_URL: databaseUrl, PORT: '0', DB_MIGRATE_ON_START: 'false', LOG_LEVEL: 'info' };

  beforeAll(() => {
    const build = spawnSync(process.execPath, [path.join(root, 'scripts/build.mjs')], { cwd: root, encoding: 'utf8' });
    expect(build.status).toBe(0);
  });

  it('refuses to start in production without CONSOLE_OPERATOR_TOKEN, naming it', async () => {
    const res = await runConsole({ ...base, NODE_ENV: 'production', CONSOLE_OPERATOR_TOKEN: '' }, [], 30_000);
    expect(res.code).toBe(1);
    expect(res.out).toMatch(/CONSOLE_OPERATOR_TOKEN is required in production/);
  });

  it('starts elsewhere with the development token and a warning; /health is open, the API is not', async () => {
    const dev = DEV_OPERATOR_TOKEN.split(':')[1];
    const res = await runConsole({ ...base, NODE_ENV: 'development', CONSOLE_OPERATOR_TOKEN: '' }, [
      ['/health', null],
      ['/', null],
      ['/status', null],
      ['/status', dev],
      ['/api/docs-json', null],
    ]);
    expect(res.out).toMatch(/"level":"warn".*CONSOLE_OPERATOR_TOKEN is not set/);
    expect(res.probes).toEqual([200, 200, 401, 200, 200]);
  });

  it('starts in production with named tokens; the tokens appear in no log line', async () => {
    const token = 'kari:prod-token-0123456789abcdef';
    const res = await runConsole({ ...base, NODE_ENV: 'production', CONSOLE_OPERATOR_TOKEN: token }, [
      ['/status', 'prod-token-0123456789abcdef'],
      ['/status', 'wrong-token-0123456789abcdef'],
    ]);
    expect(res.probes).toEqual([200, 401]);
    expect(res.out).not.toContain('prod-token-0123456789abcdef');
    expect(res.out).not.toContain('wrong-token-0123456789abcdef');
  });

  it('npm run cli: --help answers without touching the database', () => {
    const res = spawnSync(process.execPath, [CLI, '--help'], { env: { ...process.env, DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' }, encoding: 'utf8' });
    expect(res.status).toBe(0);
    expect(res.stdout).toMatch(/Usage: cli \[options\] \[command\]/);
    expect(res.stdout).toMatch(/saft/);
  });
});
