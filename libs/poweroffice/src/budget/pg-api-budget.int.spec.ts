import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { openTestDatabase } from '../../test-support/database';
import { Lane } from '../lanes';
import { secretFingerprint } from '../secrets';
import { PgApiBudget } from './pg-api-budget';

describe('PgApiBudget (PostgreSQL)', () => {
  let db: DataSource;
  beforeAll(async () => {
    db = await openTestDatabase();
  });
  afterAll(async () => {
    await db.destroy();
  });

  const newKey = () => `sub-${randomBytes(6).toString('hex')}`;

  it('stores only the SHA-256 of the subscription key', async () => {
    const key = newKey();
    await new PgApiBudget(db, { subscriptionKey: key, rateLimit: 50 }).acquire('customer');
    const rows = await db.query(
      'SELECT subscription_key_hash FROM poweroffice.api_budget WHERE subscription_key_hash = $1',
      [secretFingerprint(key)],
    );
    expect(rows).toHaveLength(1);
    const leaked = await db.query(
      'SELECT count(*)::int AS n FROM poweroffice.api_budget WHERE subscription_key_hash = $1',
      [key],
    );
    expect(leaked[0].n).toBe(0);
  });

  it('two budgets on one key (two processes) share one timeline', async () => {
    const key = newKey();
    const a = new PgApiBudget(db, { subscriptionKey: key, rateLimit: 40, headroom: 0 });
    const b = new PgApiBudget(db, { subscriptionKey: key, rateLimit: 40, headroom: 0 });
    const times: number[] = [];
    const lanes: Lane[] = ['replay', 'article', 'customer', 'settlement', 'invoice'];
    await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        (i % 2 ? a : b).acquire(lanes[i % lanes.length]).then(() => times.push(performance.now())),
      ),
    );
    times.sort((x, y) => x - y);
    const span = times[times.length - 1] - times[0];
    // 30 grants at 25 ms on ONE timeline need ≥ 29 intervals (two separate timelines would finish in
    // about 14). A busy machine only makes grants later, so this lower bound cannot flake.
    expect(span).toBeGreaterThanOrEqual(29 * 25 - 10);
  });

  it('different subscription keys have separate budgets', async () => {
    const a = new PgApiBudget(db, { subscriptionKey: newKey(), rateLimit: 5, headroom: 0 });
    const b = new PgApiBudget(db, { subscriptionKey: newKey(), rateLimit: 5, headroom: 0 });
    await a.acquire('replay');
    const grant = await b.acquire('replay');
    expect(grant.waitedMs).toBeLessThan(100); // not behind a's slot of 200 ms
  });
});
