import { dlqTopic, DLQ_HEADERS, OutcomeError } from '@lib/contracts';
import type { OutboxRecord } from '../outbox/outbox';
import { SourceRecord, storeHeaders } from '../record';

/**
 * Not in the contract's list (that one follows Kafka Connect), added beside it: which consumer
 * group parked the record, so the tools can tell whether that group has since processed it.
 */
export const DLQ_CONSUMER_GROUP_HEADER = 'dlq_consumer_group';

const DLQ_HEADER_NAMES = new Set<string>([...Object.values(DLQ_HEADERS), DLQ_CONSUMER_GROUP_HEADER]);

/** True for the headers a dead letter adds (they are dropped again when it is redriven). */
/**
 * Marks a record the operator sent back from the dead-letter topic. Only such a record may run an
 * event that already failed once again: the same event arriving again any other way (the producer
 * sending it twice) is a duplicate and keeps its one final outcome.
 */
export const REDRIVE_HEADER = 'pipeline_redrive';

export function isDeadLetterHeader(name: string): boolean {
  return DLQ_HEADER_NAMES.has(name);
}

/**
 * The dead letter of a record: the original key, value and headers byte for byte, on
 * `<topic>.dlq`, plus why and where it failed. It travels through the outbox in the transaction
 * that records the failure, so a failure is never recorded without its dead letter or vice versa.
 */
export function deadLetterRecord(
  record: SourceRecord,
  error: OutcomeError,
  attempts: number,
  failedAt: Date,
  consumerGroup: string,
): OutboxRecord {
  const original = Object.fromEntries(Object.entries(record.headers).filter(([name]) => !isDeadLetterHeader(name)));
  const headers = storeHeaders({
    ...original,
    [DLQ_HEADERS.originalTopic]: record.topic,
    [DLQ_HEADERS.originalPartition]: String(record.partition),
    [DLQ_HEADERS.originalOffset]: record.offset,
    [DLQ_HEADERS.errorCode]: error.code,
    [DLQ_HEADERS.errorMessage]: error.message,
    [DLQ_HEADERS.attempts]: String(attempts),
    [DLQ_HEADERS.failedAt]: failedAt.toISOString(),
    [DLQ_CONSUMER_GROUP_HEADER]: consumerGroup,
  });
  return { topic: dlqTopic(record.topic), key: record.key, value: record.value, headers };
}
