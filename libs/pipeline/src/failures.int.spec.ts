import { DLQ_HEADERS, encodeEnvelope, Envelope } from '@lib/contracts';
import { DLQ_CONSUMER_GROUP_HEADER } from './dead-letter/dead-letter';
import { DeadLetters } from './dead-letter/dead-letters';
import { headerText, SourceRecord } from './record';
import { PipelineTestBed, RunningFlow } from './testing/test-bed';

describe('failures: every event still ends in an outcome, and nothing is lost', () => {
  let bed: PipelineTestBed;
  let flow: RunningFlow;
  let deadLetters: DeadLetters;

  beforeAll(async () => {
    bed = await PipelineTestBed.create('failures');
    deadLetters = new DeadLetters(bed.kafka, bed.db, bed.log);
    flow = await bed.startFlow();
  });
  afterAll(async () => bed?.close());

  const outcomesOf = async (events: { id: string }[]) => {
    const ids = new Set(events.map((e) => e.id));
    return (await bed.outcomes()).filter((o) => o.causationId && ids.has(o.causationId));
  };
  const deadLettersOf = async (key: string): Promise<SourceRecord[]> =>
    (await bed.readTopic(bed.dlq)).filter((r) => r.key?.toString() === key);

  it('a poison record (bad JSON) gets a failure outcome and a dead letter, and its partition moves on', async () => {
    const t = bed.tenant('poison');
    bed.tenants.add(t);
    const bad = bed.customerChanged(t, 'p1');
    const good = bed.customerChanged(t, 'p1', 'Fixed name', 2);
    const badRecord = { ...encodeEnvelope(bad), value: '{"customerId": "p1", oops' };
    // Without key and headers: nothing to address an outcome to; parked only.
    const garbage = { key: null, value: Buffer.from([0xde, 0xad, 0xbe, 0xef]), partition: 0 };
    await bed.produceRaw([{ ...badRecord, partition: 0 }, garbage, { ...encodeEnvelope(good), partition: 0 }]);
    await bed.settled();

    const outcomes = await outcomesOf([bad, good]);
    expect(outcomes).toHaveLength(2);
    const failure = outcomes.find((o) => o.causationId === bad.id)!;
    expect(failure).toMatchObject({ type: 'CustomerSyncFailed', tenantId: t, key: `${t}:p1` });
    expect(failure.data).toMatchObject({ customerId: 'p1', error: { code: 'INVALID_EVENT', retryable: false } });
    expect(JSON.stringify(failure.data)).toContain('not valid JSON');
    expect(outcomes.find((o) => o.causationId === good.id)).toMatchObject({
      type: 'CustomerSynced',
      data: { action: 'created' },
    });

    const [letter] = await deadLettersOf(`${t}:p1`);
    expect(letter.value?.toString()).toBe(badRecord.value);
    expect(headerText(letter.headers, 'ce_id')).toBe(bad.id);
    expect(headerText(letter.headers, DLQ_HEADERS.originalTopic)).toBe(bed.inputTopic);
    expect(headerText(letter.headers, DLQ_HEADERS.originalPartition)).toBe('0');
    expect(headerText(letter.headers, DLQ_HEADERS.errorCode)).toBe('INVALID_EVENT');
    expect(headerText(letter.headers, DLQ_HEADERS.attempts)).toBe('0');
    expect(headerText(letter.headers, DLQ_CONSUMER_GROUP_HEADER)).toBe(bed.groupId());
    expect(Date.parse(headerText(letter.headers, DLQ_HEADERS.failedAt) ?? '')).not.toBeNaN();

    const parkedGarbage = (await bed.readTopic(bed.dlq)).filter((r) => r.key === null);
    expect(parkedGarbage).toHaveLength(1);
    expect(parkedGarbage[0].value).toEqual(garbage.value);
    expect(await bed.metricValue('pipeline_failures_total', { code: 'INVALID_EVENT' })).toBe(2);
  });

  it('an unknown or disabled tenant is answered TENANT_UNKNOWN and parked; after onboarding a redrive succeeds', async () => {
    const newcomer = bed.tenant('newcomer');
    const disabled = bed.tenant('disabled');
    bed.tenants.add(disabled, { enabled: false });
    const events = [bed.customerChanged(newcomer, 'n1'), bed.customerChanged(disabled, 'd1')];
    await bed.produce(events);
    await bed.settled();

    const failures = await outcomesOf(events);
    expect(failures.map((o) => [o.tenantId, o.type, (o.data.error as { code: string }).code]).sort()).toEqual(
      [
        [disabled, 'CustomerSyncFailed', 'TENANT_UNKNOWN'],
        [newcomer, 'CustomerSyncFailed', 'TENANT_UNKNOWN'],
      ].sort(),
    );
    expect(bed.faults.callsOf('n1')).toBe(0);
    const parked = await deadLetters.list({ topic: bed.inputTopic, tenantId: newcomer });
    expect(parked).toEqual([
      expect.objectContaining({
        eventId: events[0].id,
        tenantId: newcomer,
        errorCode: 'TENANT_UNKNOWN',
        status: 'parked',
      }),
    ]);

    bed.tenants.add(newcomer);
    const redriven = await deadLetters.redrive({ topic: bed.inputTopic, tenantId: newcomer });
    expect(redriven).toEqual([expect.objectContaining({ eventId: events[0].id, status: 'redriven' })]);
    await bed.settled();

    const answers = await outcomesOf([events[0]]);
    expect(answers.map((o) => o.type)).toEqual(['CustomerSyncFailed', 'CustomerSynced']);
    expect(answers[1].id).not.toBe(answers[0].id);
    expect((await deadLetters.list({ topic: bed.inputTopic, tenantId: newcomer }))[0].status).toBe('resolved');
    // The disabled tenant's dead letter is untouched by the other tenant's redrive.
    expect((await deadLetters.list({ topic: bed.inputTopic, tenantId: disabled }))[0].status).toBe('parked');
    expect(await bed.externalObjects(newcomer)).toHaveLength(1);
  });

  it('a tenant marked not authorised fails without a PowerOffice call; a refusal from PowerOffice marks the tenant', async () => {
    const revoked = bed.tenant('revoked');
    const refused = bed.tenant('refused');
    bed.tenants.add(revoked, { authorised: false }).add(refused);
    bed.faults.set('r2', { kind: 'notAuthorised' });
    const first = [bed.customerChanged(revoked, 'r1'), bed.customerChanged(refused, 'r2')];
    await bed.produce(first);
    await bed.settled();
    const later = bed.customerChanged(refused, 'r3');
    await bed.produce([later]);
    await bed.settled();

    const outcomes = await outcomesOf([...first, later]);
    expect(outcomes.map((o) => (o.data.error as { code: string }).code)).toEqual([
      'TENANT_NOT_AUTHORISED',
      'TENANT_NOT_AUTHORISED',
      'TENANT_NOT_AUTHORISED',
    ]);
    expect(bed.faults.callsOf('r1')).toBe(0);
    expect(bed.faults.callsOf('r2')).toBe(1);
    expect(bed.faults.callsOf('r3')).toBe(0); // marked after r2: no further calls
    expect(bed.tenants.notAuthorisedMarks).toEqual([{ tenantId: refused, reason: 'the client key was revoked' }]);
    expect(await deadLetters.list({ topic: bed.inputTopic, tenantId: refused })).toHaveLength(2);
  });

  it('a transient failure is retried with backoff until it passes: one success outcome', async () => {
    const t = bed.tenant('flaky');
    bed.tenants.add(t);
    bed.faults.set('f1', { kind: 'transient', times: 2, retryAfterMs: 50 });
    const event = bed.customerChanged(t, 'f1');
    await bed.produce([event]);
    await bed.settled();

    expect(await outcomesOf([event])).toEqual([expect.objectContaining({ type: 'CustomerSynced' })]);
    expect(bed.faults.callsOf('f1')).toBe(3);
    expect(await bed.metricValue('pipeline_retries_total', { kind: 'transient' })).toBeGreaterThanOrEqual(2);
    expect(await deadLettersOf(`${t}:f1`)).toHaveLength(0);
  });

  it('an outage that outlasts the retries ends in RETRIES_EXHAUSTED + dead letter; a redrive after it passes succeeds', async () => {
    const t = bed.tenant('outage');
    bed.tenants.add(t);
    bed.faults.set('o1', { kind: 'transientForever' });
    const event = bed.customerChanged(t, 'o1');
    await bed.produce([event]);
    await bed.settled();

    let outcomes = await outcomesOf([event]);
    expect(outcomes).toHaveLength(1);
    expect(outcomes[0].data.error).toMatchObject({
      code: 'RETRIES_EXHAUSTED',
      retryable: true,
      powerOffice: { status: 503 },
      details: { attempts: 4, lastErrorCode: 'RETRIES_EXHAUSTED' },
    });
    expect(bed.faults.callsOf('o1')).toBe(4);
    const [parked] = await deadLetters.list({ topic: bed.inputTopic, tenantId: t });
    expect(parked).toMatchObject({ errorCode: 'RETRIES_EXHAUSTED', attempts: 4, status: 'parked', eventId: event.id });

    bed.faults.clear('o1');
    await deadLetters.redrive({ topic: bed.inputTopic, tenantId: t, eventIds: [event.id] });
    await bed.settled();
    outcomes = await outcomesOf([event]);
    expect(outcomes.map((o) => o.type)).toEqual(['CustomerSyncFailed', 'CustomerSynced']);
    expect(await bed.externalObjects(t)).toHaveLength(1);

    // Redriving again finds nothing parked: the event is resolved.
    expect(await deadLetters.redrive({ topic: bed.inputTopic, tenantId: t })).toEqual([]);
  });

  it('a failure that repeats after a redrive gets an outcome of its own and a new dead letter', async () => {
    const t = bed.tenant('stubborn');
    bed.tenants.add(t);
    bed.faults.set('s1', { kind: 'permanent' });
    const event = bed.customerChanged(t, 's1');
    await bed.produce([event]);
    await bed.settled();
    await deadLetters.redrive({ topic: bed.inputTopic, tenantId: t });
    await bed.settled();

    const outcomes = await outcomesOf([event]);
    expect(outcomes.map((o) => o.type)).toEqual(['CustomerSyncFailed', 'CustomerSyncFailed']);
    expect(new Set(outcomes.map((o) => o.id)).size).toBe(2);
    expect(outcomes[0].data.error).toMatchObject({
      code: 'POWEROFFICE_REJECTED',
      retryable: false,
      powerOffice: { status: 400, title: 'Bad Request', detail: 'Name is too long' },
    });
    expect(bed.faults.callsOf('s1')).toBe(2); // permanent: no retries
    const letters = await deadLetters.list({ topic: bed.inputTopic, tenantId: t });
    expect(letters.map((l) => l.status)).toEqual(['superseded', 'parked']);
  });

  it('a failed event sent again by its producer (same ce_id) is a duplicate: only a redrive runs it again', async () => {
    const t = bed.tenant('twice');
    bed.tenants.add(t);
    bed.faults.set('d1', { kind: 'permanent' });
    const event = bed.customerChanged(t, 'd1');
    await bed.produce([event]);
    await bed.settled();
    bed.faults.clear('d1');
    await bed.produce([event]); // the POS sends the very same event again
    await bed.settled();
    expect((await outcomesOf([event])).map((o) => o.type)).toEqual(['CustomerSyncFailed']);
    expect(bed.faults.callsOf('d1')).toBe(1);

    await deadLetters.redrive({ topic: bed.inputTopic, tenantId: t });
    await bed.settled();
    expect((await outcomesOf([event])).map((o) => o.type)).toEqual(['CustomerSyncFailed', 'CustomerSynced']);
    expect(await bed.externalObjects(t)).toHaveLength(1);
  });

  it('an unexpected error (a bug) is tried a few times, then RETRIES_EXHAUSTED with its message, logged with its stack', async () => {
    const t = bed.tenant('buggy');
    bed.tenants.add(t);
    bed.faults.set('b1', { kind: 'bug' });
    const event: Envelope = bed.customerChanged(t, 'b1');
    await bed.produce([event]);
    await bed.settled();

    const [outcome] = await outcomesOf([event]);
    expect(outcome.data.error).toMatchObject({ code: 'RETRIES_EXHAUSTED', retryable: true });
    expect((outcome.data.error as { message: string }).message).toContain(
      "TypeError: Cannot read properties of undefined (reading 'customerNumber')",
    );
    expect(bed.faults.callsOf('b1')).toBe(3);

    const lines = bed.logLines
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((l) => l.eventId === event.id);
    const withStack = lines.find((l) => typeof l.stack === 'string');
    expect(withStack).toMatchObject({ tenantId: t, topic: bed.inputTopic, flow: 'test-customer-sync' });
    expect(withStack?.partition).toEqual(expect.any(Number));
    expect(withStack?.offset).toEqual(expect.any(String));
    expect(String(withStack?.stack)).toContain('TypeError');
  });

  it('an outcome that breaks the contract is caught as a handler bug, never published', async () => {
    const t = bed.tenant('sloppy');
    bed.tenants.add(t);
    bed.faults.set('x1', { kind: 'badOutcome' });
    const event = bed.customerChanged(t, 'x1');
    await bed.produce([event]);
    await bed.settled();

    const outcomes = await outcomesOf([event]);
    expect(outcomes.map((o) => o.type)).toEqual(['CustomerSyncFailed']);
    expect((outcomes[0].data.error as { message: string }).message).toMatch(/CustomerSynced is invalid: action/);
  });

  it('reports the consumer healthy while it is in its group', () => {
    expect(flow.runtime.health()).toMatchObject({ up: true, groupId: bed.groupId() });
  });
});
