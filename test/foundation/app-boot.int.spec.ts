import { spawn } from 'node:child_process';
import path from 'node:path';
import { testEnv } from '../support/env';

const root = path.resolve(__dirname, '../..');
const APPS = ['customer-sync', 'article-sync', 'settlement', 'invoice'];

function runApp(app: string, env: Record<string, string>, untilMs: number) {
  return new Promise<{ code: number | null; out: string; health?: unknown }>((resolve) => {
    const child = spawn(process.execPath, [path.join(root, 'dist/apps', app, 'src/main.js')], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let health: unknown;
    child.stdout.on('data', async (d: Buffer) => {
      out += d.toString();
      const m = /"health":"(http:[^"]+)"/.exec(out);
      if (m && health === undefined) {
        health = null;
        const res = await fetch(m[1]).catch(() => undefined);
        health = res ? { status: res.status, body: await res.json() } : 'unreachable';
        child.kill('SIGTERM');
      }
    });
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), untilMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, out, health });
    });
  });
}

describe('every app boots on the real broker and database', () => {
  const { kafkaBrokers, databaseUrl } = testEnv();

  it.each(APPS)('%s answers /health with Kafka and the database up', async (app) => {
    const res = await runApp(app, { KAFKA_BROKERS: kafkaBrokers, DATABASE_URL: databaseUrl, PORT: '0', LOG_LEVEL: 'info' }, 60000);
    expect(res.health).toMatchObject({
      status: 200,
      body: { status: 'ok', details: { database: { status: 'up' }, kafka: { status: 'up' } } },
    });
  });

  it('a wrong KAFKA_BROKERS stops start-up with a clear message instead of hanging', async () => {
    const res = await runApp(
      'settlement',
      { KAFKA_BROKERS: '127.0.0.1:1', KAFKA_CONNECT_TIMEOUT_MS: '2000', DATABASE_URL: databaseUrl, PORT: '0' },
      30000,
    );
    expect(res.code).toBe(1);
    expect(res.out).toMatch(/Kafka is not reachable at KAFKA_BROKERS=127\.0\.0\.1:1/);
    expect(res.out).toMatch(/npm run infra:up/);
  });

  it('a malformed setting stops start-up naming the variable', async () => {
    const res = await runApp('invoice', { PORT: 'not-a-port', DATABASE_URL: databaseUrl }, 30000);
    expect(res.code).toBe(1);
    expect(res.out).toMatch(/Invalid configuration/);
    expect(res.out).toMatch(/PORT must be an integer/);
  });
});
