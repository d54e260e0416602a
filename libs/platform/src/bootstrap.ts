import { DynamicModule, INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { BaseConfig, ConfigError, loadEnv } from './config';
import { assertKafkaReachable } from './kafka';
import { JsonLogger, LogLevel } from './logger';

export interface BootstrapOptions<C extends BaseConfig> {
  name: string;
  config: new () => C;
  /** Builds the app's root module from its validated config. */
  module: (config: C) => DynamicModule | Type<unknown>;
  /** Extra wiring before listening (e.g. connecting the pipeline transport). */
  configure?: (app: INestApplication, config: C) => Promise<void> | void;
  /** Skip the Kafka reachability check (apps that do not use Kafka, e.g. the console's CLI). */
  needsKafka?: boolean;
}

/**
 * Starts one app: validates config (a bad setting stops start-up with a message naming it), checks
 * that Kafka answers (a wrong KAFKA_BROKERS gives a clear error instead of a hang), then boots Nest
 * with JSON logs and graceful shutdown, and listens on PORT.
 */
export async function bootstrapApp<C extends BaseConfig>(opts: BootstrapOptions<C>): Promise<INestApplication> {
  const fail = (message: string): never => {
    process.stderr.write(`${opts.name}: ${message}\n`);
    process.exit(1);
  };
  let config: C;
  try {
    config = loadEnv(opts.config);
  } catch (err) {
    if (err instanceof ConfigError) return fail(err.message);
    throw err;
  }
  const logger = new JsonLogger(opts.name, config.LOG_LEVEL as LogLevel);
  if (opts.needsKafka !== false) {
    try {
      await assertKafkaReachable(config.KAFKA_BROKERS, config.KAFKA_CONNECT_TIMEOUT_MS);
    } catch (err) {
      logger.error('start-up failed', { reason: (err as Error).message });
      return fail((err as Error).message);
    }
  }
  try {
    const app = await NestFactory.create(opts.module(config), { logger, abortOnError: false });
    app.enableShutdownHooks();
    if (opts.configure) await opts.configure(app, config);
    await app.startAllMicroservices();
    await app.listen(config.PORT, process.env.HOST ?? '0.0.0.0');
    const url = await app.getUrl();
    logger.info(`${opts.name} started`, { url: url.replace('[::1]', '127.0.0.1'), health: `${url}/health` });
    return app;
  } catch (err) {
    logger.error('start-up failed', { reason: (err as Error).message, stack: (err as Error).stack });
    return fail(
      `could not start: ${(err as Error).message}. Check DATABASE_URL (is PostgreSQL running?) and the log above.`,
    );
  }
}
