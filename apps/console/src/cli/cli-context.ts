import { Module, type DynamicModule, type INestApplicationContext, type LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { userInfo } from 'node:os';
import type { Kafka } from 'kafkajs';
import { DataSource } from 'typeorm';
import { DeadLetters } from '@lib/pipeline';
import { createKafka, dataSourceOptions, JsonLogger, loadEnv, type LogLevel } from '@lib/platform';
import { CallRecorder, POWEROFFICE_CALL_RECORDER, PgCallRecorder, PowerOfficeModule } from '@lib/poweroffice';
import { TenancyModule, TenantService } from '@lib/tenancy';
import type { Caller } from '../action-log/action-log.repository';
import { ConsoleConfig } from '../console.config';
import { flowEnv } from '../console.module';
import { FlowHost } from '../flows/flow-host';
import { HostedSettlementOperations } from '../flows/settlement-actions';
import { buildUseCases, UseCases } from '../use-cases';

/**
 * The CLI's wiring: the same use cases as the HTTP API, on the libraries' own Nest bindings for
 * PostgreSQL, PowerOffice and tenancy (no HTTP server, no platform logger on stdout: stdout is the
 * command's output, logs go to stderr).
 */
@Module({})
class ConsoleCliModule {
  static register(config: ConsoleConfig, env: NodeJS.ProcessEnv): DynamicModule {
    return {
      module: ConsoleCliModule,
      imports: [
        TypeOrmModule.forRoot({
          ...dataSourceOptions(config.DATABASE_URL, {
            migrationsRun: config.DB_MIGRATE_ON_START,
            extra: { max: 4, connectionTimeoutMillis: 10_000, application_name: 'console-cli' },
          }),
          // A command fails at once with the reason instead of retrying for half a minute.
          retryAttempts: 1,
          retryDelay: 0,
        }),
        PowerOfficeModule.forRoot({ env }),
        TenancyModule.forRoot({ cacheTtlMs: 0 }),
      ],
    };
  }
}

export interface CliContext {
  useCases: UseCases;
  caller: Caller;
  kafka: Kafka;
  config: ConsoleConfig;
  tenants: TenantService;
  close(): Promise<void>;
}

/** `cli:<os user>`: who ran the command, in the audit and action logs. */
export function cliActor(): string {
  let user = process.env.SUDO_USER || process.env.USER || '';
  try {
    user = userInfo().username || user;
  } catch {
    // no passwd entry (some containers): fall back to the environment
  }
  return `cli:${user || 'unknown'}`;
}

/**
 * Nest's logger for the CLI, minus one warning: a command that works through a flow app hosts that
 * app's module in this process, so @nestjs/typeorm sees a second default DataSource and warns that
 * names collide. Each Nest context injects its own DataSource; the warning would only alarm the operator.
 */
function withoutDataSourceNameWarning(log: JsonLogger): LoggerService {
  return {
    log: (message: unknown, context?: string) => log.log(message, context),
    error: (message: string, ...rest: unknown[]) => log.error(message, rest[0] as string | undefined, rest[1] as string | undefined),
    warn: (message: unknown, context?: string) => {
      if (context !== 'DataSourceNameRegistry') log.warn(String(message), context);
    },
    debug: (message: unknown, context?: string) => log.debug(String(message), context === undefined ? undefined : { context }),
    verbose: (message: unknown, context?: string) => log.verbose(message, context),
  };
}

export async function openCliContext(env: NodeJS.ProcessEnv, stderr: (line: string) => void): Promise<CliContext> {
  const config = loadEnv(ConsoleConfig, env);
  const level = (['debug', 'info', 'warn', 'error'].includes(env.LOG_LEVEL ?? '') ? env.LOG_LEVEL : 'warn') as LogLevel;
  const log = new JsonLogger('console-cli', level, {}, stderr);
  const app: INestApplicationContext = await NestFactory.createApplicationContext(ConsoleCliModule.register(config, env), {
    logger: withoutDataSourceNameWarning(log),
    abortOnError: false,
  });
  const db = app.get(DataSource);
  const kafka = createKafka({
    brokers: config.KAFKA_BROKERS,
    clientId: 'console-cli',
    connectTimeoutMs: config.KAFKA_CONNECT_TIMEOUT_MS,
    log: (lvl, message, extra) => log.emit(lvl, message, extra),
  });
  const flows = new FlowHost({ env: flowEnv(env, config), keepOpen: false, logLevel: 'error' });
  const tenants: TenantService = app.get(TenantService);
  const useCases = buildUseCases({
    db,
    tenants,
    deadLetters: new DeadLetters(kafka, db, log.child({ component: 'dead-letters' })),
    kafka,
    flows,
    settlements: new HostedSettlementOperations(flows),
    log,
    topicPrefix: config.TOPIC_PREFIX,
  });
  const recorder = app.get<CallRecorder>(POWEROFFICE_CALL_RECORDER);
  return {
    useCases,
    caller: { actor: cliActor(), transport: 'cli' },
    kafka,
    config,
    tenants,
    close: async () => {
      await flows.close();
      // Before the DataSource closes: the calls of this command go into poweroffice.api_calls.
      if (recorder instanceof PgCallRecorder) await recorder.close();
      await app.close();
    },
  };
}
