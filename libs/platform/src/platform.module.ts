import { DynamicModule, Global, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { TypeOrmModule } from '@nestjs/typeorm';
import { BaseConfig, loadEnv } from './config';
import { dataSourceOptions } from './database';
import { HealthController, HealthRegistry } from './health';
import { createKafka } from './kafka';
import { JsonLogger, LogLevel } from './logger';
import { MetricsController, MetricsService } from './metrics';
import { APP_CONFIG, APP_NAME, KAFKA, LOGGER } from './tokens';

export interface PlatformOptions<C extends BaseConfig> {
  /** The app's name: logs, metrics labels, Kafka client id, PostgreSQL application_name. */
  name: string;
  /** The app's config class (extends BaseConfig); validated from env at start. */
  config?: new () => C;
  /** Already-validated config (tests); skips reading env. */
  configValues?: C;
}

/**
 * What every app shares: validated config, PostgreSQL (TypeORM, migrations applied at start unless
 * DB_MIGRATE_ON_START=false), a kafkajs client, JSON logs, Prometheus metrics, GET /health and
 * GET /metrics.
 */
@Global()
@Module({})
export class PlatformModule {
  static forApp<C extends BaseConfig>(opts: PlatformOptions<C>): DynamicModule {
    const config = opts.configValues ?? loadEnv((opts.config ?? BaseConfig) as new () => C);
    process.env.APP_NAME = opts.name;
    const logger = new JsonLogger(opts.name, config.LOG_LEVEL as LogLevel);
    return {
      module: PlatformModule,
      imports: [
        TerminusModule.forRoot({ logger: false, errorLogStyle: 'json' }),
        TypeOrmModule.forRoot({
          ...dataSourceOptions(config.DATABASE_URL, {
            migrationsRun: config.DB_MIGRATE_ON_START,
            extra: { max: 10, connectionTimeoutMillis: 10000, application_name: opts.name },
          }),
          retryAttempts: 3,
          retryDelay: 1000,
        }),
      ],
      controllers: [HealthController, MetricsController],
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: APP_NAME, useValue: opts.name },
        { provide: LOGGER, useValue: logger },
        { provide: JsonLogger, useValue: logger },
        { provide: MetricsService, useValue: new MetricsService(opts.name) },
        HealthRegistry,
        {
          provide: KAFKA,
          useFactory: () =>
            createKafka({
              brokers: config.KAFKA_BROKERS,
              clientId: opts.name,
              connectTimeoutMs: config.KAFKA_CONNECT_TIMEOUT_MS,
              log: (level, message, extra) => logger.emit(level, message, extra),
            }),
        },
      ],
      exports: [APP_CONFIG, APP_NAME, LOGGER, JsonLogger, MetricsService, HealthRegistry, KAFKA],
    };
  }
}
