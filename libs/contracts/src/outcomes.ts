import { createHash, randomUUID } from 'node:crypto';
import { OutcomeError } from './errors';
import { Envelope } from './envelope';
import { EventDataByType, EventType, FailureOutcomeData, FailureOutcomeType, OutcomeType } from './events';
import { UUID_PATTERN, isCalendarDate, textProblem } from './rules';
import { entityFieldsFromEntityId, failureOutcomeTypeFor } from './topics';

/** RFC 4122 name-space ids (appendix C). */
export const DNS_NAMESPACE = '6ba7b810-9dad-11d1-80b4-00c04fd430c8';
export const URL_NAMESPACE = '6ba7b811-9dad-11d1-80b4-00c04fd430c8';

/**
 * The name space of this project's deterministic ids:
 * `uuidv5('urn:open-one-poweroffice:outcome-ids', URL_NAMESPACE)`, written out so it can
 * never drift (a unit test recomputes it). Changing it would change every outcome id.
 */
export const OUTCOME_NAMESPACE = '49c0cdfc-1b1a-5878-8ee4-cc85a04860d3';

/**
 * UUID version 5 (SHA-1, RFC 4122 §4.3): the same name in the same name space always gives the
 * same id. That makes an outcome's `ce_id` a function of its cause, so a retried or replayed cause
 * yields the very same outcome id and consumers de-duplicate it.
 */
export function uuidv5(name: string, namespace: string): string {
  if (!UUID_PATTERN.test(namespace))
    throw new TypeError(`uuidv5: namespace ${JSON.stringify(namespace)} is not a UUID`);
  const namespaceBytes = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  const hash = createHash('sha1').update(namespaceBytes).update(name, 'utf8').digest();
  const bytes = hash.subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x50; // version 5
  bytes[8] = (bytes[8] & 0x3f) | 0x80; // RFC 4122 variant
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The `ce_id` of the outcome `outcomeType` of the event `causeId`. The discriminator separates
 * several outcomes of one type for one cause (e.g. a re-schedule); the name is JSON so no choice
 * of ids can make two different triples collide.
 */
export function outcomeId(causeId: string, outcomeType: string, discriminator?: string): string {
  return uuidv5(JSON.stringify([causeId, outcomeType, discriminator ?? null]), OUTCOME_NAMESPACE);
}

/** `<tenantId>:<entityId>`: every record of one entity lands on one partition, in order. */
export function entityKey(tenantId: string, entityId: string): string {
  return `${tenantId}:${entityId}`;
}

/**
 * Splits a key into tenant and entity on the FIRST colon (tenant ids have none; entity ids may,
 * e.g. `reg1:42`). Null when either part is empty or there is no colon.
 */
export function parseKey(key: string): { tenantId: string; entityId: string } | null {
  const colon = key.indexOf(':');
  if (colon <= 0 || colon === key.length - 1) return null;
  return { tenantId: key.slice(0, colon), entityId: key.slice(colon + 1) };
}

/** What an outcome needs to know about its cause (an `Envelope` or a decode failure's `partial` qualifies). */
export interface OutcomeCause {
  id: string;
  tenantId: string;
  correlationId?: string;
  key: string;
}

/** Outcome data as the caller supplies it: `sourceEventId` and `tenantId` come from the cause. */
export type OutcomeDataInput<K extends OutcomeType> = Omit<EventDataByType[K], 'sourceEventId' | 'tenantId'> &
  Partial<Pick<EventDataByType[K], 'sourceEventId' | 'tenantId'>>;

/**
 * The outcome `type` of `cause`: deterministic id, `causationId` = the cause's id, the cause's key
 * (so the outcome stays in order with its entity) and correlation id, `time` = `now`.
 * `sourceEventId` and `tenantId` are filled in from the cause; passing different ones is a bug and throws.
 */
export function buildOutcome<K extends OutcomeType>(
  cause: OutcomeCause,
  type: K,
  data: OutcomeDataInput<K>,
  source: string,
  discriminator?: string,
  now: Date = new Date(),
): Envelope<EventDataByType[K]> & { type: K } {
  const given = data as { sourceEventId?: unknown; tenantId?: unknown };
  if (given.sourceEventId !== undefined && given.sourceEventId !== cause.id) {
    throw new TypeError(
      `buildOutcome(${type}): data.sourceEventId ${String(given.sourceEventId)} is not the cause id ${cause.id}`,
    );
  }
  if (given.tenantId !== undefined && given.tenantId !== cause.tenantId) {
    throw new TypeError(
      `buildOutcome(${type}): data.tenantId ${String(given.tenantId)} is not the cause tenant ${cause.tenantId}`,
    );
  }
  const envelope: Envelope<EventDataByType[K]> & { type: K } = {
    id: outcomeId(cause.id, type, discriminator),
    type,
    source,
    time: now.toISOString(),
    tenantId: cause.tenantId,
    key: cause.key,
    causationId: cause.id,
    data: { ...data, sourceEventId: cause.id, tenantId: cause.tenantId } as EventDataByType[K],
  };
  if (cause.correlationId !== undefined) envelope.correlationId = cause.correlationId;
  return envelope;
}

/** What a failure outcome may say beyond the entity ids, and how its id is told apart. */
export interface FailureOutcomeOptions {
  /** For SettlementFailed; left out unless it is a real date (it may be what was wrong). */
  businessDate?: string;
  /** For InvoiceRejected; left out unless it is a sane invoice number. */
  invoiceNumber?: string;
  /** As in {@link outcomeId}: separates a repeated failure (redrive, replay) from the first. */
  discriminator?: string;
}

/**
 * The failure outcome for a POS event of `causeType`, with the entity ids read back from the
 * cause's key (which works even when the event's data could not be read). Null when no failure
 * can be addressed (not a POS event type, or an entity the key does not reveal): dead-letter it.
 * The optional fields are taken only when valid, so the failure is always a valid outcome even
 * when it answers an invalid event.
 */
export function buildFailureOutcome(
  cause: OutcomeCause,
  causeType: string,
  error: OutcomeError,
  source: string,
  options: FailureOutcomeOptions = {},
  now: Date = new Date(),
): (Envelope<FailureOutcomeData> & { type: FailureOutcomeType }) | null {
  const failureType = failureOutcomeTypeFor(causeType);
  const separator = cause.key.indexOf(':');
  if (failureType === undefined || separator <= 0) return null;
  const entity = entityFieldsFromEntityId(causeType, cause.key.slice(separator + 1));
  if (entity === undefined) return null;
  const data: Record<string, unknown> = { ...entity };
  if (failureType === 'SettlementFailed' && isCalendarDate(options.businessDate))
    data.businessDate = options.businessDate;
  if (
    failureType === 'InvoiceRejected' &&
    typeof options.invoiceNumber === 'string' &&
    textProblem(options.invoiceNumber, { max: 50, nonBlank: true }) === undefined
  ) {
    data.invoiceNumber = options.invoiceNumber;
  }
  data.error = error;
  const outcome = buildOutcome(
    cause,
    failureType,
    data as unknown as OutcomeDataInput<typeof failureType>,
    source,
    options.discriminator,
    now,
  );
  return outcome as Envelope<FailureOutcomeData> & { type: FailureOutcomeType };
}

/**
 * A new event that is nobody's outcome: PowerOfficeCustomerChanged from polling, or POS events in
 * tests and tools. The id is random unless given.
 */
export function buildEvent<K extends EventType>(input: {
  type: K;
  tenantId: string;
  entityId: string;
  data: EventDataByType[K];
  source: string;
  id?: string;
  time?: Date | string;
  causationId?: string;
  correlationId?: string;
}): Envelope<EventDataByType[K]> & { type: K } {
  const time =
    input.time === undefined
      ? new Date().toISOString()
      : typeof input.time === 'string'
        ? input.time
        : input.time.toISOString();
  const envelope: Envelope<EventDataByType[K]> & { type: K } = {
    id: input.id ?? randomUUID(),
    type: input.type,
    source: input.source,
    time,
    tenantId: input.tenantId,
    key: entityKey(input.tenantId, input.entityId),
    data: input.data,
  };
  if (input.causationId !== undefined) envelope.causationId = input.causationId;
  if (input.correlationId !== undefined) envelope.correlationId = input.correlationId;
  return envelope;
}
