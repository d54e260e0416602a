import 'reflect-metadata';
import { plainToInstance, Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, validateSync } from 'class-validator';

/** Thrown at start-up when a setting is missing or malformed; names every bad variable at once. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(
      `Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}\n` +
        'Fix the environment variables above (see "Configuration" in README.md) and start again.',
    );
    this.name = 'ConfigError';
  }
}

const toInt = ({ value }: { value: unknown }) =>
  value === undefined || value === '' ? undefined : /^-?\d+$/.test(String(value)) ? Number(value) : value;
const toBool = ({ value }: { value: unknown }) => {
  if (value === undefined || value === '') return undefined;
  const v = String(value).toLowerCase();
  return v === 'true' || v === '1' ? true : v === 'false' || v === '0' ? false : value;
};

/** Settings every app reads. Apps extend it with their own. Defaults are for local runs. */
export class BaseConfig {
  /** Comma-separated host:port list. */
  @IsString()
  @Matches(/^[A-Za-z0-9.\-_]+:\d{1,5}(,[A-Za-z0-9.\-_]+:\d{1,5})*$/, {
    message: 'KAFKA_BROKERS must be a comma-separated list of host:port, e.g. 127.0.0.1:9092',
  })
  KAFKA_BROKERS = '127.0.0.1:9092';

  @IsString()
  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'DATABASE_URL must be a postgres:// connection URL' })
  DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/open_one_poweroffice';

  /** Prepended to every topic name (test runs and side-by-side environments). */
  @IsString()
  @Matches(/^[A-Za-z0-9._-]*$/, { message: 'TOPIC_PREFIX may contain letters, digits, ".", "_" and "-" only' })
  TOPIC_PREFIX = '';

  @Transform(toInt)
  @Min(0)
  @Max(65535)
  @IsInt({ message: 'PORT must be an integer' })
  PORT = 3000;

  @Transform(toBool)
  @IsBoolean({ message: 'DB_MIGRATE_ON_START must be true or false' })
  DB_MIGRATE_ON_START = true;

  @IsIn(['debug', 'info', 'warn', 'error'], { message: 'LOG_LEVEL must be one of debug, info, warn, error' })
  LOG_LEVEL = 'info';

  @Transform(toInt)
  @Min(100)
  @IsInt({ message: 'KAFKA_CONNECT_TIMEOUT_MS must be an integer' })
  KAFKA_CONNECT_TIMEOUT_MS = 10000;

  @IsOptional()
  @IsString()
  NODE_ENV?: string;
}

/**
 * Reads and validates settings from the environment. Unknown variables are ignored; a missing or
 * malformed known one throws a ConfigError that names it (and every other problem).
 */
export function loadEnv<T extends object>(cls: new () => T, env: NodeJS.ProcessEnv = process.env): T {
  const defaults = new cls() as Record<string, unknown>;
  const raw: Record<string, unknown> = {};
  for (const key of Object.keys(defaults)) raw[key] = env[key] !== undefined ? env[key] : defaults[key];
  const instance = plainToInstance(cls, raw);
  const errors = validateSync(instance as object, { forbidUnknownValues: false, stopAtFirstError: true });
  if (errors.length > 0) {
    const problems = errors.flatMap((e) =>
      Object.values(e.constraints ?? {}).map((m) => (m.startsWith(e.property) ? m : `${e.property}: ${m}`)),
    );
    throw new ConfigError(problems);
  }
  return instance;
}
