import { DynamicModule, Inject, Injectable, Module, BeforeApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ApiBudget } from '../budget/api-budget';
import { PgApiBudget } from '../budget/pg-api-budget';
import { PowerOfficeClientFactory } from '../client';
import { PowerOfficeConfig, powerOfficeConfigFromEnv } from '../config';
import { CallRecorder } from '../recording/call-recorder';
import { PgCallRecorder } from '../recording/pg-call-recorder';

export const POWEROFFICE_CONFIG = Symbol('POWEROFFICE_CONFIG');
export const POWEROFFICE_API_BUDGET = Symbol('POWEROFFICE_API_BUDGET');
export const POWEROFFICE_CALL_RECORDER = Symbol('POWEROFFICE_CALL_RECORDER');

export interface PowerOfficeModuleOptions {
  /** Read POWEROFFICE_* from here instead of process.env. */
  env?: NodeJS.ProcessEnv;
  /** Use this config as is (tests). */
  config?: PowerOfficeConfig;
}

/**
 * Writes the last buffered call records when the app stops — before shutdown proper, because
 * TypeORM closes the DataSource in its own onApplicationShutdown.
 */
@Injectable()
class CallRecorderShutdown implements BeforeApplicationShutdown {
  constructor(@Inject(POWEROFFICE_CALL_RECORDER) private readonly recorder: CallRecorder) {}

  async beforeApplicationShutdown(): Promise<void> {
    if (this.recorder instanceof PgCallRecorder) await this.recorder.close();
  }
}

/**
 * Nest wiring for the framework-free client: config from env, the PostgreSQL budget and call
 * recorder on the app's TypeORM DataSource (from PlatformModule), and the client factory.
 */
@Module({})
export class PowerOfficeModule {
  static forRoot(options: PowerOfficeModuleOptions = {}): DynamicModule {
    return {
      module: PowerOfficeModule,
      global: true,
      providers: [
        {
          provide: POWEROFFICE_CONFIG,
          useFactory: () => options.config ?? powerOfficeConfigFromEnv(options.env ?? process.env),
        },
        {
          provide: POWEROFFICE_API_BUDGET,
          inject: [DataSource, POWEROFFICE_CONFIG],
          useFactory: (db: DataSource, config: PowerOfficeConfig): ApiBudget =>
            new PgApiBudget(db, { subscriptionKey: config.subscriptionKey, rateLimit: config.rateLimit, headroom: config.budgetHeadroom }),
        },
        {
          provide: POWEROFFICE_CALL_RECORDER,
          inject: [DataSource],
          useFactory: (db: DataSource): CallRecorder => new PgCallRecorder(db),
        },
        {
          provide: PowerOfficeClientFactory,
          inject: [POWEROFFICE_CONFIG, POWEROFFICE_API_BUDGET, POWEROFFICE_CALL_RECORDER],
          useFactory: (config: PowerOfficeConfig, budget: ApiBudget, recorder: CallRecorder) =>
            new PowerOfficeClientFactory(config, budget, recorder),
        },
        CallRecorderShutdown,
      ],
      exports: [PowerOfficeClientFactory, POWEROFFICE_CONFIG, POWEROFFICE_API_BUDGET, POWEROFFICE_CALL_RECORDER],
    };
  }
}
