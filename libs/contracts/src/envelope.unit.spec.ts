import {
  DecodeResult,
  EncodedRecord,
  EventType,
  KafkaMessageLike,
  MAX_EVENT_BYTES,
  articleChangedExample,
  buildEvent,
  buildOutcome,
  customerChangedExample,
  decodeEvent,
  encodeEnvelope,
  invoicePostedExample,
  powerOfficeCustomerChangedExample,
  zReportExample81,
  zReportExample82,
} from './index';

/** Headers and data these tests corrupt on purpose; their shape is whatever the case needs. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Wire = any;

const eventId = '9f1c1a52-3c1e-4a55-a6a6-1b2f0b8f2f11';

function zReportEnvelope() {
  return buildEvent({
    type: 'ZReportClosed',
    tenantId: 'acme',
    entityId: 'reg1:42',
    data: zReportExample82,
    source: 'open-one',
    id: eventId,
    time: '2026-03-14T22:06:00+01:00',
    correlationId: 'corr-1',
  });
}

/** A record as kafkajs delivers it: every part as bytes. */
function asConsumed(record: EncodedRecord): KafkaMessageLike {
  const headers: Record<string, Buffer> = {};
  for (const [name, value] of Object.entries(record.headers)) headers[name] = Buffer.from(value, 'utf8');
  return { key: Buffer.from(record.key, 'utf8'), value: Buffer.from(record.value, 'utf8'), headers };
}

function validRecord(): KafkaMessageLike {
  return asConsumed(encodeEnvelope(zReportEnvelope()));
}

function withHeaders(msg: KafkaMessageLike, change: (h: Record<string, Wire>) => void): KafkaMessageLike {
  const headers = { ...msg.headers };
  change(headers);
  return { ...msg, headers };
}

function failure(result: DecodeResult) {
  if (result.ok) throw new Error(`expected a failure, got ${result.envelope.type}`);
  return result;
}

function problemFor(result: DecodeResult, field: string): string | undefined {
  return failure(result).error.details.find((p) => p.field === field)?.problem;
}

describe('encodeEnvelope', () => {
  it('writes CloudEvents 1.0 Kafka binary mode: ce_* headers, content-type, key and JSON value', () => {
    const record = encodeEnvelope({ ...zReportEnvelope(), causationId: 'cause-1' });
    expect(record.headers).toEqual({
      ce_specversion: '1.0',
      ce_id: eventId,
      ce_type: 'ZReportClosed',
      ce_source: 'open-one',
      ce_time: '2026-03-14T22:06:00+01:00',
      ce_tenantid: 'acme',
      ce_causationid: 'cause-1',
      ce_correlationid: 'corr-1',
      'content-type': 'application/json',
    });
    expect(record.key).toBe('acme:reg1:42');
    expect(JSON.parse(record.value)).toEqual(zReportExample82);
  });

  it('leaves out optional attributes that are not set', () => {
    const env = buildEvent({
      type: 'CustomerChanged',
      tenantId: 'acme',
      entityId: 'c-1001',
      data: customerChangedExample,
      source: 'open-one',
    });
    const headers = Object.keys(encodeEnvelope(env).headers).sort();
    expect(headers).toEqual([
      'ce_id',
      'ce_source',
      'ce_specversion',
      'ce_tenantid',
      'ce_time',
      'ce_type',
      'content-type',
    ]);
  });

  it('refuses a key of another tenant (a bug, not data)', () => {
    expect(() => encodeEnvelope({ ...zReportEnvelope(), key: 'other:reg1:42' })).toThrow(
      /is not <tenantId>:<entityId> for tenant acme/,
    );
  });

  it('refuses an envelope that is no CloudEvent (bad time)', () => {
    expect(() => encodeEnvelope({ ...zReportEnvelope(), time: 'yesterday' })).toThrow();
  });
});

describe('decodeEvent round trip', () => {
  const examples: Array<[EventType, string, object]> = [
    ['CustomerChanged', 'c-1001', customerChangedExample],
    ['ArticleChanged', 'a-2001', articleChangedExample],
    ['ZReportClosed', '11.222-33.44.567:1', zReportExample81],
    ['ZReportClosed', 'reg1:42', zReportExample82],
    ['InvoicePosted', 'inv-5001', invoicePostedExample],
    ['PowerOfficeCustomerChanged', '7340012', powerOfficeCustomerChangedExample],
  ];

  it.each(examples)('%s %s survives encode → bytes → decode', (type, entityId, data) => {
    const env = buildEvent({
      type,
      tenantId: 'acme',
      entityId,
      data: data as never,
      source: 'open-one',
      id: eventId,
      time: '2026-03-14T22:06:00+01:00',
    });
    const result = decodeEvent(asConsumed(encodeEnvelope(env)));
    if (!result.ok) throw new Error(result.error.message);
    expect(result.envelope).toMatchObject({
      id: eventId,
      type,
      source: 'open-one',
      tenantId: 'acme',
      key: `acme:${entityId}`,
      data,
    });
    // The binding normalises the time to UTC; the instant is the same.
    expect(Date.parse(result.envelope.time)).toBe(Date.parse('2026-03-14T22:06:00+01:00'));
  });

  it('decodes string keys, values and headers too', () => {
    const result = decodeEvent(encodeEnvelope(zReportEnvelope()));
    expect(result.ok).toBe(true);
  });

  it('keeps correlation and causation ids of an outcome', () => {
    const cause = zReportEnvelope();
    const outcome = buildOutcome(
      cause,
      'SettlementScheduled',
      { registerId: 'reg1', zNumber: 42, businessDate: '2026-03-14', postAt: '2026-03-15T03:00:00+01:00' },
      'open-one-poweroffice/settlement',
      undefined,
      new Date('2026-03-14T21:06:01Z'),
    );
    const result = decodeEvent(asConsumed(encodeEnvelope(outcome)), [
      'SettlementScheduled',
      'SettlementPosted',
      'SettlementFailed',
    ]);
    if (!result.ok) throw new Error(result.error.message);
    expect(result.envelope).toEqual(outcome);
    if (result.envelope.type === 'SettlementScheduled')
      expect(result.envelope.data.postAt).toBe('2026-03-15T03:00:00+01:00');
  });

  it('passes unknown data fields through untouched', () => {
    const env = { ...zReportEnvelope(), data: { ...zReportExample82, operatorId: 'emp-7' } };
    const result = decodeEvent(asConsumed(encodeEnvelope(env)));
    if (!result.ok) throw new Error(result.error.message);
    expect((result.envelope.data as unknown as Record<string, unknown>).operatorId).toBe('emp-7');
  });

  it('ignores unrelated headers (tracing, dead-letter bookkeeping)', () => {
    const msg = withHeaders(validRecord(), (h) => {
      h.traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
      h.dlq_attempts = '3';
      h.ce_subject = 'whatever';
    });
    expect(decodeEvent(msg).ok).toBe(true);
  });
});

describe('decodeEvent on malformed records', () => {
  it('reports bad JSON', () => {
    const result = decodeEvent({ ...validRecord(), value: Buffer.from('{"registerId": "reg1",') });
    expect(problemFor(result, 'value')).toBe('is not valid JSON');
  });

  it('reports invalid UTF-8 bytes in the value', () => {
    const bytes = Buffer.concat([Buffer.from('{"registerId":"reg'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]);
    const result = decodeEvent({ ...validRecord(), value: bytes });
    expect(problemFor(result, 'value')).toBe('is not valid UTF-8');
  });

  it('reports invalid UTF-8 in a header and in the key without calling them missing', () => {
    const msg = withHeaders(validRecord(), (h) => (h.ce_source = Buffer.from([0xff, 0xfe])));
    const result = decodeEvent({ ...msg, key: Buffer.from([0x61, 0x3a, 0xed, 0xa0, 0x80]) });
    expect(failure(result).error.details).toEqual(
      expect.arrayContaining([
        { field: 'header ce_source', problem: 'is not valid UTF-8' },
        { field: 'key', problem: 'is not valid UTF-8' },
      ]),
    );
    expect(failure(result).error.details.filter((p) => p.problem === 'is missing')).toEqual([]);
  });

  it('reports JSON that is not an object', () => {
    expect(problemFor(decodeEvent({ ...validRecord(), value: '[1,2]' }), 'value')).toBe(
      'must be a JSON object (got an array of 2)',
    );
    expect(problemFor(decodeEvent({ ...validRecord(), value: '"text"' }), 'value')).toBe(
      'must be a JSON object (got "text")',
    );
  });

  it('reports a missing value (tombstone)', () => {
    expect(problemFor(decodeEvent({ ...validRecord(), value: null }), 'value')).toMatch(/is missing/);
  });

  it('refuses values over 1 MiB before parsing them', () => {
    const big = Buffer.alloc(MAX_EVENT_BYTES + 1, 0x20);
    expect(problemFor(decodeEvent({ ...validRecord(), value: big }), 'value')).toBe(
      `is larger than 1 MiB (${MAX_EVENT_BYTES + 1} bytes)`,
    );
  });

  it('reports every missing header at once', () => {
    const result = decodeEvent({ ...validRecord(), headers: {} });
    const fields = failure(result).error.details.map((p) => p.field);
    expect(fields).toEqual(
      expect.arrayContaining([
        'header ce_specversion',
        'header ce_id',
        'header ce_type',
        'header ce_source',
        'header ce_time',
        'header ce_tenantid',
      ]),
    );
  });

  it('handles a record without headers at all', () => {
    const result = decodeEvent({ key: null, value: null });
    expect(failure(result).error.details.length).toBeGreaterThanOrEqual(8);
  });

  it('reports an id that is not a UUID, but keeps it in partial', () => {
    const result = decodeEvent(withHeaders(validRecord(), (h) => (h.ce_id = 'evt-42')));
    expect(problemFor(result, 'header ce_id')).toBe('"evt-42" is not a UUID');
    expect(failure(result).partial.id).toBe('evt-42');
  });

  it('reports an unknown type and a type the consumer does not expect', () => {
    expect(
      problemFor(decodeEvent(withHeaders(validRecord(), (h) => (h.ce_type = 'ZReportOpened'))), 'header ce_type'),
    ).toBe('"ZReportOpened" is not a known event type');
    expect(problemFor(decodeEvent(validRecord(), ['CustomerChanged']), 'header ce_type')).toBe(
      '"ZReportClosed" is not expected here (expected CustomerChanged)',
    );
  });

  it('reports a time without offset and a wrong spec version', () => {
    const msg = withHeaders(validRecord(), (h) => {
      h.ce_time = '2026-03-14T22:06:00';
      h.ce_specversion = '0.3';
    });
    const result = decodeEvent(msg);
    expect(problemFor(result, 'header ce_time')).toBe('"2026-03-14T22:06:00" is not an RFC 3339 time with offset');
    expect(problemFor(result, 'header ce_specversion')).toBe('"0.3" is not 1.0');
  });

  it('reports a repeated header instead of picking one', () => {
    const result = decodeEvent(
      withHeaders(validRecord(), (h) => (h.ce_tenantid = [Buffer.from('acme'), Buffer.from('evil')])),
    );
    expect(problemFor(result, 'header ce_tenantid')).toBe('appears 2 times');
  });

  it('reports a content type other than JSON', () => {
    const result = decodeEvent(withHeaders(validRecord(), (h) => (h['content-type'] = 'application/xml')));
    expect(problemFor(result, 'header content-type')).toBe('"application/xml" is not application/json');
  });

  it('accepts a JSON content type with parameters and header names in other case', () => {
    const msg = withHeaders(validRecord(), (h) => {
      delete h['content-type'];
      h['Content-Type'] = 'application/json; charset=utf-8';
    });
    expect(decodeEvent(msg).ok).toBe(true);
  });

  it.each([
    ['no key', null, /is missing/],
    ['no colon', 'acme', /"acme" is not <tenantId>:<entityId>/],
    ['empty entity', 'acme:', /is not <tenantId>:<entityId>/],
    ['empty tenant', ':reg1:42', /is not <tenantId>:<entityId>/],
    ['other tenant', 'other:reg1:42', /tenant "other" does not match header ce_tenantid "acme"/],
    ['other entity', 'acme:reg1:41', /entity "reg1:41" does not match "reg1:42" in the data/],
    ['line break', 'acme:reg1:42\r\nX: 1', /one line/],
  ])('reports a wrong key: %s', (_case, key, expected) => {
    expect(problemFor(decodeEvent({ ...validRecord(), key }), 'key')).toMatch(expected);
  });

  it('reports field problems of the data, named by path, in the message', () => {
    const data = structuredClone(zReportExample82) as Wire;
    data.payments[1].amount = 12.5;
    data.businessDate = '2026-02-30';
    const result = decodeEvent({ ...validRecord(), value: JSON.stringify(data) });
    expect(failure(result).error).toMatchObject({
      code: 'INVALID_EVENT',
      retryable: false,
      message:
        'ZReportClosed is invalid: businessDate "2026-02-30" is not a date (YYYY-MM-DD); payments[1].amount must be an integer number of øre',
    });
  });

  it('reports header, key and data problems together', () => {
    const data = structuredClone(zReportExample82) as Wire;
    data.sales[0].count = -2;
    data.payments = Array.from({ length: 1001 }, () => ({ method: 'cash', amount: 1, count: 1 }));
    data.departmentCode = 'x'.repeat(10_000);
    const msg = withHeaders({ ...validRecord(), key: 'acme:reg1:43', value: JSON.stringify(data) }, (h) => {
      h.ce_id = 'nope';
      delete h.ce_source;
    });
    const problems = failure(decodeEvent(msg)).error.details;
    expect(problems).toEqual(
      expect.arrayContaining([
        { field: 'header ce_id', problem: '"nope" is not a UUID' },
        { field: 'header ce_source', problem: 'is missing' },
        { field: 'key', problem: 'entity "reg1:43" does not match "reg1:42" in the data' },
        { field: 'sales[0].count', problem: 'must not be negative (got -2)' },
        { field: 'payments', problem: 'must have at most 1000 entries (has 1001)' },
        { field: 'departmentCode', problem: 'must be at most 50 characters (has 10000)' },
      ]),
    );
  });

  it.each([
    '../etc/passwd',
    'acme/../other',
    "acme'; DROP TABLE tenants;--",
    'acme\r\nX-Injected: 1',
    'acme\u0000',
    'acme tenant',
    'acme:1',
    '-acme',
    '.acme',
    '<script>',
    'acme%2F',
    'a'.repeat(65),
    'ácme',
  ])('refuses the injection-looking tenant id %j and does not put it in partial', (tenantId) => {
    const msg = withHeaders({ ...validRecord(), key: `${tenantId}:reg1:42` }, (h) => (h.ce_tenantid = tenantId));
    const result = decodeEvent(msg);
    expect(problemFor(result, 'header ce_tenantid')).toMatch(/is not a tenant id/);
    expect(failure(result).partial.tenantId).toBeUndefined();
  });

  it.each(['acme', 'tenant_01', 'a.b-c', 'A1', 'a'.repeat(64)])('accepts the tenant id %j', (tenantId) => {
    const env = { ...zReportEnvelope(), tenantId, key: `${tenantId}:reg1:42` };
    expect(decodeEvent(asConsumed(encodeEnvelope(env))).ok).toBe(true);
  });

  it('requires ce_causationid on outcomes and checks it against sourceEventId', () => {
    const outcome = buildOutcome(
      zReportEnvelope(),
      'SettlementScheduled',
      {
        registerId: 'reg1',
        zNumber: 42,
        businessDate: '2026-03-14',
        postAt: '2026-03-15T03:00:00+01:00',
      },
      'settlement',
    );
    const record = asConsumed(encodeEnvelope(outcome));
    expect(problemFor(decodeEvent(withHeaders(record, (h) => delete h.ce_causationid)), 'header ce_causationid')).toBe(
      'is missing (required on outcomes)',
    );
    const otherCause = 'b3c1d2e4-0000-4000-8000-000000000001';
    expect(
      problemFor(decodeEvent(withHeaders(record, (h) => (h.ce_causationid = otherCause))), 'sourceEventId'),
    ).toMatch(/does not match header ce_causationid/);
  });
});

describe('decodeEvent partial recovery', () => {
  it('recovers id, type, tenant, key, entity and correlation id from a record with broken data', () => {
    const result = decodeEvent({ ...validRecord(), value: '{not json' });
    expect(failure(result).partial).toEqual({
      id: eventId,
      type: 'ZReportClosed',
      tenantId: 'acme',
      key: 'acme:reg1:42',
      entityId: 'reg1:42',
      correlationId: 'corr-1',
    });
  });

  it('takes the tenant from the key when the header is missing', () => {
    const result = decodeEvent(withHeaders(validRecord(), (h) => delete h.ce_tenantid));
    expect(failure(result).partial.tenantId).toBe('acme');
  });

  it('takes the entity from the data when the key is unusable', () => {
    const result = decodeEvent({ ...validRecord(), key: null });
    expect(failure(result).partial.entityId).toBe('reg1:42');
  });

  it('never throws, whatever arrives', () => {
    // A small deterministic fuzz: random bytes and random header shapes.
    let seed = 42;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const bytes = (n: number) => Buffer.from(Array.from({ length: n }, () => Math.floor(random() * 256)));
    const valid = encodeEnvelope(zReportEnvelope());
    for (let i = 0; i < 300; i++) {
      const value =
        random() < 0.5
          ? bytes(Math.floor(random() * 200))
          : valid.value.slice(0, Math.floor(random() * valid.value.length));
      const headers: Record<string, Wire> = {};
      for (const [name, v] of Object.entries(valid.headers)) {
        const r = random();
        headers[name] = r < 0.2 ? bytes(8) : r < 0.3 ? undefined : r < 0.4 ? [v, v] : r < 0.5 ? [] : v;
      }
      const msg: KafkaMessageLike = { key: random() < 0.5 ? bytes(10) : valid.key, value, headers };
      const result = decodeEvent(msg);
      expect(typeof result.ok).toBe('boolean');
      if (!result.ok) expect(result.error.details.length).toBeGreaterThan(0);
    }
  });
});
