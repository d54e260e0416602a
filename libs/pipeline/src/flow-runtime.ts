import type { Kafka } from 'kafkajs';
import type { DataSource } from 'typeorm';
import { EventType, isEventType } from '@lib/contracts';
import type { HealthStatus, JsonLogger } from '@lib/platform';
import { FlowConsumer } from './consumer/flow-consumer';
import type { FlowHandler } from './handler';
import type { PipelineMetrics } from './metrics';
import { FlowOptions, resolveFlow, ResolvedFlow, topicOfEventType } from './options';
import type { OutboxRelay } from './outbox/outbox-relay';
import { EventProcessor } from './processing/event-processor';
import { Resync, ResyncRequest, ResyncSummary } from './replay/resync';
import type { TenantDirectory } from './tenants';

export interface FlowRuntimeDeps {
  kafka: Kafka;
  dataSource: DataSource;
  tenants: TenantDirectory;
  log: JsonLogger;
  metrics: PipelineMetrics;
  /** The process's outbox relay, nudged after every commit that queued outcomes. */
  relay?: Pick<OutboxRelay, 'nudge'>;
  /** Used when the options name no topic prefix (the app's TOPIC_PREFIX). */
  topicPrefix?: string;
}

/**
 * One flow, framework-free: its handlers, the processor that runs them, the live consumer and the
 * resync. The Nest binding (PipelineModule + PipelineTransport) and the tests both drive this.
 */
export class FlowRuntime {
  readonly flow: ResolvedFlow;
  private readonly handlers = new Map<string, FlowHandler<unknown>>();
  private processorInstance?: EventProcessor;
  private consumer?: FlowConsumer;

  constructor(
    options: FlowOptions,
    private readonly deps: FlowRuntimeDeps,
  ) {
    this.flow = resolveFlow(options, deps.topicPrefix);
  }

  /** Registers the handler of one event type; all handlers are registered before the first event. */
  handle<T, TClient>(eventType: EventType, handler: FlowHandler<T, TClient>): this {
    if (this.processorInstance)
      throw new Error(`pipeline: handler for ${eventType} registered after ${this.flow.flow} started`);
    if (!isEventType(eventType)) throw new Error(`pipeline: ${String(eventType)} is not an event type of the contract`);
    const topic = topicOfEventType(eventType, this.flow.topicPrefix);
    if (!this.flow.topics.includes(topic)) {
      throw new Error(
        `pipeline: flow ${this.flow.flow} handles ${eventType} but does not consume its topic ${topic}; add it to \`topics\``,
      );
    }
    if (this.handlers.has(eventType))
      throw new Error(`pipeline: two handlers for ${eventType} in flow ${this.flow.flow}`);
    this.handlers.set(eventType, handler as unknown as FlowHandler<unknown>);
    return this;
  }

  get processor(): EventProcessor {
    if (!this.processorInstance) {
      const handled = new Set(
        [...this.handlers.keys()].map((t) => topicOfEventType(t as EventType, this.flow.topicPrefix)),
      );
      const idle = this.flow.topics.filter((t) => !handled.has(t));
      if (idle.length > 0) {
        // Every record there would fail as INVALID_EVENT ("not expected here"): a wiring mistake.
        throw new Error(
          `pipeline: flow ${this.flow.flow} consumes ${idle.join(', ')} but has no handler for its event types`,
        );
      }
      this.processorInstance = new EventProcessor({
        flow: this.flow,
        handlers: this.handlers,
        dataSource: this.deps.dataSource,
        tenants: this.deps.tenants,
        log: this.deps.log,
        metrics: this.deps.metrics,
        onOutboxWritten: () => this.deps.relay?.nudge(),
      });
    }
    return this.processorInstance;
  }

  async start(): Promise<void> {
    if (this.consumer) return;
    const consumer = new FlowConsumer(this.deps.kafka, this.processor, this.flow, this.deps.log, this.deps.metrics);
    this.consumer = consumer;
    await consumer.start();
  }

  async stop(): Promise<void> {
    const consumer = this.consumer;
    this.consumer = undefined;
    await consumer?.stop();
  }

  /** Replays (or dry-runs) one tenant's events through this flow's handlers; see {@link Resync}. */
  resync(request: ResyncRequest): Promise<ResyncSummary> {
    return new Resync(this.deps.kafka, this.processor, this.flow, this.deps.log, this.deps.metrics).run(request);
  }

  health(): HealthStatus {
    return this.consumer
      ? this.consumer.health()
      : { up: false, groupId: this.flow.groupId, reason: 'consumer not started' };
  }
}
