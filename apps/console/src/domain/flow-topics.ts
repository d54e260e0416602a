import { TopicKey, TOPICS } from '@lib/contracts';
import { invalid } from './console-errors';

/**
 * Which flow consumes which POS topic: what a resync replays through, and where the dead letters
 * an operator redrives come from. Operators may name a topic by its contract key
 * (`customerChanged`), its name (`pos.customer-changed.v1`), the prefixed name, or the dead-letter
 * topic (`….dlq`).
 */
export type FlowName = 'customer-sync' | 'article-sync' | 'settlement' | 'invoice';

export const FLOW_OF_TOPIC: Readonly<Partial<Record<TopicKey, FlowName>>> = {
  customerChanged: 'customer-sync',
  articleChanged: 'article-sync',
  zReportClosed: 'settlement',
  invoicePosted: 'invoice',
};

/** The consumed POS topics, in the order a full resync runs them (customers and articles before the documents that use them). */
export const CONSUMED_TOPICS: readonly TopicKey[] = ['customerChanged', 'articleChanged', 'invoicePosted', 'zReportClosed'];

export function consumedTopicKey(input: string, topicPrefix: string): TopicKey {
  const name = input.trim().replace(/\.dlq$/, '');
  for (const key of CONSUMED_TOPICS) {
    const base = TOPICS[key];
    if (name === key || name === base || name === `${topicPrefix}${base}`) return key;
  }
  throw invalid(
    `"${input}" is not a topic the integration consumes; use one of ${CONSUMED_TOPICS.map((k) => `${k} (${TOPICS[k]})`).join(', ')}`,
    [{ field: 'topic', problem: `unknown topic "${input}"` }],
  );
}

/** The topics a resync covers, grouped by the flow that replays them, in {@link CONSUMED_TOPICS} order. */
export function resyncPlan(topics: readonly string[] | undefined, topicPrefix: string): { flow: FlowName; topics: TopicKey[] }[] {
  const keys = topics && topics.length > 0 ? [...new Set(topics.map((t) => consumedTopicKey(t, topicPrefix)))] : [...CONSUMED_TOPICS];
  const plan: { flow: FlowName; topics: TopicKey[] }[] = [];
  for (const key of CONSUMED_TOPICS) {
    if (!keys.includes(key)) continue;
    const flow = FLOW_OF_TOPIC[key]!;
    const step = plan.find((p) => p.flow === flow);
    if (step) step.topics.push(key);
    else plan.push({ flow, topics: [key] });
  }
  return plan;
}

/** `since` for a resync: an ISO 8601 time with a date, not in the future. */
export function parseSince(input: string, now: Date = new Date()): Date {
  const text = String(input ?? '').trim();
  const since = /^\d{4}-\d{2}-\d{2}/.test(text) ? new Date(text) : new Date(NaN);
  if (Number.isNaN(since.getTime())) {
    throw invalid(`since "${input}" is not an ISO 8601 time, e.g. 2025-03-01T00:00:00+01:00`, [
      { field: 'since', problem: 'must be an ISO 8601 time' },
    ]);
  }
  if (since.getTime() > now.getTime()) {
    throw invalid(`since ${since.toISOString()} is in the future; nothing would be replayed`, [
      { field: 'since', problem: 'must not be in the future' },
    ]);
  }
  return since;
}
