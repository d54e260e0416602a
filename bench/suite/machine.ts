import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import type { MachineInfo } from './report';

/** What the numbers were measured on: they mean little without it. */
export async function machineInfo(root: string, adminUrl: string, brokers: string): Promise<MachineInfo> {
  const cpus = os.cpus();
  return {
    cores: cpus.length,
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    platform: `${os.platform()} ${os.release()}`,
    node: process.version,
    postgres: await postgresVersion(adminUrl),
    kafka: kafkaVersion(),
    kafkaBrokers: brokers,
    gitCommit: git(root, ['rev-parse', 'HEAD']) ?? 'unknown',
    gitUncommittedFiles: (git(root, ['status', '--porcelain']) ?? '').split('\n').filter((l) => l.trim() !== '').length,
  };
}

function git(cwd: string, args: string[]): string | undefined {
  try {
    return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

async function postgresVersion(url: string): Promise<string | null> {
  const client = new Client({ connectionString: url });
  try {
    await client.connect();
    const { rows } = await client.query<{ server_version: string }>('SHOW server_version');
    return rows[0]?.server_version.split(' ')[0] ?? null;
  } catch {
    return null;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** The version of the broker started by infra/kafka/kafka.sh, from its jar; null for a broker run elsewhere. */
function kafkaVersion(): string | null {
  const state =
    process.env.KAFKA_STATE_DIR ??
    path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'open-one-poweroffice/kafka');
  try {
    const jar = readdirSync(path.join(state, 'libs')).find((f) => /^kafka_2\.\d+-[\d.]+\.jar$/.test(f));
    return jar?.replace(/^kafka_2\.\d+-/, '').replace(/\.jar$/, '') ?? null;
  } catch {
    return null;
  }
}
