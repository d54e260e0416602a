import { dlqTopic, EVENT_TOPIC_KEYS, EventType, POS_EVENT_TYPES, PosEventType, TopicKey, topicName } from '@lib/contracts';
import type { Lane } from '@lib/poweroffice';
import { DEFAULT_RETRY_POLICY, RetryPolicy } from './failure/retry-policy';
import { DEFAULT_OUTBOX_RELAY_OPTIONS, OutboxRelayOptions } from './outbox/outbox-relay';

/** How an app describes its flow to the pipeline (`PipelineModule.forFlow(...)`). */
export interface FlowOptions {
  /** The flow's name: `ce_source` of its outcomes (`open-one-poweroffice/<flow>`), log and metric label. */
  flow: string;
  /** Contract topic keys the flow consumes, e.g. `['zReportClosed']`. */
  topics: TopicKey[];
  /** PowerOffice budget lane of live events (replays always use the `replay` lane). */
  lane: Lane;
  /** Consumer group; defaults to `<TOPIC_PREFIX>open-one-poweroffice.<flow>`. */
  groupId?: string;
  /** Prepended to every topic name; defaults to the app's TOPIC_PREFIX. */
  topicPrefix?: string;
  /** Partitions processed at the same time by one instance (kafkajs `partitionsConsumedConcurrently`). */
  partitionsConsumedConcurrently?: number;
  retry?: Partial<RetryPolicy>;
  /** A new consumer group starts at the oldest retained event, so nothing produced before its first start is missed. */
  fromBeginning?: boolean;
  /** Processed offsets are committed at the end of every batch and at least this often within one. */
  commitIntervalMs?: number;
  /** How often consumer lag is sampled for the metrics. */
  lagSampleIntervalMs?: number;
  sessionTimeoutMs?: number;
  relay?: Partial<OutboxRelayOptions>;
}

/** The flow with every default applied and every topic name resolved. */
export interface ResolvedFlow {
  flow: string;
  source: string;
  groupId: string;
  lane: Lane;
  topicPrefix: string;
  /** Full names of the consumed topics. */
  topics: string[];
  partitionsConsumedConcurrently: number;
  retry: RetryPolicy;
  fromBeginning: boolean;
  commitIntervalMs: number;
  lagSampleIntervalMs: number;
  sessionTimeoutMs: number;
  relay: OutboxRelayOptions;
}

export function resolveFlow(options: FlowOptions, defaultTopicPrefix = ''): ResolvedFlow {
  const topicPrefix = options.topicPrefix ?? defaultTopicPrefix;
  if (options.topics.length === 0) throw new Error(`pipeline: flow ${options.flow} consumes no topics`);
  return {
    flow: options.flow,
    source: `open-one-poweroffice/${options.flow}`,
    groupId: options.groupId ?? `${topicPrefix}open-one-poweroffice.${options.flow}`,
    lane: options.lane,
    topicPrefix,
    topics: [...new Set(options.topics)].map((key) => topicName(key, topicPrefix)),
    partitionsConsumedConcurrently: options.partitionsConsumedConcurrently ?? 3,
    retry: { ...DEFAULT_RETRY_POLICY, ...options.retry },
    fromBeginning: options.fromBeginning ?? true,
    commitIntervalMs: options.commitIntervalMs ?? 1000,
    lagSampleIntervalMs: options.lagSampleIntervalMs ?? 10_000,
    sessionTimeoutMs: options.sessionTimeoutMs ?? 30_000,
    relay: { ...DEFAULT_OUTBOX_RELAY_OPTIONS, ...options.relay },
  };
}

/** Every topic a flow reads or writes: its input topics, their dead-letter topics and its outcome topics. */
export function flowTopics(flow: Pick<ResolvedFlow, 'topics' | 'topicPrefix'>): string[] {
  const topics = new Set<string>();
  for (const topic of flow.topics) {
    topics.add(topic);
    topics.add(dlqTopic(topic));
    const type = posEventTypeOfTopic(topic, flow.topicPrefix);
    if (type) topics.add(topicName(POS_EVENT_TYPES[type].outcomeTopicKey, flow.topicPrefix));
  }
  return [...topics];
}

/** The same, for a flow described by the contract keys of the topics it consumes (tests, tools). */
export function flowTopicNames(topicKeys: readonly TopicKey[], topicPrefix: string): string[] {
  return flowTopics({ topics: topicKeys.map((key) => topicName(key, topicPrefix)), topicPrefix });
}

/** The full topic name an event type arrives on. */
export function topicOfEventType(type: EventType, topicPrefix: string): string {
  return topicName(EVENT_TOPIC_KEYS[type], topicPrefix);
}

/**
 * The POS event type a topic carries: what a record on it was meant to be, used to address the
 * failure outcome of a record too broken to say its own type.
 */
export function posEventTypeOfTopic(topic: string, topicPrefix: string): PosEventType | undefined {
  for (const [type, route] of Object.entries(POS_EVENT_TYPES) as [PosEventType, { topicKey: TopicKey }][]) {
    if (topicName(route.topicKey, topicPrefix) === topic) return type;
  }
  return undefined;
}
