import type { Counter, Gauge, Histogram } from 'prom-client';
import type { MetricsService } from '@lib/platform';

/**
 * The pipeline's Prometheus metrics. Labels are bounded (flow, topic, result, error code, event
 * type, partition); never the tenant, whose number grows with the business.
 */
export class PipelineMetrics {
  /** Events by how they ended: succeeded, failed, duplicate (recognised redelivery), abandoned. */
  readonly events: Counter<string>;
  /** Failure outcomes by error code (a subset of events{result="failed"}). */
  readonly failures: Counter<string>;
  readonly retries: Counter<string>;
  readonly deadLetters: Counter<string>;
  readonly handlerDuration: Histogram<string>;
  readonly consumerLag: Gauge<string>;
  readonly consumerUp: Gauge<string>;
  readonly outboxPublished: Counter<string>;
  readonly outboxPublishFailures: Counter<string>;
  readonly outboxQuarantined: Counter<string>;
  readonly replayedEvents: Counter<string>;

  constructor(metrics: Pick<MetricsService, 'counter' | 'gauge' | 'histogram'>) {
    this.events = metrics.counter('pipeline_events_total', 'Consumed events by result', ['flow', 'topic', 'result']);
    this.failures = metrics.counter('pipeline_failures_total', 'Failure outcomes by error code', [
      'flow',
      'topic',
      'code',
    ]);
    this.retries = metrics.counter('pipeline_retries_total', 'Handler retries after a transient or unexpected error', [
      'flow',
      'topic',
      'kind',
    ]);
    this.deadLetters = metrics.counter('pipeline_dead_letters_total', 'Records parked on a dead-letter topic', [
      'flow',
      'topic',
      'code',
    ]);
    this.handlerDuration = metrics.histogram(
      'pipeline_handler_duration_seconds',
      'Time from delivery to a committed outcome, retries included',
      ['flow', 'event_type', 'result'],
      [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
    );
    this.consumerLag = metrics.gauge(
      'pipeline_consumer_lag',
      'Records behind the high watermark per partition (sampled)',
      ['flow', 'topic', 'partition'],
    );
    this.consumerUp = metrics.gauge('pipeline_consumer_up', '1 while the flow consumer is joined to its group', [
      'flow',
    ]);
    this.outboxPublished = metrics.counter('pipeline_outbox_published_total', 'Outbox rows published to Kafka');
    this.outboxPublishFailures = metrics.counter(
      'pipeline_outbox_publish_failures_total',
      'Outbox publish rounds that failed',
    );
    this.outboxQuarantined = metrics.counter(
      'pipeline_outbox_quarantined_total',
      'Outbox rows the broker refused (e.g. too large), set aside instead of blocking the relay',
    );
    this.replayedEvents = metrics.counter('pipeline_replayed_events_total', 'Events run through a resync, by result', [
      'flow',
      'mode',
      'result',
    ]);
  }
}
