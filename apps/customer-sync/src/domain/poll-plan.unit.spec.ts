import { formatInstant, parseInstant } from './instant';
import { changeKey, MappedCustomer, planPoll, pollSince, PollState } from './poll-plan';

const second = 10_000_000n;
const overlap = 5n * second;
const t = (text: string) => parseInstant(text)!;
const at = (s: number) => formatInstant(t('2026-03-14T10:00:00Z') + BigInt(s) * second);
const customer = (id: number, changedSecond: number, reference?: string) => ({
  id,
  lastChangedDateTimeOffset: at(changedSecond),
  externalImportReference: reference ?? null,
});

function given(state: Partial<PollState> = {}, mapped: Record<number, MappedCustomer> = {}) {
  return {
    when: (customers: ReturnType<typeof customer>[]) =>
      planPoll({
        customers,
        mapped: new Map(Object.entries(mapped).map(([k, v]) => [Number(k), v])),
        state: { watermark: null, recent: [], ...state },
        overlapTicks: overlap,
      }),
  };
}

describe('the PowerOffice → Open One poll plan', () => {
  it('asks from the start (first round) or the watermark, minus the overlap', () => {
    expect(pollSince({ watermark: null, recent: [] }, t('2026-03-14T10:00:00Z'), overlap)).toBe(
      '2026-03-14T09:59:55.0000000Z',
    );
    expect(pollSince({ watermark: at(30), recent: [] }, t('2026-01-01T00:00:00Z'), overlap)).toBe(at(25));
  });

  it('publishes unmapped PowerOffice customers and moves the watermark to the newest change', () => {
    const plan = given().when([customer(2, 20), customer(1, 10)]);
    expect(plan.changes.map((c) => [c.customer.id, c.verdict])).toEqual([
      [1, 'publish'],
      [2, 'publish'],
    ]);
    expect(plan.next.watermark).toBe(at(20));
    // Only changes inside the next round's window are remembered.
    expect(plan.next.recent).toEqual([changeKey(2, t(at(20)))]);
  });

  it.each([
    [
      'our own write (LastChanged as recorded after it)',
      { customerId: 'c-1', poLastChanged: at(10), poEditedAt: null },
      undefined,
      'own-write',
    ],
    [
      'the same instant written with an offset',
      { customerId: 'c-1', poLastChanged: '2026-03-14T11:00:10.0000000+01:00', poEditedAt: null },
      undefined,
      'own-write',
    ],
    [
      'a PowerOffice edit after our write',
      { customerId: 'c-1', poLastChanged: at(5), poEditedAt: null },
      undefined,
      'publish',
    ],
    [
      'an edit already published (recorded on the mapping)',
      { customerId: 'c-1', poLastChanged: at(5), poEditedAt: at(10) },
      undefined,
      'already-published',
    ],
    ['our create whose mapping is not recorded yet', undefined, 'oop-c-0123456789', 'own-create'],
    ['another integration’s customer', undefined, 'ERP-4711', 'publish'],
  ])('%s → %s', (_case, mapping, reference, verdict) => {
    const plan = given({}, mapping ? { 7: mapping } : {}).when([customer(7, 10, reference)]);
    expect(plan.changes[0]).toMatchObject({ verdict, ...(mapping ? { posCustomerId: 'c-1' } : {}) });
  });

  it('a change re-read through the overlap is not published again; a late one inside it is', () => {
    // Round 1 saw customer 1 at 10 s and customer 2 at 12 s.
    const first = given().when([customer(1, 10), customer(2, 12)]);
    // Round 2 reads from 7 s: 1 and 2 again, plus 3 at 11 s that the lagging replica did not show before.
    const second = given(first.next).when([customer(1, 10), customer(2, 12), customer(3, 11)]);
    expect(second.changes.map((c) => [c.customer.id, c.verdict])).toEqual([
      [1, 'already-published'],
      [3, 'publish'],
      [2, 'already-published'],
    ]);
    expect(second.next.watermark).toBe(at(12));
  });

  it('a new change of the same customer is a new version and is published', () => {
    const first = given().when([customer(1, 10)]);
    const second = given(first.next).when([customer(1, 13)]);
    expect(second.changes[0].verdict).toBe('publish');
  });

  it('an empty round keeps the watermark and what it remembers', () => {
    const state = { watermark: at(12), recent: [changeKey(2, t(at(12)))] };
    expect(given(state).when([]).next).toEqual(state);
  });

  it('forgets changes that fall out of the window', () => {
    const state = { watermark: at(12), recent: [changeKey(2, t(at(12))), changeKey(1, t(at(8)))] };
    const plan = given(state).when([customer(4, 20)]);
    expect(plan.next.recent).toEqual([changeKey(4, t(at(20)))]);
  });
});
