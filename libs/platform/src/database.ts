import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { DataSource, DataSourceOptions, MigrationInterface } from 'typeorm';

type MigrationClass = new () => MigrationInterface;

/** db/migrations, seen from this file both in the sources (jest) and in dist/ (compiled). */
export const MIGRATIONS_DIR = path.resolve(__dirname, '../../../db/migrations');

/**
 * Every migration class in db/migrations, in file-name (timestamp) order. Loaded by scanning the
 * folder so each component adds its own files without touching a shared index.
 */
export function loadMigrations(dir = MIGRATIONS_DIR): MigrationClass[] {
  if (!existsSync(dir)) return [];
  const files = readdirSync(dir)
    .filter((f) => /^\d{13}-.+\.(ts|js)$/.test(f) && !f.endsWith('.d.ts'))
    .sort();
  const classes: MigrationClass[] = [];
  for (const file of files) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(path.join(dir, file)) as Record<string, unknown>;
    for (const value of Object.values(mod)) {
      if (typeof value === 'function' && typeof (value as { prototype?: { up?: unknown } }).prototype?.up === 'function') {
        classes.push(value as MigrationClass);
      }
    }
  }
  return classes;
}

export function dataSourceOptions(url: string, extra: Partial<DataSourceOptions> = {}): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    migrations: loadMigrations(),
    migrationsTableName: 'typeorm_migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: ['error'],
    extra: { max: 10, connectionTimeoutMillis: 10000, application_name: process.env.APP_NAME ?? 'open-one-poweroffice' },
    ...extra,
  } as DataSourceOptions;
}

export function createDataSource(url: string, extra: Partial<DataSourceOptions> = {}): DataSource {
  return new DataSource(dataSourceOptions(url, extra));
}

/** Applies pending migrations; returns the names applied. */
export async function runMigrations(url: string): Promise<string[]> {
  const ds = createDataSource(url);
  await ds.initialize();
  try {
    const applied = await ds.runMigrations({ transaction: 'each' });
    return applied.map((m) => m.name);
  } finally {
    await ds.destroy();
  }
}

/** A URL's password replaced by "***", for messages. */
export function redactUrl(url: string): string {
  return url.replace(/(\/\/[^:/@]+:)[^@]*@/, '$1***@');
}
