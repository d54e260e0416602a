import { DynamicModule, InjectionToken, Module, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import { DataSource } from 'typeorm';
import { APP_CONFIG, BaseConfig, HealthRegistry, JsonLogger, KAFKA, MetricsService } from '@lib/platform';
import { TenantService } from '@lib/tenancy';
import { DeadLetters } from '../dead-letter/dead-letters';
import { FlowRuntime } from '../flow-runtime';
import { PipelineMetrics } from '../metrics';
import type { FlowOptions } from '../options';
import { OutboxRelay } from '../outbox/outbox-relay';
import { OutcomeOutbox } from '../outbox/outcome-outbox';
import type { TenantDirectory } from '../tenants';
import { PipelineTransport } from './pipeline.transport';

export interface PipelineFlowModuleOptions extends FlowOptions {
  /** Provider of the tenant directory; defaults to TenantService (from TenancyModule.forRoot). */
  tenants?: InjectionToken;
}

/**
 * The pipeline for one app's flow: the runtime (consumer, processor, resync), the process's outbox
 * relay (started at bootstrap, drained at shutdown), the dead-letter tools, and a health check
 * `pipeline-<flow>` that is down while the consumer is not in its group.
 *
 *   imports: [PlatformModule.forApp(...), TenancyModule.forRoot(...),
 *             PipelineModule.forFlow({ flow: 'settlement', lane: 'settlement', topics: ['zReportClosed'] })]
 *   main.ts: bootstrapApp({ ..., configure: (app) => connectPipeline(app) })
 */
@Module({})
export class PipelineModule implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(private readonly relay: OutboxRelay) {}

  static forFlow(options: PipelineFlowModuleOptions): DynamicModule {
    const { tenants = TenantService, ...flowOptions } = options;
    return {
      module: PipelineModule,
      providers: [
        {
          provide: PipelineMetrics,
          useFactory: (metrics: MetricsService) => new PipelineMetrics(metrics),
          inject: [MetricsService],
        },
        {
          provide: OutboxRelay,
          useFactory: (dataSource: DataSource, kafka: Kafka, log: JsonLogger, metrics: PipelineMetrics) =>
            new OutboxRelay(dataSource, kafka, log.child({ component: 'outbox-relay' }), metrics, flowOptions.relay),
          inject: [DataSource, KAFKA, JsonLogger, PipelineMetrics],
        },
        {
          provide: FlowRuntime,
          useFactory: (
            config: BaseConfig,
            dataSource: DataSource,
            kafka: Kafka,
            log: JsonLogger,
            metrics: PipelineMetrics,
            relay: OutboxRelay,
            directory: TenantDirectory,
            health: HealthRegistry,
          ) => {
            const runtime = new FlowRuntime(flowOptions, {
              kafka,
              dataSource,
              tenants: directory,
              log: log.child({ component: 'pipeline' }),
              metrics,
              relay,
              topicPrefix: config.TOPIC_PREFIX,
            });
            health.register(`pipeline-${runtime.flow.flow}`, async () => runtime.health());
            return runtime;
          },
          inject: [APP_CONFIG, DataSource, KAFKA, JsonLogger, PipelineMetrics, OutboxRelay, tenants, HealthRegistry],
        },
        {
          provide: PipelineTransport,
          useFactory: (runtime: FlowRuntime, relay: OutboxRelay) => new PipelineTransport(runtime, relay),
          inject: [FlowRuntime, OutboxRelay],
        },
        {
          provide: OutcomeOutbox,
          useFactory: (runtime: FlowRuntime, relay: OutboxRelay) => new OutcomeOutbox(runtime.flow.topicPrefix, relay),
          inject: [FlowRuntime, OutboxRelay],
        },
        {
          provide: DeadLetters,
          useFactory: (kafka: Kafka, dataSource: DataSource, log: JsonLogger) =>
            new DeadLetters(kafka, dataSource, log.child({ component: 'dead-letters' })),
          inject: [KAFKA, DataSource, JsonLogger],
        },
      ],
      exports: [FlowRuntime, PipelineTransport, OutcomeOutbox, DeadLetters, OutboxRelay],
    };
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.relay.start();
  }

  /** Normally already drained by the transport's close; this covers apps that never connected it. */
  async onApplicationShutdown(): Promise<void> {
    await this.relay.stop();
  }
}
