import { DLQ_HEADERS } from '@lib/contracts';
import { restoreHeaders, SourceRecord, storeHeaders } from '../record';
import { DLQ_CONSUMER_GROUP_HEADER, deadLetterRecord } from './dead-letter';

const record: SourceRecord = {
  topic: 'p.pos.customer-changed.v1',
  partition: 2,
  offset: '41',
  key: Buffer.from('t1:c1'),
  value: Buffer.from([0xff, 0xfe, 0x00, 0x7b]), // not UTF-8, not JSON: kept byte for byte
  headers: { ce_id: Buffer.from('id-1'), odd: Buffer.from([0xc3, 0x28]), [DLQ_HEADERS.errorCode]: Buffer.from('OLD') },
  timestamp: '1700000000000',
};

describe('deadLetterRecord', () => {
  const failedAt = new Date('2026-01-02T03:04:05.000Z');
  const dl = deadLetterRecord(
    record,
    { code: 'INVALID_EVENT', message: 'value is not valid JSON', retryable: false },
    1,
    failedAt,
    'g1',
  );

  it('goes to <topic>.dlq with the original key and value bytes', () => {
    expect(dl.topic).toBe('p.pos.customer-changed.v1.dlq');
    expect(dl.key).toEqual(record.key);
    expect(Buffer.compare(dl.value as Buffer, record.value as Buffer)).toBe(0);
  });

  it('keeps the original headers (binary ones too) and adds the dead-letter headers, replacing old ones', () => {
    const headers = restoreHeaders(dl.headers);
    expect(headers.ce_id).toEqual(Buffer.from('id-1'));
    expect(headers.odd).toEqual(Buffer.from([0xc3, 0x28]));
    const text = (name: string) => (headers[name] as Buffer).toString('utf8');
    expect(text(DLQ_HEADERS.originalTopic)).toBe('p.pos.customer-changed.v1');
    expect(text(DLQ_HEADERS.originalPartition)).toBe('2');
    expect(text(DLQ_HEADERS.originalOffset)).toBe('41');
    expect(text(DLQ_HEADERS.errorCode)).toBe('INVALID_EVENT');
    expect(text(DLQ_HEADERS.errorMessage)).toBe('value is not valid JSON');
    expect(text(DLQ_HEADERS.attempts)).toBe('1');
    expect(text(DLQ_HEADERS.failedAt)).toBe('2026-01-02T03:04:05.000Z');
    expect(text(DLQ_CONSUMER_GROUP_HEADER)).toBe('g1');
  });
});

describe('stored headers', () => {
  it('round-trip text, binary and repeated values', () => {
    const original = { a: Buffer.from('x'), b: [Buffer.from('1'), Buffer.from([0x80])], c: 'plain' };
    const stored = JSON.parse(JSON.stringify(storeHeaders(original)));
    expect(stored).toEqual({ a: 'x', b: ['1', { base64: 'gA==' }], c: 'plain' });
    expect(restoreHeaders(stored)).toEqual({
      a: Buffer.from('x'),
      b: [Buffer.from('1'), Buffer.from([0x80])],
      c: Buffer.from('plain'),
    });
  });
});
