import type { Kafka } from 'kafkajs';
import { DEFAULT_RETRY_POLICY, FlowOptions, flowTopicNames, RetryPolicy } from '@lib/pipeline';
import { ensureTopics } from '@lib/platform';

/**
 * How long one delivery keeps trying before the till hears RETRIES_EXHAUSTED. The pipeline's
 * defaults (6 attempts within 2 minutes) cover PowerOffice's short throttles and blips; the handler
 * needs the attempt budget too, to stop waiting for a customer on the last attempt.
 */
export const INVOICE_RETRY_POLICY: RetryPolicy = { ...DEFAULT_RETRY_POLICY };

/** The invoice flow as the pipeline runs it: InvoicePosted in, API calls in the invoice lane (first priority). */
export const INVOICE_FLOW: FlowOptions = {
  flow: 'invoice',
  topics: ['invoicePosted'],
  lane: 'invoice',
  retry: INVOICE_RETRY_POLICY,
};

/**
 * The flow's topics, created when missing: on a fresh broker kafkajs refuses to subscribe to a topic
 * that does not exist yet ("This server does not host this topic-partition") and start-up fails.
 */
export async function ensureInvoiceTopics(kafka: Kafka, topicPrefix: string): Promise<void> {
  await ensureTopics(kafka, flowTopicNames(['invoicePosted'], topicPrefix));
}
