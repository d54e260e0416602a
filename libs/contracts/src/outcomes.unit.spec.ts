import {
  DNS_NAMESPACE,
  OUTCOME_NAMESPACE,
  URL_NAMESPACE,
  buildEvent,
  buildFailureOutcome,
  buildOutcome,
  decodeEvent,
  encodeEnvelope,
  entityKey,
  invalidEventError,
  outcomeId,
  parseKey,
  uuidv5,
  validateEventData,
  zReportExample82,
} from './index';

const causeId = '9f1c1a52-3c1e-4a55-a6a6-1b2f0b8f2f11';
const cause = { id: causeId, tenantId: 'acme', key: 'acme:reg1:42', correlationId: 'corr-1' };
const clock = new Date('2026-03-14T21:06:01.000Z');
const scheduled = { registerId: 'reg1', zNumber: 42, businessDate: '2026-03-14', postAt: '2026-03-15T03:00:00+01:00' };

describe('uuidv5', () => {
  it('matches the RFC 4122 / Python uuid5 vector for www.example.com in the DNS name space', () => {
    expect(uuidv5('www.example.com', DNS_NAMESPACE)).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
  });

  it('matches a URL name-space vector', () => {
    // Python: uuid.uuid5(uuid.NAMESPACE_URL, 'http://www.example.com/')
    expect(uuidv5('http://www.example.com/', URL_NAMESPACE)).toBe('fcde3c85-2270-590f-9e7c-ee003d65e0e2');
  });

  it('sets version 5 and the RFC 4122 variant', () => {
    const id = uuidv5('anything', DNS_NAMESPACE);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('hashes the name as UTF-8', () => {
    expect(uuidv5('øre', DNS_NAMESPACE)).not.toBe(uuidv5('ore', DNS_NAMESPACE));
    expect(uuidv5('øre', DNS_NAMESPACE)).toBe(uuidv5('øre', DNS_NAMESPACE.toUpperCase()));
  });

  it('refuses a name space that is not a UUID', () => {
    expect(() => uuidv5('x', 'not-a-uuid')).toThrow(/namespace "not-a-uuid" is not a UUID/);
  });

  it('derives the project name space as documented', () => {
    expect(uuidv5('urn:open-one-poweroffice:outcome-ids', URL_NAMESPACE)).toBe(OUTCOME_NAMESPACE);
  });
});

describe('outcomeId', () => {
  it('is the same for the same cause, type and discriminator', () => {
    expect(outcomeId(causeId, 'SettlementPosted')).toBe(outcomeId(causeId, 'SettlementPosted'));
    expect(outcomeId(causeId, 'SettlementScheduled', '2')).toBe(outcomeId(causeId, 'SettlementScheduled', '2'));
  });

  it('differs by cause, type and discriminator', () => {
    const ids = new Set([
      outcomeId(causeId, 'SettlementPosted'),
      outcomeId(causeId, 'SettlementScheduled'),
      outcomeId(causeId, 'SettlementScheduled', '1'),
      outcomeId(causeId, 'SettlementScheduled', '2'),
      outcomeId('b3c1d2e4-0000-4000-8000-000000000001', 'SettlementPosted'),
    ]);
    expect(ids.size).toBe(5);
  });

  it('cannot be made to collide by moving text between the parts', () => {
    expect(outcomeId('a:b', 'c')).not.toBe(outcomeId('a', 'b:c'));
    expect(outcomeId('a', 'b', '')).not.toBe(outcomeId('a', 'b'));
  });

  it('is a pinned value: changing the derivation would re-emit every outcome under a new id', () => {
    expect(outcomeId(causeId, 'SettlementPosted')).toBe(
      uuidv5(JSON.stringify([causeId, 'SettlementPosted', null]), OUTCOME_NAMESPACE),
    );
  });
});

describe('buildOutcome', () => {
  it('answers the cause: deterministic id, causation, same key and correlation, injected time', () => {
    const outcome = buildOutcome(
      cause,
      'SettlementScheduled',
      scheduled,
      'open-one-poweroffice/settlement',
      undefined,
      clock,
    );
    expect(outcome).toEqual({
      id: outcomeId(causeId, 'SettlementScheduled'),
      type: 'SettlementScheduled',
      source: 'open-one-poweroffice/settlement',
      time: '2026-03-14T21:06:01.000Z',
      tenantId: 'acme',
      key: 'acme:reg1:42',
      causationId: causeId,
      correlationId: 'corr-1',
      data: { ...scheduled, sourceEventId: causeId, tenantId: 'acme' },
    });
    expect(validateEventData(outcome.type, outcome.data)).toEqual([]);
  });

  it('gives the same id when the cause is handled again later', () => {
    const first = buildOutcome(cause, 'SettlementScheduled', scheduled, 's', undefined, clock);
    const again = buildOutcome(
      cause,
      'SettlementScheduled',
      scheduled,
      's',
      undefined,
      new Date('2026-03-16T00:00:00Z'),
    );
    expect(again.id).toBe(first.id);
    expect(again.time).not.toBe(first.time);
  });

  it('uses the discriminator', () => {
    const a = buildOutcome(cause, 'SettlementScheduled', scheduled, 's', 'attempt-1', clock);
    const b = buildOutcome(cause, 'SettlementScheduled', scheduled, 's', 'attempt-2', clock);
    expect(a.id).not.toBe(b.id);
  });

  it('leaves out the correlation id when the cause has none', () => {
    const outcome = buildOutcome(
      { id: causeId, tenantId: 'acme', key: 'acme:reg1:42' },
      'SettlementScheduled',
      scheduled,
      's',
    );
    expect('correlationId' in outcome).toBe(false);
  });

  it('refuses data that names another cause or tenant', () => {
    expect(() => buildOutcome(cause, 'SettlementScheduled', { ...scheduled, tenantId: 'other' }, 's')).toThrow(
      /not the cause tenant acme/,
    );
    expect(() => buildOutcome(cause, 'SettlementScheduled', { ...scheduled, sourceEventId: 'x' }, 's')).toThrow(
      /not the cause id/,
    );
  });

  it('works from a decoded envelope', () => {
    const env = buildEvent({
      type: 'ZReportClosed',
      tenantId: 'acme',
      entityId: 'reg1:42',
      data: zReportExample82,
      source: 'open-one',
      id: causeId,
    });
    const decoded = decodeEvent(encodeEnvelope(env), ['ZReportClosed']);
    if (!decoded.ok) throw new Error(decoded.error.message);
    const outcome = buildOutcome(
      decoded.envelope,
      'SettlementPosted',
      {
        registerId: decoded.envelope.data.registerId,
        zNumber: decoded.envelope.data.zNumber,
        businessDate: decoded.envelope.data.businessDate,
        powerOffice: { voucherId: '3d0b1f4e-8c55-4f6c-9a61-2d1f0c6a7b90', voucherNo: 17 },
        totals: { debit: 1560040, credit: 1560040 },
      },
      'settlement',
      undefined,
      clock,
    );
    const back = decodeEvent(encodeEnvelope(outcome));
    expect(back.ok).toBe(true);
  });
});

describe('buildFailureOutcome', () => {
  const error = invalidEventError('ZReportClosed', [
    { field: 'businessDate', problem: '"2026-02-30" is not a date (YYYY-MM-DD)' },
  ]);

  it('reads the entity ids back from the key (register ids may contain colons)', () => {
    const failure = buildFailureOutcome(
      { ...cause, key: 'acme:shop:7:42' },
      'ZReportClosed',
      error,
      'settlement',
      {},
      clock,
    );
    expect(failure).not.toBeNull();
    expect(failure!.type).toBe('SettlementFailed');
    expect(failure!.key).toBe('acme:shop:7:42');
    expect(failure!.data).toEqual({
      registerId: 'shop:7',
      zNumber: 42,
      error,
      sourceEventId: causeId,
      tenantId: 'acme',
    });
    expect(validateEventData('SettlementFailed', failure!.data)).toEqual([]);
    expect(decodeEvent(encodeEnvelope(failure!)).ok).toBe(true);
  });

  it('answers each POS event type with its failure type', () => {
    const types = [
      ['CustomerChanged', 'acme:c-1', 'CustomerSyncFailed', { customerId: 'c-1' }],
      ['ArticleChanged', 'acme:a-1', 'ArticleSyncFailed', { articleId: 'a-1' }],
      ['InvoicePosted', 'acme:inv-1', 'InvoiceRejected', { invoiceId: 'inv-1' }],
    ] as const;
    for (const [causeType, key, failureType, ids] of types) {
      const failure = buildFailureOutcome({ ...cause, key }, causeType, error, 's', {}, clock);
      expect(failure?.type).toBe(failureType);
      expect(failure?.data).toMatchObject(ids);
    }
  });

  it('adds the business date or invoice number only where they belong and only when valid', () => {
    const settlement = buildFailureOutcome(
      cause,
      'ZReportClosed',
      error,
      's',
      { businessDate: '2026-03-14', invoiceNumber: '5' },
      clock,
    );
    expect(settlement!.data).toMatchObject({ businessDate: '2026-03-14' });
    expect('invoiceNumber' in settlement!.data).toBe(false);

    // The event may have failed because of its date: the failure must still be a valid outcome.
    const badDate = buildFailureOutcome(cause, 'ZReportClosed', error, 's', { businessDate: '2026-02-30' }, clock);
    expect('businessDate' in badDate!.data).toBe(false);
    expect(validateEventData('SettlementFailed', badDate!.data)).toEqual([]);

    const invoice = { ...cause, key: 'acme:inv-1' };
    expect(
      buildFailureOutcome(invoice, 'InvoicePosted', error, 's', { invoiceNumber: '5001' }, clock)!.data,
    ).toMatchObject({
      invoiceNumber: '5001',
    });
    const badNumber = buildFailureOutcome(
      invoice,
      'InvoicePosted',
      error,
      's',
      { invoiceNumber: 'x'.repeat(51) },
      clock,
    );
    expect(validateEventData('InvoiceRejected', badNumber!.data)).toEqual([]);
  });

  it('uses the discriminator for a repeated failure', () => {
    const first = buildFailureOutcome(cause, 'ZReportClosed', error, 's', {}, clock);
    const redriven = buildFailureOutcome(cause, 'ZReportClosed', error, 's', { discriminator: 'redrive:1' }, clock);
    expect(first!.id).toBe(outcomeId(causeId, 'SettlementFailed'));
    expect(redriven!.id).toBe(outcomeId(causeId, 'SettlementFailed', 'redrive:1'));
    expect('discriminator' in redriven!.data).toBe(false);
  });

  it('returns null when the failure cannot be addressed', () => {
    expect(buildFailureOutcome({ ...cause, key: 'acme:reg1' }, 'ZReportClosed', error, 's')).toBeNull();
    expect(buildFailureOutcome({ ...cause, key: 'acme:reg1:0' }, 'ZReportClosed', error, 's')).toBeNull();
    expect(buildFailureOutcome(cause, 'CustomerSynced', error, 's')).toBeNull();
    expect(buildFailureOutcome({ ...cause, key: 'no-colon' }, 'CustomerChanged', error, 's')).toBeNull();
  });
});

describe('failure outcomes for invalid events', () => {
  it('are valid outcomes themselves, however bad the event was', () => {
    const data = structuredClone(zReportExample82) as unknown as Record<string, unknown>;
    data.businessDate = '2026-02-30';
    data.departmentCode = `${'x'.repeat(55)}😀😀😀 and more`;
    data.payments = Array.from({ length: 1000 }, () => ({ method: 'x' + '😀'.repeat(40), amount: 0.5, count: -1 }));
    const env = buildEvent({
      type: 'ZReportClosed',
      tenantId: 'acme',
      entityId: 'reg1:42',
      data: zReportExample82,
      source: 'open-one',
      id: causeId,
    });
    const record = { ...encodeEnvelope(env), value: JSON.stringify(data) };
    const decoded = decodeEvent(record, ['ZReportClosed']);
    if (decoded.ok) throw new Error('expected the record to be invalid');
    const { partial } = decoded;
    const failure = buildFailureOutcome(
      { id: partial.id!, tenantId: partial.tenantId!, key: partial.key! },
      partial.type!,
      decoded.error,
      'settlement',
      { businessDate: data.businessDate as string },
      clock,
    );
    expect(failure!.type).toBe('SettlementFailed');
    expect(validateEventData('SettlementFailed', failure!.data)).toEqual([]);
    expect(decodeEvent(encodeEnvelope(failure!)).ok).toBe(true);
  });
});

describe('keys', () => {
  it('joins tenant and entity', () => {
    expect(entityKey('acme', 'reg1:42')).toBe('acme:reg1:42');
  });

  it('splits on the first colon only', () => {
    expect(parseKey('acme:reg1:42')).toEqual({ tenantId: 'acme', entityId: 'reg1:42' });
    expect(parseKey(entityKey('t1', 'c-1'))).toEqual({ tenantId: 't1', entityId: 'c-1' });
  });

  it.each(['acme', ':c1', 'acme:', ''])('refuses %j', (key) => {
    expect(parseKey(key)).toBeNull();
  });
});

describe('buildEvent', () => {
  it('builds a keyed envelope with a fresh id unless one is given', () => {
    const a = buildEvent({
      type: 'ZReportClosed',
      tenantId: 'acme',
      entityId: 'reg1:42',
      data: zReportExample82,
      source: 'open-one',
    });
    const b = buildEvent({
      type: 'ZReportClosed',
      tenantId: 'acme',
      entityId: 'reg1:42',
      data: zReportExample82,
      source: 'open-one',
    });
    expect(a.key).toBe('acme:reg1:42');
    expect(a.id).not.toBe(b.id);
    expect(
      buildEvent({
        type: 'ZReportClosed',
        tenantId: 'acme',
        entityId: 'reg1:42',
        data: zReportExample82,
        source: 'x',
        id: causeId,
      }).id,
    ).toBe(causeId);
  });
});
