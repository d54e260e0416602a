import type { EventDataByType, EventType, FailureOutcomeType, PosEventType, SuccessOutcomeType } from './events';

/** Base topic names of shared/docs/contracts.md; a run or environment may prefix them. */
export const TOPICS = {
  customerChanged: 'pos.customer-changed.v1',
  articleChanged: 'pos.article-changed.v1',
  zReportClosed: 'pos.z-report-closed.v1',
  invoicePosted: 'pos.invoice-posted.v1',
  powerOfficeCustomerChanged: 'poweroffice.customer-changed.v1',
  customerSyncOutcomes: 'integration.customer-sync.outcomes.v1',
  articleSyncOutcomes: 'integration.article-sync.outcomes.v1',
  settlementOutcomes: 'integration.settlement.outcomes.v1',
  invoiceOutcomes: 'integration.invoice.outcomes.v1',
} as const;

export type TopicKey = keyof typeof TOPICS;

/** The topic to use for `key`; `prefix` isolates test runs and environments (e.g. `t123.`). */
export function topicName(key: TopicKey, prefix = ''): string {
  return `${prefix}${TOPICS[key]}`;
}

/** Dead letters of a topic live beside it (the full, possibly prefixed, name). */
export function dlqTopic(topic: string): string {
  return `${topic}.dlq`;
}

/** Headers a dead letter carries besides the original record's (as Kafka Connect does). */
export const DLQ_HEADERS = {
  originalTopic: 'dlq_original_topic',
  originalPartition: 'dlq_original_partition',
  originalOffset: 'dlq_original_offset',
  errorCode: 'dlq_error_code',
  errorMessage: 'dlq_error_message',
  attempts: 'dlq_attempts',
  failedAt: 'dlq_failed_at',
} as const;

/** The topic each event type travels on. */
export const EVENT_TOPIC_KEYS: { readonly [K in EventType]: TopicKey } = {
  CustomerChanged: 'customerChanged',
  ArticleChanged: 'articleChanged',
  ZReportClosed: 'zReportClosed',
  InvoicePosted: 'invoicePosted',
  PowerOfficeCustomerChanged: 'powerOfficeCustomerChanged',
  CustomerSynced: 'customerSyncOutcomes',
  CustomerSyncFailed: 'customerSyncOutcomes',
  ArticleSynced: 'articleSyncOutcomes',
  ArticleSyncFailed: 'articleSyncOutcomes',
  SettlementScheduled: 'settlementOutcomes',
  SettlementPosted: 'settlementOutcomes',
  SettlementFailed: 'settlementOutcomes',
  InvoiceTransferred: 'invoiceOutcomes',
  InvoiceRejected: 'invoiceOutcomes',
};

export function topicKeyOf(type: EventType): TopicKey {
  return EVENT_TOPIC_KEYS[type];
}

/** How one POS event type flows: where it arrives, where its outcomes go, what they are called. */
export interface PosEventRoute<K extends PosEventType> {
  topicKey: TopicKey;
  outcomeTopicKey: TopicKey;
  successTypes: readonly SuccessOutcomeType[];
  failureType: FailureOutcomeType;
  /** The key entity of the event (the part of the Kafka key after `<tenantId>:`). */
  entityId(data: EventDataByType[K]): string;
}

export const POS_EVENT_TYPES: { readonly [K in PosEventType]: PosEventRoute<K> } = {
  CustomerChanged: {
    topicKey: 'customerChanged',
    outcomeTopicKey: 'customerSyncOutcomes',
    successTypes: ['CustomerSynced'],
    failureType: 'CustomerSyncFailed',
    entityId: (d) => d.customerId,
  },
  ArticleChanged: {
    topicKey: 'articleChanged',
    outcomeTopicKey: 'articleSyncOutcomes',
    successTypes: ['ArticleSynced'],
    failureType: 'ArticleSyncFailed',
    entityId: (d) => d.articleId,
  },
  ZReportClosed: {
    topicKey: 'zReportClosed',
    outcomeTopicKey: 'settlementOutcomes',
    successTypes: ['SettlementScheduled', 'SettlementPosted'],
    failureType: 'SettlementFailed',
    entityId: (d) => zReportEntityId(d.registerId, d.zNumber),
  },
  InvoicePosted: {
    topicKey: 'invoicePosted',
    outcomeTopicKey: 'invoiceOutcomes',
    successTypes: ['InvoiceTransferred'],
    failureType: 'InvoiceRejected',
    entityId: (d) => d.invoiceId,
  },
};

/** One Z-report per register and Z number: `<registerId>:<zNumber>`. */
export function zReportEntityId(registerId: string, zNumber: number): string {
  return `${registerId}:${zNumber}`;
}

export function failureOutcomeTypeFor(eventType: PosEventType): FailureOutcomeType;
export function failureOutcomeTypeFor(eventType: string): FailureOutcomeType | undefined;
export function failureOutcomeTypeFor(eventType: string): FailureOutcomeType | undefined {
  return isRouted(eventType) ? POS_EVENT_TYPES[eventType].failureType : undefined;
}

export function outcomeTopicKeyFor(eventType: PosEventType): TopicKey;
export function outcomeTopicKeyFor(eventType: string): TopicKey | undefined;
export function outcomeTopicKeyFor(eventType: string): TopicKey | undefined {
  return isRouted(eventType) ? POS_EVENT_TYPES[eventType].outcomeTopicKey : undefined;
}

function isRouted(type: string): type is PosEventType {
  return Object.prototype.hasOwnProperty.call(POS_EVENT_TYPES, type);
}

/** Which entity field(s) name the key entity, per event type. */
type EntityShape = 'customer' | 'article' | 'zReport' | 'invoice' | 'powerOfficeCustomer';

const ENTITY_SHAPES: { readonly [K in EventType]: EntityShape } = {
  CustomerChanged: 'customer',
  CustomerSynced: 'customer',
  CustomerSyncFailed: 'customer',
  ArticleChanged: 'article',
  ArticleSynced: 'article',
  ArticleSyncFailed: 'article',
  ZReportClosed: 'zReport',
  SettlementScheduled: 'zReport',
  SettlementPosted: 'zReport',
  SettlementFailed: 'zReport',
  InvoicePosted: 'invoice',
  InvoiceTransferred: 'invoice',
  InvoiceRejected: 'invoice',
  PowerOfficeCustomerChanged: 'powerOfficeCustomer',
};

/**
 * The key entity of an event's data, per the topics table of contracts.md. Reads the data
 * defensively (it may come straight off the wire): undefined when the id fields are missing or
 * of the wrong type.
 */
export function entityIdOf<K extends EventType>(type: K, data: EventDataByType[K]): string;
export function entityIdOf(type: string, data: unknown): string | undefined;
export function entityIdOf(type: string, data: unknown): string | undefined {
  if (!Object.prototype.hasOwnProperty.call(ENTITY_SHAPES, type)) return undefined;
  if (typeof data !== 'object' || data === null) return undefined;
  const d = data as Record<string, unknown>;
  const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);
  switch (ENTITY_SHAPES[type as EventType]) {
    case 'customer':
      return str(d.customerId);
    case 'article':
      return str(d.articleId);
    case 'invoice':
      return str(d.invoiceId);
    case 'zReport': {
      const registerId = str(d.registerId);
      const zNumber = d.zNumber;
      return registerId !== undefined && typeof zNumber === 'number' && Number.isSafeInteger(zNumber)
        ? zReportEntityId(registerId, zNumber)
        : undefined;
    }
    case 'powerOfficeCustomer': {
      const po = d.powerOffice;
      if (typeof po !== 'object' || po === null) return undefined;
      const id = (po as Record<string, unknown>).customerId;
      return typeof id === 'number' && Number.isSafeInteger(id) ? String(id) : undefined;
    }
  }
}

/** The entity fields an outcome of `type` carries, read back from a key entity. */
export type EntityFields =
  { customerId: string } | { articleId: string } | { registerId: string; zNumber: number } | { invoiceId: string };

/**
 * The entity ids an outcome needs, recovered from the cause's key entity: what a failure outcome
 * can still say about an event whose data could not be read. For Z-reports the entity is
 * `<registerId>:<zNumber>` and register ids may hold ':' themselves, so it splits on the LAST colon.
 * Undefined when the entity cannot be read (e.g. a Z entity without a Z number).
 */
export function entityFieldsFromEntityId(type: string, entityId: string): EntityFields | undefined {
  if (!Object.prototype.hasOwnProperty.call(ENTITY_SHAPES, type) || entityId.length === 0) return undefined;
  switch (ENTITY_SHAPES[type as EventType]) {
    case 'customer':
      return { customerId: entityId };
    case 'article':
      return { articleId: entityId };
    case 'invoice':
      return { invoiceId: entityId };
    case 'zReport': {
      const colon = entityId.lastIndexOf(':');
      const registerId = entityId.slice(0, colon);
      const zText = entityId.slice(colon + 1);
      if (colon <= 0 || !/^[1-9]\d{0,15}$/.test(zText) || !Number.isSafeInteger(Number(zText))) return undefined;
      return { registerId, zNumber: Number(zText) };
    }
    case 'powerOfficeCustomer':
      return undefined;
  }
}
