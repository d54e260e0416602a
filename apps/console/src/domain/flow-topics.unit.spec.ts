import { ConsoleError } from './console-errors';
import { consumedTopicKey, parseSince, resyncPlan } from './flow-topics';

describe('consumedTopicKey', () => {
  it.each([
    ['customerChanged', '', 'customerChanged'],
    ['pos.customer-changed.v1', '', 'customerChanged'],
    ['test-1.pos.z-report-closed.v1', 'test-1.', 'zReportClosed'],
    ['pos.invoice-posted.v1.dlq', '', 'invoicePosted'],
    [' articleChanged ', 'p.', 'articleChanged'],
  ])('%s (prefix "%s") → %s', (input, prefix, key) => {
    expect(consumedTopicKey(input, prefix)).toBe(key);
  });

  it.each([['integration.settlement.outcomes.v1'], ['pos.unknown.v1'], ['other.pos.customer-changed.v1'], ['']])(
    'refuses %s, naming the topics it knows',
    (input) => {
      expect(() => consumedTopicKey(input, 'p.')).toThrow(ConsoleError);
      expect(() => consumedTopicKey(input, 'p.')).toThrow(/zReportClosed \(pos\.z-report-closed\.v1\)/);
    },
  );
});

describe('resyncPlan', () => {
  it.each<[string, string[] | undefined, { flow: string; topics: string[] }[]]>([
    [
      'every consumed topic by default, customers and articles before documents',
      undefined,
      [
        { flow: 'customer-sync', topics: ['customerChanged'] },
        { flow: 'article-sync', topics: ['articleChanged'] },
        { flow: 'invoice', topics: ['invoicePosted'] },
        { flow: 'settlement', topics: ['zReportClosed'] },
      ],
    ],
    ['one topic', ['pos.z-report-closed.v1'], [{ flow: 'settlement', topics: ['zReportClosed'] }]],
    [
      'named twice, in any order',
      ['invoicePosted', 'customerChanged', 'pos.invoice-posted.v1'],
      [
        { flow: 'customer-sync', topics: ['customerChanged'] },
        { flow: 'invoice', topics: ['invoicePosted'] },
      ],
    ],
  ])('%s', (_name, topics, plan) => {
    expect(resyncPlan(topics, '')).toEqual(plan);
  });
});

describe('parseSince', () => {
  const now = new Date('2025-03-10T12:00:00Z');
  it.each([
    ['2025-03-01T00:00:00+01:00', '2025-02-28T23:00:00.000Z'],
    ['2025-03-01', '2025-03-01T00:00:00.000Z'],
    ['2025-03-10T12:00:00Z', '2025-03-10T12:00:00.000Z'],
  ])('%s → %s', (input, iso) => {
    expect(parseSince(input, now).toISOString()).toBe(iso);
  });

  it.each([['yesterday'], ['1741600000'], ['2025-13-45'], ['2025-03-11T00:00:00Z']])('refuses %s', (input) => {
    expect(() => parseSince(input, now)).toThrow(ConsoleError);
  });
});
