import type { EntityManager } from 'typeorm';
import { encodeEnvelope, Envelope, EventType, topicKeyOf, topicName } from '@lib/contracts';
import { storeHeaders } from '../record';
import { enqueueRecords, OutboxRecord } from './outbox';

/** An outcome envelope as an outbox row on its contract topic (CloudEvents binary mode). */
export function outcomeOutboxRecord(outcome: Envelope, topicPrefix: string): OutboxRecord {
  const encoded = encodeEnvelope(outcome);
  return {
    topic: topicName(topicKeyOf(outcome.type as EventType), topicPrefix),
    key: encoded.key,
    value: encoded.value,
    headers: storeHeaders(encoded.headers),
  };
}

/**
 * For outcomes that are not the answer to a consumed event as it is delivered, e.g. the
 * SettlementPosted of a scheduled posting: queue them in the transaction that records the effect,
 * and nudge the relay after the commit (otherwise its next poll picks them up).
 */
export class OutcomeOutbox {
  constructor(
    private readonly topicPrefix: string,
    private readonly relay?: { nudge(): void },
  ) {}

  async add(tx: EntityManager, outcomes: readonly Envelope[]): Promise<void> {
    await enqueueRecords(
      tx,
      outcomes.map((o) => outcomeOutboxRecord(o, this.topicPrefix)),
    );
  }

  /** Call after the transaction of `add` has committed. */
  nudge(): void {
    this.relay?.nudge();
  }
}
