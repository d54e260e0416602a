import { CustomerDecision, CustomerQuestion, CustomerSyncRow, decideCustomer } from './customer-resolution';

const row = (over: Partial<CustomerSyncRow> = {}): CustomerSyncRow => ({
  state: 'synced',
  poCustomerId: 7340012,
  poCustomerNumber: 10001,
  poSubledgerAccountId: 90010001,
  ...over,
});
const pending = row({ state: 'pending', poCustomerId: null, poCustomerNumber: null, poSubledgerAccountId: null });
const ask = (over: Partial<CustomerQuestion>): CustomerQuestion => ({
  customerId: 'c-1001',
  customerNumber: 10001,
  syncRow: null,
  eventAgeMs: 100,
  waitMs: 8000,
  attempt: 1,
  maxAttempts: 6,
  ...over,
});

describe('decideCustomer', () => {
  it.each<[string, Partial<CustomerQuestion>, CustomerDecision]>([
    [
      'a customer the customer sync created',
      { syncRow: row() },
      { kind: 'synced', poCustomerId: 7340012, poCustomerNumber: 10001, poSubledgerAccountId: 90010001 },
    ],
    [
      'a synced customer whose ledger account the sync did not store (read it from PowerOffice)',
      { syncRow: row({ poSubledgerAccountId: null }) },
      { kind: 'synced', poCustomerId: 7340012, poCustomerNumber: 10001, poSubledgerAccountId: null },
    ],
    [
      'a customer being updated (pending again, ids known): no waiting',
      { syncRow: row({ state: 'pending' }) },
      { kind: 'synced', poCustomerId: 7340012, poCustomerNumber: 10001, poSubledgerAccountId: 90010001 },
    ],
    ['no customer-sync row: PowerOffice by number', { syncRow: null }, { kind: 'byNumber', customerNumber: 10001 }],
    [
      'a customer being created, invoice just posted',
      { syncRow: pending, eventAgeMs: 300 },
      { kind: 'wait', retryAfterMs: 1000 },
    ],
    [
      'state "creating" waits the same',
      { syncRow: { ...pending, state: 'creating' }, eventAgeMs: 300 },
      { kind: 'wait', retryAfterMs: 1000 },
    ],
    [
      'the last moments of the wait window',
      { syncRow: pending, eventAgeMs: 7600 },
      { kind: 'wait', retryAfterMs: 400 },
    ],
    ['never less than a short pause', { syncRow: pending, eventAgeMs: 7950 }, { kind: 'wait', retryAfterMs: 200 }],
    [
      'a clock ahead of ours counts as just posted',
      { syncRow: pending, eventAgeMs: -60_000 },
      { kind: 'wait', retryAfterMs: 1000 },
    ],
    [
      'the wait window is over: PowerOffice by number',
      { syncRow: pending, eventAgeMs: 8000 },
      { kind: 'byNumber', customerNumber: 10001 },
    ],
    [
      'the last attempt does not wait',
      { syncRow: pending, eventAgeMs: 300, attempt: 6 },
      { kind: 'byNumber', customerNumber: 10001 },
    ],
    [
      'a failed customer sync: PowerOffice by number',
      { syncRow: { ...pending, state: 'failed' } },
      { kind: 'byNumber', customerNumber: 10001 },
    ],
  ])('%s', (_, over, expected) => {
    expect(decideCustomer(ask(over))).toEqual(expected);
  });

  it.each<[string, Partial<CustomerQuestion>, RegExp]>([
    ['nothing to go by', { customerNumber: undefined }, /never created it, and the invoice carries no customer number/],
    [
      'a wait that ran out without a number',
      { customerNumber: undefined, syncRow: pending, eventAgeMs: 9000 },
      /not finished creating it .*state "pending".* within 8 s/,
    ],
    [
      'a failed sync without a number',
      { customerNumber: undefined, syncRow: { ...pending, state: 'failed' } },
      /customer sync failed/,
    ],
  ])('gives up at once with %s', (_, over, reason) => {
    const d = decideCustomer(ask(over));
    expect(d.kind).toBe('notFound');
    expect(d.kind === 'notFound' && d.reason).toMatch(reason);
  });
});
