import { isUtf8 } from 'node:buffer';
import type { IHeaders, KafkaMessage } from 'kafkajs';

/** One Kafka record as the pipeline sees it, wherever it came from (live consumer, replay, DLQ). */
export interface SourceRecord {
  topic: string;
  partition: number;
  /** Kafka offsets are 64-bit; kept as the decimal string kafkajs gives. */
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: IHeaders;
  /** Milliseconds since the epoch, as a decimal string (kafkajs). */
  timestamp: string;
}

export function sourceRecord(topic: string, partition: number, message: KafkaMessage): SourceRecord {
  return {
    topic,
    partition,
    offset: message.offset,
    key: message.key ?? null,
    value: message.value ?? null,
    headers: message.headers ?? {},
    timestamp: message.timestamp,
  };
}

/** The first value of a header as text (kafkajs hands headers over as Buffers). */
export function headerText(headers: IHeaders | undefined, name: string): string | undefined {
  const raw = headers?.[name];
  const first = Array.isArray(raw) ? raw[0] : raw;
  if (first === undefined) return undefined;
  return Buffer.isBuffer(first) ? first.toString('utf8') : String(first);
}

/**
 * Headers as stored in the outbox's jsonb column: text where the bytes are UTF-8 (every header of
 * the contract), `{ base64 }` otherwise, so a dead letter carries a foreign record's headers back
 * byte for byte.
 */
export type StoredHeaderValue = string | { base64: string };
export type StoredHeaders = Record<string, StoredHeaderValue | StoredHeaderValue[]>;

// jsonb cannot hold U+0000, so text with NUL characters is kept as bytes too.
function storeValue(v: Buffer | string): StoredHeaderValue {
  const bytes = typeof v === 'string' ? Buffer.from(v, 'utf8') : v;
  return isUtf8(bytes) && !bytes.includes(0) ? bytes.toString('utf8') : { base64: bytes.toString('base64') };
}

function restoreValue(v: StoredHeaderValue): Buffer {
  return typeof v === 'string' ? Buffer.from(v, 'utf8') : Buffer.from(v.base64, 'base64');
}

export function storeHeaders(headers: IHeaders | Record<string, string> | undefined): StoredHeaders {
  const out: StoredHeaders = {};
  for (const [name, raw] of Object.entries(headers ?? {})) {
    if (raw === undefined) continue;
    out[name] = Array.isArray(raw) ? raw.map(storeValue) : storeValue(raw);
  }
  return out;
}

export function restoreHeaders(stored: StoredHeaders): IHeaders {
  const out: IHeaders = {};
  for (const [name, v] of Object.entries(stored)) out[name] = Array.isArray(v) ? v.map(restoreValue) : restoreValue(v);
  return out;
}
