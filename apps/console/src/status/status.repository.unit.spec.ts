import type { DataSource } from 'typeorm';
import { StatusRepository } from './status.repository';

/**
 * The parts of a status whose flow is not there: a database where a flow's migration never ran, or
 * whose view is not what the console expects. A stand-in for PostgreSQL answers the two questions
 * the repository asks (does the view exist, what are its rows).
 */
function database(views: Record<string, 'missing' | 'broken' | Record<string, unknown>[]>): DataSource {
  return {
    query: async (sql: string, params: unknown[] = []) => {
      if (sql.includes('to_regclass')) return [{ present: views[String(params[0])] !== 'missing' && views[String(params[0])] !== undefined }];
      const view = Object.keys(views).find((v) => sql.includes(`FROM ${v}`));
      const rows = view ? views[view] : undefined;
      if (rows === 'broken') throw new Error('column "po_voucher_no" does not exist');
      if (Array.isArray(rows)) return rows;
      throw new Error(`unexpected query: ${sql}`);
    },
  } as unknown as DataSource;
}

describe('StatusRepository when a flow is not deployed', () => {
  it.each<[string, 'missing' | 'broken', RegExp]>([
    ['the view does not exist', 'missing', /settlement\.status_view does not exist \(is the flow deployed and migrated\?\)/],
    ['the view cannot be read', 'broken', /settlement\.status_view could not be read: column "po_voucher_no" does not exist/],
  ])('settlements are unavailable, with the reason, when %s', async (_name, state, reason) => {
    const part = await new StatusRepository(database({ 'settlement.status_view': state })).settlements('t1');
    expect(part).toEqual({ available: false, reason: expect.stringMatching(reason) });
  });

  it.each([['invoices'], ['customers'], ['articles']] as const)('%s are unavailable when their view does not exist', async (part) => {
    const result = await new StatusRepository(database({}))[part]('t1');
    expect(result.available).toBe(false);
  });

  it('the overview counts are null (unknown), not zero, when a view is missing', async () => {
    const repo = new StatusRepository(database({ 'settlement.status_view': 'missing', 'invoice.status_view': 'broken' }));
    expect(await repo.settlementCountsByTenant()).toBeNull();
    expect(await repo.failingCountsByTenant('invoice')).toBeNull();
    expect(await repo.failingCountsByTenant('customer')).toBeNull();
  });

  it('a single settlement or invoice looked up through a missing view is simply not found', async () => {
    const repo = new StatusRepository(database({}));
    expect(await repo.settlement('t1', 'K1', 1)).toBeNull();
    expect(await repo.invoice('t1', 'inv-1')).toBeNull();
  });

  it('reads the rows of a view that is there', async () => {
    const repo = new StatusRepository(
      database({
        'customer_sync.status_view': [
          { state: 'synced', count: 3 },
          { state: 'failed', count: 1 },
        ],
      }),
    );
    // Both queries of the part hit the same stand-in rows; what matters here is that it is available and counted.
    const part = await repo.customers('t1');
    expect(part.available).toBe(true);
    if (part.available) expect(part.counts).toMatchObject({ failing: 1, total: 4 });
  });
});
