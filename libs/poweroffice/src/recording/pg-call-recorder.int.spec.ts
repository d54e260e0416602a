import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { openTestDatabase } from '../../test-support/database';
import { ApiCallRecord } from './call-recorder';
import { PgCallRecorder } from './pg-call-recorder';

describe('PgCallRecorder (PostgreSQL)', () => {
  let db: DataSource;
  beforeAll(async () => {
    db = await openTestDatabase();
  });
  afterAll(async () => {
    await db.destroy();
  });

  const call = (tenantId: string, i: number, extra: Partial<ApiCallRecord> = {}): ApiCallRecord => ({
    at: new Date(),
    tenantId,
    lane: 'customer',
    method: 'GET',
    pathTemplate: '/Customers/{id}',
    path: `/Customers/${i}`,
    status: 200,
    durationMs: 12.6,
    budgetWaitMs: 3.2,
    attempt: 1,
    ...extra,
  });
  const rowsOf = (tenantId: string) =>
    db.query('SELECT * FROM poweroffice.api_calls WHERE tenant_id = $1 ORDER BY id', [tenantId]) as Promise<
      Array<Record<string, unknown>>
    >;

  it('batches: nothing is written on the call path, all of it after the flush interval', async () => {
    const tenant = `t-${randomBytes(4).toString('hex')}`;
    const recorder = new PgCallRecorder(db, { flushIntervalMs: 100, batchSize: 1000 });
    for (let i = 0; i < 5; i++) recorder.record(call(tenant, i));
    expect(await rowsOf(tenant)).toHaveLength(0);
    await new Promise((r) => setTimeout(r, 400));
    const rows = await rowsOf(tenant);
    expect(rows.map((r) => r.path)).toEqual([
      '/Customers/0',
      '/Customers/1',
      '/Customers/2',
      '/Customers/3',
      '/Customers/4',
    ]);
    expect(rows[0]).toMatchObject({
      lane: 'customer',
      method: 'GET',
      path_template: '/Customers/{id}',
      status: 200,
      duration_ms: 13,
      budget_wait_ms: 3,
      attempt: 1,
    });
    await recorder.close();
  });

  it('writes a full batch at once, keeps PowerOffice’s error words, and flushes on close', async () => {
    const tenant = `t-${randomBytes(4).toString('hex')}`;
    const recorder = new PgCallRecorder(db, { flushIntervalMs: 60_000, batchSize: 10 });
    for (let i = 0; i < 23; i++) recorder.record(call(tenant, i));
    recorder.record(
      call(tenant, 99, { status: 400, errorTitle: 'Customer validation error(s)', errorDetail: 'Name is required.' }),
    );
    recorder.record(call(tenant, 100, { status: null, errorTitle: 'Timeout' }));
    await recorder.close();
    const rows = await rowsOf(tenant);
    expect(rows).toHaveLength(25);
    expect(rows[23]).toMatchObject({
      status: 400,
      error_title: 'Customer validation error(s)',
      error_detail: 'Name is required.',
    });
    expect(rows[24]).toMatchObject({ status: null, error_title: 'Timeout' });
    recorder.record(call(tenant, 101)); // after close: ignored, not an error
  });

  it('never throws into the call path when the database refuses the rows', async () => {
    const messages: string[] = [];
    const broken = { query: async () => Promise.reject(new Error('relation does not exist')) };
    const recorder = new PgCallRecorder(broken, { flushIntervalMs: 10, onError: (m) => messages.push(m) });
    expect(() => recorder.record(call('x', 1))).not.toThrow();
    await recorder.flush();
    expect(messages[0]).toContain('Could not record 1 PowerOffice call(s)');
  });

  it('prunes old calls', async () => {
    const tenant = `t-${randomBytes(4).toString('hex')}`;
    const recorder = new PgCallRecorder(db);
    recorder.record(call(tenant, 1, { at: new Date('2000-01-01T00:00:00Z') }));
    recorder.record(call(tenant, 2));
    await recorder.close();
    expect(await recorder.prune(new Date('2001-01-01T00:00:00Z'))).toBeGreaterThanOrEqual(1);
    expect((await rowsOf(tenant)).map((r) => r.path)).toEqual(['/Customers/2']);
  });
});
