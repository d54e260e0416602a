import { RunningEmulator, startEmulator } from '../src/bootstrap';
import { connect, GoApi, Reply, sleep } from './support/go-api';

describe('rate limit: 10 requests per sliding second per subscription key', () => {
  let emu: RunningEmulator;
  beforeAll(async () => {
    emu = await startEmulator({ port: 0, rateLimit: 10 });
  });
  // Each test starts with an empty window.
  beforeEach(() => sleep(1100));
  afterAll(() => emu.close());

  it("a burst of 30 gets 429s with Retry-After and APIM's body; the token call counts too", async () => {
    const api = await connect(emu);
    await sleep(1100);
    const replies = await Promise.all(Array.from({ length: 30 }, () => api.get('/Customers')));
    const limited = replies.filter((r) => r.status === 429);
    expect(limited.length).toBeGreaterThan(0);
    expect(replies.filter((r) => r.status === 204)).toHaveLength(10);
    expect(limited[0]!.headers.get('retry-after')).toBe('1');
    expect(limited[0]!.body).toEqual({ statusCode: '429', message: 'Rate limit is exceeded. Try again in 1 seconds.' });
    const token = await api.requestToken();
    expect(token.status).toBe(429);
  });

  it('a client pacing itself at exactly 10/s never gets a 429', async () => {
    const api = await connect(emu);
    await sleep(1100);
    const pending: Promise<Reply>[] = [];
    const start = Date.now();
    let lastSent = -Infinity;
    for (let k = 0; k < 25; k++) {
      // A real pacer: never two sends closer than 100 ms, whatever the timers do.
      const due = Math.max(start + k * 100, lastSent + 100);
      const wait = due - Date.now();
      if (wait > 0) await sleep(wait);
      lastSent = Date.now();
      pending.push(api.get('/Customers'));
    }
    const statuses = (await Promise.all(pending)).map((r) => r.status);
    expect(statuses.filter((s) => s === 429)).toHaveLength(0);
    expect(statuses.every((s) => s === 204)).toBe(true);
  });

  it('counts every client on the subscription key together', async () => {
    const a = await connect(emu);
    const b = await connect(emu);
    await sleep(1100);
    const replies = await Promise.all([
      ...Array.from({ length: 6 }, () => a.get('/Customers')),
      ...Array.from({ length: 6 }, () => b.get('/Customers')),
    ]);
    expect(replies.filter((r) => r.status === 429)).toHaveLength(2);
  });
});

describe('fault injection (/_emulator/faults)', () => {
  let emu: RunningEmulator;
  let api: GoApi;
  beforeAll(async () => {
    emu = await startEmulator({ port: 0, rateLimit: 0 });
    api = await connect(emu);
  });
  afterEach(() => emu.admin.clearFaults());
  afterAll(() => emu.close());

  it('an outage answers every API call, token calls included, with 503 until it ends', async () => {
    await emu.admin.setFaults({ outageMs: 60_000 });
    const during = await api.get('/Customers');
    expect(during.status).toBe(503);
    expect(during.body).toMatchObject({ status: 503, title: 'Service Unavailable' });
    expect((await api.requestToken()).status).toBe(503);
    await emu.admin.setFaults({ outageMs: 1 });
    await sleep(20);
    expect((await api.get('/Customers')).status).toBe(204);
  });

  it('errorRate fails exactly that share of calls with errorStatus', async () => {
    await emu.admin.setFaults({ errorRate: 0.5, errorStatus: 502 });
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) statuses.push((await api.get('/Customers')).status);
    expect(statuses.filter((s) => s === 502)).toHaveLength(5);
    expect(statuses.filter((s) => s === 204)).toHaveLength(5);
  });

  it('faults can be scoped to one client key', async () => {
    const other = await connect(emu);
    await emu.admin.setFaults({ errorRate: 1, clientKey: other.clientKey });
    expect((await other.get('/Customers')).status).toBe(500);
    expect((await api.get('/Customers')).status).toBe(204);
    await emu.admin.clearFaults();
    expect((await other.get('/Customers')).status).toBe(204);
  });

  it('latencyMs delays answers', async () => {
    const view = await emu.admin.setFaults({ latencyMs: 120 });
    expect(view.latencyMs).toBe(120);
    const before = await emu.admin.requests();
    await api.get('/Customers');
    const logged = await emu.admin.requests({ since: before[before.length - 1]?.seq ?? 0 });
    expect(logged[0]!.durationMs).toBeGreaterThanOrEqual(110);
  });

  it('rateLimit overrides the subscription limit (0 here = unlimited)', async () => {
    await emu.admin.setFaults({ rateLimit: 2 });
    const replies = await Promise.all(Array.from({ length: 5 }, () => api.get('/Customers')));
    expect(replies.filter((r) => r.status === 429)).toHaveLength(3);
  });

  it('listLagMs adds read-replica lag to change-filtered lists', async () => {
    await emu.admin.setFaults({ listLagMs: 60_000 });
    await api.post('/Customers', { Name: 'Laggy' });
    expect(
      (await api.get(`/Customers?lastChangedDateTimeOffsetGreaterThan=${encodeURIComponent('2020-01-01T00:00:00Z')}`))
        .status,
    ).toBe(204);
    await emu.admin.clearFaults();
    expect(
      (await api.get(`/Customers?lastChangedDateTimeOffsetGreaterThan=${encodeURIComponent('2020-01-01T00:00:00Z')}`))
        .status,
    ).toBe(200);
  });
});
