import { BeforeApplicationShutdown, DynamicModule, Inject, Injectable, Module, OnApplicationShutdown, Provider } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import type { Kafka } from 'kafkajs';
import { DataSource } from 'typeorm';
import { DeadLetters } from '@lib/pipeline';
import { JsonLogger, KAFKA, PlatformModule } from '@lib/platform';
import { CallRecorder, POWEROFFICE_CALL_RECORDER, PgCallRecorder, PowerOfficeModule } from '@lib/poweroffice';
import { TenancyModule, TenantService } from '@lib/tenancy';
import { OperatorGuard } from './access/operator.guard';
import { OperatorTokens, operatorTokensFor } from './access/operator-tokens';
import { ConsoleConfig } from './console.config';
import { FlowHost } from './flows/flow-host';
import { FLOW_MODULES, FlowModules } from './flows/flow-modules';
import { HostedSettlementOperations, locateSettlementService, SettlementServiceLocator } from './flows/settlement-actions';
import { ActionsController } from './http/actions.controller';
import { ConsoleErrorFilter } from './http/console-error.filter';
import { ResyncJobs } from './http/resync-jobs';
import { StatusController } from './http/status.controller';
import { TenantsController } from './http/tenants.controller';
import { WebController } from './http/web.controller';
import { buildUseCases, USE_CASE_TYPES, UseCases } from './use-cases';
import { ResyncTenant } from './use-cases/resync-tenant';

export interface ConsoleModuleOptions {
  /** Where PowerOffice settings and the hosted flows' config are read (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** The flow apps' modules (tests host a flow of their own). */
  flowModules?: FlowModules;
  settlementService?: SettlementServiceLocator;
}

const USE_CASES = Symbol('USE_CASES');

/** The hosted flows run against the console's own broker, database and topic prefix. */
export function flowEnv(env: NodeJS.ProcessEnv, config: ConsoleConfig): NodeJS.ProcessEnv {
  return { ...env, KAFKA_BROKERS: config.KAFKA_BROKERS, DATABASE_URL: config.DATABASE_URL, TOPIC_PREFIX: config.TOPIC_PREFIX };
}

/**
 * Stops background resyncs and the hosted flows when the console stops, then writes the calls those
 * flows recorded while the database is still open (closing the recorder twice is harmless).
 */
@Injectable()
class ConsoleShutdown implements BeforeApplicationShutdown, OnApplicationShutdown {
  constructor(
    private readonly jobs: ResyncJobs,
    private readonly flows: FlowHost,
    @Inject(POWEROFFICE_CALL_RECORDER) private readonly recorder: CallRecorder,
  ) {}

  async beforeApplicationShutdown(): Promise<void> {
    await this.jobs.stop();
    await this.flows.close();
    if (this.recorder instanceof PgCallRecorder) await this.recorder.close();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.flows.close();
  }
}

/**
 * The console: tenants, account mapping, status and the actions that fix what failed, over HTTP
 * (with the web page) — the CLI runs the same use cases without Nest (cli/).
 */
@Module({})
export class ConsoleModule {
  static register(config: ConsoleConfig, options: ConsoleModuleOptions = {}): DynamicModule {
    const env = options.env ?? process.env;
    const useCaseProviders: Provider[] = (Object.keys(USE_CASE_TYPES) as (keyof UseCases)[]).map((key) => ({
      provide: USE_CASE_TYPES[key],
      useFactory: (useCases: UseCases) => useCases[key],
      inject: [USE_CASES],
    }));
    return {
      module: ConsoleModule,
      imports: [
        PlatformModule.forApp({ name: 'console', configValues: config }),
        PowerOfficeModule.forRoot({ env }),
        // No caching: an operator looks at the tenant as it is now.
        TenancyModule.forRoot({ cacheTtlMs: 0 }),
      ],
      controllers: [WebController, TenantsController, StatusController, ActionsController],
      providers: [
        {
          provide: OperatorTokens,
          useFactory: (log: JsonLogger) => operatorTokensFor(config.CONSOLE_OPERATOR_TOKEN, config.NODE_ENV || env.NODE_ENV, (m) => log.warn(m)),
          inject: [JsonLogger],
        },
        { provide: APP_GUARD, useClass: OperatorGuard },
        { provide: APP_FILTER, useFactory: (log: JsonLogger) => new ConsoleErrorFilter(log.child({ component: 'http' })), inject: [JsonLogger] },
        {
          provide: DeadLetters,
          useFactory: (kafka: Kafka, db: DataSource, log: JsonLogger) => new DeadLetters(kafka, db, log.child({ component: 'dead-letters' })),
          inject: [KAFKA, DataSource, JsonLogger],
        },
        {
          provide: FlowHost,
          useFactory: () => new FlowHost({ env: flowEnv(env, config), keepOpen: true }, options.flowModules ?? FLOW_MODULES),
        },
        {
          provide: USE_CASES,
          useFactory: (db: DataSource, tenants: TenantService, deadLetters: DeadLetters, flows: FlowHost, log: JsonLogger, kafka: Kafka) =>
            buildUseCases({
              db,
              tenants,
              deadLetters,
              kafka,
              flows,
              settlements: new HostedSettlementOperations(flows, options.settlementService ?? locateSettlementService),
              log,
              topicPrefix: config.TOPIC_PREFIX,
            }),
          inject: [DataSource, TenantService, DeadLetters, FlowHost, JsonLogger, KAFKA],
        },
        ...useCaseProviders,
        { provide: ResyncJobs, useFactory: (resync: ResyncTenant) => new ResyncJobs(resync), inject: [ResyncTenant] },
        ConsoleShutdown,
      ],
    };
  }
}

