import { FakeClock, settle } from '../../test-support/fake-clock';
import { Lane } from '../lanes';
import { InMemoryApiBudget } from './in-memory-api-budget';

interface Grant {
  lane: Lane;
  at: number;
  waited: number;
}

function harness(rateLimit = 10, headroom = 0) {
  const clock = new FakeClock(0);
  const budget = new InMemoryApiBudget({ rateLimit, headroom, clock });
  const grants: Grant[] = [];
  const acquire = (lane: Lane, signal?: AbortSignal) =>
    budget.acquire(lane, signal).then((g) => {
      grants.push({ lane, at: clock.now(), waited: g.waitedMs });
    });
  /** Keeps `n` callers of a lane waiting at all times, like a busy bulk consumer. */
  const sustain = (lane: Lane, n: number) => {
    let stop = false;
    const loop = async () => {
      while (!stop) await acquire(lane);
    };
    for (let i = 0; i < n; i++) void loop();
    return () => {
      stop = true;
    };
  };
  return { clock, budget, grants, acquire, sustain };
}

describe('InMemoryApiBudget: slot pacing with priority lanes (fake clock)', () => {
  it('paces one lane at exactly one slot per interval', async () => {
    const { clock, grants, acquire } = harness(10);
    for (let i = 0; i < 5; i++) void acquire('article');
    await clock.advance(1000);
    expect(grants.map((g) => g.at)).toEqual([0, 100, 200, 300, 400]);
  });

  it('leaves the configured headroom unused', async () => {
    const { clock, grants, sustain } = harness(10, 0.05);
    const stop = sustain('article', 3);
    await clock.advance(10_000);
    stop();
    // 9.5 per second: 95 in 10 s (plus the one at t = 0).
    expect(grants.filter((g) => g.at < 10_000).length).toBe(96);
  });

  it('is unlimited at rate 0', async () => {
    const { grants, acquire } = harness(0);
    await Promise.all([acquire('replay'), acquire('replay'), acquire('invoice')]);
    expect(grants.every((g) => g.at === 0 && g.waited === 0)).toBe(true);
  });

  it('lets an invoice in within about one interval while bulk lanes saturate the budget', async () => {
    const { clock, grants, acquire, sustain } = harness(10);
    const stops = [sustain('replay', 5), sustain('article', 5), sustain('customer', 5)];
    await clock.advance(1_030); // mid-interval, bulk work queued everywhere
    const asked = clock.now();
    void acquire('invoice');
    await clock.advance(1_000);
    stops.forEach((s) => s());
    const invoice = grants.find((g) => g.lane === 'invoice')!;
    // At most one bulk slot (+ the customer lane's horizon of 0.25 interval) before it.
    expect(invoice.at - asked).toBeLessThanOrEqual(125);
    // And the budget was used throughout: one grant per 100 ms.
    const inWindow = grants.filter((g) => g.at >= 0 && g.at < 2_000).length;
    expect(inWindow).toBe(20);
  });

  it('does not starve a lower lane behind a settlement backlog: a long wait raises its priority', async () => {
    const { clock, grants, acquire, sustain } = harness(10);
    const stop = sustain('settlement', 5);
    await clock.advance(500);
    const asked = clock.now();
    void acquire('customer');
    await clock.advance(30_000);
    stop();
    const customer = grants.find((g) => g.lane === 'customer');
    expect(customer).toBeDefined();
    // Without ageing it would wait for as long as the backlog lasts (here: forever).
    expect(customer!.at - asked).toBeLessThan(10_000);
  });

  it('serves lanes in strict priority order when all wait', async () => {
    const { clock, grants, acquire } = harness(10);
    void acquire('article'); // takes the free slot at t = 0
    await settle();
    for (const lane of ['replay', 'article', 'customer', 'settlement', 'invoice'] as const) void acquire(lane);
    await clock.advance(1_000);
    expect(grants.map((g) => g.lane)).toEqual(['article', 'invoice', 'settlement', 'customer', 'article', 'replay']);
    expect(grants.map((g) => g.at)).toEqual([0, 100, 200, 300, 400, 500]);
  });

  it('starves lower lanes only while higher lanes have work, then gives them everything', async () => {
    const { clock, grants, sustain } = harness(10);
    const stopReplay = sustain('replay', 2);
    const stopCustomer = sustain('customer', 2);
    await clock.advance(2_000);
    stopCustomer();
    await clock.advance(2_000);
    stopReplay();
    const firstHalf = grants.filter((g) => g.at > 100 && g.at < 2_000);
    expect(firstHalf.every((g) => g.lane === 'customer')).toBe(true);
    const secondHalf = grants.filter((g) => g.at > 2_200 && g.at < 4_000);
    expect(secondHalf.length).toBeGreaterThanOrEqual(17);
    expect(secondHalf.every((g) => g.lane === 'replay')).toBe(true);
  });

  it('never grants two slots closer than the interval, whatever the mix', async () => {
    const { clock, grants, sustain, acquire } = harness(10);
    const stops = (['replay', 'article', 'customer', 'settlement'] as const).map((l) => sustain(l, 3));
    for (let i = 0; i < 10; i++) {
      void acquire('invoice');
      await clock.advance(370);
    }
    stops.forEach((s) => s());
    const times = grants.map((g) => g.at).sort((a, b) => a - b);
    for (let i = 1; i < times.length; i++) expect(times[i] - times[i - 1]).toBeGreaterThanOrEqual(100);
    expect(times.length).toBeGreaterThanOrEqual(37);
  });

  it('an aborted wait takes no slot', async () => {
    const { clock, grants, acquire } = harness(10);
    void acquire('article');
    await settle();
    const controller = new AbortController();
    const aborted = acquire('replay', controller.signal).catch((e: unknown) => e);
    void acquire('replay');
    await clock.advance(10);
    controller.abort(new Error('consumer stopping'));
    expect(await aborted).toEqual(new Error('consumer stopping'));
    await clock.advance(500);
    expect(grants.map((g) => [g.lane, g.at])).toEqual([
      ['article', 0],
      ['replay', 100],
    ]);
  });
});
