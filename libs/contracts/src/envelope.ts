import { CloudEvent, Kafka } from 'cloudevents';
import { EventDataByType, EventType, isEventType, isOutcomeType } from './events';
import { clip, isRfc3339Time, isUuid, isValidTenantId, showValue, textProblem } from './rules';
import { entityIdOf } from './topics';
import { FieldProblem, InvalidEventError, invalidEventError, validateEventData } from './validation';

/**
 * An event as the services handle it: the CloudEvents attributes of contracts.md plus the data.
 * On the wire it is a Kafka record in CloudEvents binary content mode (see {@link encodeEnvelope}).
 */
export interface Envelope<T = unknown> {
  /** `ce_id`: a UUID, the idempotency key of the event. */
  id: string;
  type: string;
  /** Producer, e.g. `open-one` or `open-one-poweroffice/settlement`. */
  source: string;
  /** RFC 3339 time the event happened. */
  time: string;
  tenantId: string;
  /** Kafka key, `<tenantId>:<entityId>`. */
  key: string;
  /** On outcomes: the `ce_id` of the cause. */
  causationId?: string;
  correlationId?: string;
  data: T;
}

/** An envelope whose `type` tells its data apart (`if (env.type === 'ZReportClosed') env.data.zNumber`). */
export type EventEnvelope<K extends EventType = EventType> = {
  [P in K]: Envelope<EventDataByType[P]> & { type: P };
}[K];

/** What kafkajs hands a consumer (and what tests can fake). */
export interface KafkaMessageLike {
  key: Buffer | string | null;
  value: Buffer | string | null;
  headers?: Record<string, Buffer | string | (Buffer | string)[] | undefined>;
}

/** A record ready for kafkajs `producer.send({ messages: [record] })`. */
export interface EncodedRecord {
  key: string;
  value: string;
  headers: Record<string, string>;
}

/** Header names of the binding (CloudEvents 1.0 Kafka, binary mode, plus our extensions). */
export const CE_HEADERS = {
  specversion: 'ce_specversion',
  id: 'ce_id',
  type: 'ce_type',
  source: 'ce_source',
  time: 'ce_time',
  tenantId: 'ce_tenantid',
  causationId: 'ce_causationid',
  correlationId: 'ce_correlationid',
  contentType: 'content-type',
} as const;

export const JSON_CONTENT_TYPE = 'application/json';
/** Records above this are refused before parsing; a Z-report or invoice is a few kB. */
export const MAX_EVENT_BYTES = 1024 * 1024;
const MAX_HEADER_LENGTH = 200;
/** Tenant (64) + ':' + entity (a Z-report's `<registerId>:<zNumber>` is the longest). */
const MAX_KEY_LENGTH = 300;

/**
 * The Kafka record of an envelope, in CloudEvents 1.0 Kafka binary content mode. The `cloudevents`
 * package does the binding; the extension attributes are spelled `tenantid`, `causationid`,
 * `correlationid` because CloudEvents attribute names must be lower-case alphanumerics.
 * Throws (a programming error) when the envelope is not a valid CloudEvent.
 */
export function encodeEnvelope(env: Envelope): EncodedRecord {
  // A key of another tenant would put the record in the wrong order and fail every consumer.
  if (!env.key.startsWith(`${env.tenantId}:`)) {
    throw new TypeError(
      `encodeEnvelope(${env.type}): key ${JSON.stringify(env.key)} is not <tenantId>:<entityId> for tenant ${env.tenantId}`,
    );
  }
  const attributes: Record<string, unknown> = {
    specversion: '1.0',
    id: env.id,
    type: env.type,
    source: env.source,
    time: env.time,
    datacontenttype: JSON_CONTENT_TYPE,
    tenantid: env.tenantId,
    // The binding maps `partitionkey` to the record key.
    partitionkey: env.key,
    data: env.data,
  };
  if (env.causationId !== undefined) attributes.causationid = env.causationId;
  if (env.correlationId !== undefined) attributes.correlationid = env.correlationId;
  const message = Kafka.binary(new CloudEvent(attributes));

  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers)) {
    // The binding also emits unset optional attributes, and echoes datacontenttype and
    // partitionkey, which binary mode already carries as content-type and the key.
    if (value === undefined || value === null || name === 'ce_datacontenttype' || name === 'ce_partitionkey') continue;
    headers[name] = String(value);
  }
  return { key: String(message.key), value: JSON.stringify(env.data), headers };
}

/** As much as could be read from a record that failed: enough to address a failure outcome. */
export interface PartialEnvelope {
  id?: string;
  type?: EventType;
  tenantId?: string;
  key?: string;
  entityId?: string;
  correlationId?: string;
}

export type DecodeResult<K extends EventType = EventType> =
  { ok: true; envelope: EventEnvelope<K> } | { ok: false; error: InvalidEventError; partial: PartialEnvelope };

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Reads a Kafka record as an event of the contract. Never throws: either the envelope, or an
 * INVALID_EVENT error listing EVERY problem (headers, key, value, data fields) with whatever could
 * still be read (`partial`) so the failure can be answered to the right tenant and entity.
 *
 * `expectedTypes` are the types the consumer handles; a known type outside them is a problem too.
 */
export function decodeEvent<K extends EventType>(msg: KafkaMessageLike, expectedTypes: readonly K[]): DecodeResult<K>;
export function decodeEvent(msg: KafkaMessageLike, expectedTypes?: readonly string[]): DecodeResult;
export function decodeEvent(msg: KafkaMessageLike, expectedTypes?: readonly string[]): DecodeResult {
  const problems: FieldProblem[] = [];
  const partial: PartialEnvelope = {};
  let subject = 'Event';
  try {
    const headers = readHeaders(msg?.headers, problems);
    /** The header's text; undefined when absent (reported here) or unreadable (reported already). */
    const required = (name: string): string | undefined => {
      const value = headers.get(name);
      if (value === undefined) problems.push({ field: `header ${name}`, problem: 'is missing' });
      return value ?? undefined;
    };
    const optionalHeader = (name: string): string | undefined => headers.get(name) ?? undefined;

    // --- attributes
    const specversion = required(CE_HEADERS.specversion);
    if (specversion !== undefined && specversion !== '1.0') {
      problems.push({ field: `header ${CE_HEADERS.specversion}`, problem: `${showValue(specversion)} is not 1.0` });
    }

    const id = required(CE_HEADERS.id);
    if (id !== undefined) {
      if (!isUuid(id)) problems.push({ field: `header ${CE_HEADERS.id}`, problem: `${showValue(id)} is not a UUID` });
      if (isPrintableId(id)) partial.id = id;
    }

    const type = required(CE_HEADERS.type);
    if (type !== undefined) {
      if (!isEventType(type)) {
        problems.push({ field: `header ${CE_HEADERS.type}`, problem: `${showValue(type)} is not a known event type` });
      } else {
        partial.type = type;
        subject = type;
        if (expectedTypes !== undefined && !expectedTypes.includes(type)) {
          problems.push({
            field: `header ${CE_HEADERS.type}`,
            problem: `${showValue(type)} is not expected here (expected ${expectedTypes.join(', ') || 'nothing'})`,
          });
        }
      }
    }

    const source = required(CE_HEADERS.source);
    if (source !== undefined) headerTextProblem(CE_HEADERS.source, source, problems);

    const time = required(CE_HEADERS.time);
    if (time !== undefined && !isRfc3339Time(time)) {
      problems.push({
        field: `header ${CE_HEADERS.time}`,
        problem: `${showValue(time)} is not an RFC 3339 time with offset`,
      });
    }

    const tenantId = required(CE_HEADERS.tenantId);
    if (tenantId !== undefined) {
      if (isValidTenantId(tenantId)) partial.tenantId = tenantId;
      else {
        problems.push({
          field: `header ${CE_HEADERS.tenantId}`,
          problem: `${showValue(tenantId)} is not a tenant id (letters, digits, '_', '.', '-'; at most 64)`,
        });
      }
    }

    const causationId = optionalHeader(CE_HEADERS.causationId);
    if (causationId !== undefined) headerTextProblem(CE_HEADERS.causationId, causationId, problems);
    else if (isOutcomeType(type) && !headers.has(CE_HEADERS.causationId)) {
      problems.push({ field: `header ${CE_HEADERS.causationId}`, problem: 'is missing (required on outcomes)' });
    }

    const correlationId = optionalHeader(CE_HEADERS.correlationId);
    if (correlationId !== undefined && !headerTextProblem(CE_HEADERS.correlationId, correlationId, problems)) {
      partial.correlationId = correlationId;
    }

    // A missing content-type is read as JSON (the contract has no other); a different one is refused.
    const contentType = optionalHeader(CE_HEADERS.contentType);
    if (contentType !== undefined && contentType.split(';')[0].trim().toLowerCase() !== JSON_CONTENT_TYPE) {
      problems.push({
        field: `header ${CE_HEADERS.contentType}`,
        problem: `${showValue(contentType)} is not ${JSON_CONTENT_TYPE}`,
      });
    }

    // --- key
    const key = readKey(msg?.key, problems);
    let keyEntity: string | undefined;
    if (key !== undefined) {
      partial.key = key;
      const colon = key.indexOf(':');
      if (colon <= 0 || colon === key.length - 1) {
        problems.push({ field: 'key', problem: `${showValue(key)} is not <tenantId>:<entityId>` });
      } else {
        const keyTenant = key.slice(0, colon);
        keyEntity = key.slice(colon + 1);
        partial.entityId = keyEntity;
        if (tenantId !== undefined && keyTenant !== tenantId) {
          problems.push({
            field: 'key',
            problem: `tenant ${showValue(keyTenant)} does not match header ${CE_HEADERS.tenantId} ${showValue(tenantId)}`,
          });
        } else if (partial.tenantId === undefined && !headers.has(CE_HEADERS.tenantId) && isValidTenantId(keyTenant)) {
          // Only when the header is absent: a header with a bad tenant id must not be overruled.
          partial.tenantId = keyTenant;
        }
      }
    }

    // --- value
    const value = readValue(msg?.value, problems);

    if (value !== undefined && partial.type !== undefined) {
      problems.push(...validateEventData(partial.type, value.data));
      const dataEntity = entityIdOf(partial.type, value.data);
      if (keyEntity !== undefined && dataEntity !== undefined && keyEntity !== dataEntity) {
        problems.push({
          field: 'key',
          problem: `entity ${showValue(keyEntity)} does not match ${showValue(dataEntity)} in the data`,
        });
      }
      if (partial.entityId === undefined && dataEntity !== undefined && isPrintableId(dataEntity))
        partial.entityId = dataEntity;
      const sourceEventId = value.data.sourceEventId;
      if (causationId !== undefined && typeof sourceEventId === 'string' && sourceEventId !== causationId) {
        problems.push({
          field: 'sourceEventId',
          problem: `${showValue(sourceEventId)} does not match header ${CE_HEADERS.causationId} ${showValue(causationId)}`,
        });
      }
    }

    if (problems.length === 0 && key !== undefined && value !== undefined) {
      const envelope = toEnvelope(headers, key, value);
      if (envelope) return { ok: true, envelope };
      problems.push({ field: 'value', problem: 'could not be read as a CloudEvent' });
    }
  } catch (err) {
    // Nothing above should throw; if it does, the record is still answered, not crashed on.
    problems.push({
      field: 'value',
      problem: `could not be decoded (${err instanceof Error ? clip(err.message, 200) : 'unknown error'})`,
    });
  }
  return { ok: false, error: invalidEventError(subject, problems), partial };
}

/**
 * The contract's headers by lower-cased name. `null` marks a header that is present but unusable
 * (not UTF-8, or repeated); its problem is reported here so it is not also called "missing".
 */
function readHeaders(raw: KafkaMessageLike['headers'], problems: FieldProblem[]): Map<string, string | null> {
  const wanted = new Set<string>(Object.values(CE_HEADERS));
  const seen = new Map<string, Array<string | null>>();
  for (const [name, value] of Object.entries(raw ?? {})) {
    const lower = name.toLowerCase();
    if (!wanted.has(lower) || value === undefined || value === null) continue;
    const texts = seen.get(lower) ?? [];
    for (const v of Array.isArray(value) ? value : [value]) {
      if (v === undefined || v === null) continue;
      const text = typeof v === 'string' ? v : decodeUtf8(v);
      if (text === undefined) problems.push({ field: `header ${lower}`, problem: 'is not valid UTF-8' });
      texts.push(text ?? null);
    }
    seen.set(lower, texts);
  }
  const headers = new Map<string, string | null>();
  for (const [name, texts] of seen) {
    if (texts.length === 0) continue;
    if (texts.length > 1) {
      problems.push({ field: `header ${name}`, problem: `appears ${texts.length} times` });
      headers.set(name, null);
    } else headers.set(name, texts[0]);
  }
  return headers;
}

/** Adds a problem for a free-text header (source, causation/correlation id); true if one was added. */
function headerTextProblem(name: string, value: string, problems: FieldProblem[]): boolean {
  const problem = textProblem(value, { max: MAX_HEADER_LENGTH, nonBlank: true });
  if (problem) problems.push({ field: `header ${name}`, problem });
  return problem !== undefined;
}

function readKey(raw: KafkaMessageLike['key'], problems: FieldProblem[]): string | undefined {
  if (raw === null || raw === undefined) {
    problems.push({ field: 'key', problem: 'is missing (expected <tenantId>:<entityId>)' });
    return undefined;
  }
  const key = typeof raw === 'string' ? raw : decodeUtf8(raw);
  if (key === undefined) {
    problems.push({ field: 'key', problem: 'is not valid UTF-8' });
    return undefined;
  }
  const problem = textProblem(key, { max: MAX_KEY_LENGTH });
  if (problem !== undefined) {
    problems.push({ field: 'key', problem });
    return undefined;
  }
  return key;
}

function readValue(
  raw: KafkaMessageLike['value'],
  problems: FieldProblem[],
): { text: string; data: Record<string, unknown> } | undefined {
  if (raw === null || raw === undefined) {
    problems.push({ field: 'value', problem: 'is missing (no event data)' });
    return undefined;
  }
  const bytes = typeof raw === 'string' ? Buffer.byteLength(raw, 'utf8') : raw.length;
  if (bytes > MAX_EVENT_BYTES) {
    problems.push({ field: 'value', problem: `is larger than 1 MiB (${bytes} bytes)` });
    return undefined;
  }
  const text = typeof raw === 'string' ? raw : decodeUtf8(raw);
  if (text === undefined) {
    problems.push({ field: 'value', problem: 'is not valid UTF-8' });
    return undefined;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    problems.push({ field: 'value', problem: 'is not valid JSON' });
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    problems.push({ field: 'value', problem: `must be a JSON object (got ${showValue(parsed)})` });
    return undefined;
  }
  return { text, data: parsed as Record<string, unknown> };
}

function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
}

/** Safe to repeat in a failure outcome, a log line or an SQL parameter. */
function isPrintableId(value: string, max = 200): boolean {
  return value.length > 0 && textProblem(value, { max }) === undefined;
}

/**
 * Maps checked headers and data to an envelope through the `cloudevents` Kafka binding. Only the
 * headers of the contract are handed over, so unrelated `ce_*` headers cannot smuggle attributes in.
 */
function toEnvelope(
  headers: Map<string, string | null>,
  key: string,
  value: { text: string; data: Record<string, unknown> },
): EventEnvelope | undefined {
  const bindingHeaders: Record<string, string> = {};
  for (const [name, text] of headers) if (text !== null) bindingHeaders[name] = text;
  bindingHeaders[CE_HEADERS.contentType] = JSON_CONTENT_TYPE;
  const event = Kafka.toEvent({ key, value: value.text, headers: bindingHeaders, body: undefined } as Parameters<
    typeof Kafka.toEvent
  >[0]);
  if (Array.isArray(event)) return undefined;
  const attrs = event as unknown as Record<string, unknown>;
  const envelope: Envelope<unknown> = {
    id: String(attrs.id),
    type: String(attrs.type),
    source: String(attrs.source),
    time: String(attrs.time),
    tenantId: String(attrs.tenantid),
    key,
    // Our own parse of the same text: the binding's copy would do too, this one is already checked.
    data: value.data,
  };
  if (typeof attrs.causationid === 'string') envelope.causationId = attrs.causationid;
  if (typeof attrs.correlationid === 'string') envelope.correlationId = attrs.correlationid;
  return envelope as EventEnvelope;
}
