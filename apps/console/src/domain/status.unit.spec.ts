import {
  attentionReasons,
  countStates,
  overview,
  SettlementEntry,
  settlementDays,
  settlementHealth,
  syncHealth,
  TenantSummary,
} from './status';

const entry = (registerId: string, zNumber: number | null, businessDate: string, state: string): SettlementEntry => ({
  registerId,
  zNumber,
  businessDate,
  state,
  postAt: null,
  voucherId: null,
  voucherNo: null,
  errorCode: null,
  errorMessage: null,
  updatedAt: null,
});

const summary = (over: Partial<TenantSummary> = {}): TenantSummary => ({
  tenantId: 't',
  name: 'Shop',
  enabled: true,
  authorised: true,
  notAuthorisedReason: null,
  hasMapping: true,
  settlements: { failed: 0, missing: 0, pending: 0, posted: 3 },
  invoicesFailing: 0,
  customersFailing: 0,
  articlesFailing: 0,
  parkedEvents: 0,
  apiErrorsLastDay: 0,
  ...over,
});

describe('settlementHealth', () => {
  it.each([
    ['posted', 'posted'],
    ['failed', 'failed'],
    ['missing', 'missing'],
    ['scheduled', 'pending'],
    ['posting', 'pending'],
    ['reversed', 'pending'],
    ['something-new', 'pending'],
  ])('%s → %s', (state, health) => {
    expect(settlementHealth(state)).toBe(health);
  });
});

describe('settlementDays', () => {
  it.each<[string, SettlementEntry[], { date: string; health: string; registers: string[] }[]]>([
    ['one posted register', [entry('K1', 7, '2025-03-01', 'posted')], [{ date: '2025-03-01', health: 'posted', registers: ['K1:7'] }]],
    [
      'a failed register makes the whole day red',
      [entry('K1', 7, '2025-03-01', 'posted'), entry('K2', 3, '2025-03-01', 'failed')],
      [{ date: '2025-03-01', health: 'failed', registers: ['K1:7', 'K2:3'] }],
    ],
    [
      'failed outranks missing, missing outranks scheduled',
      [entry('K3', null, '2025-03-02', 'missing'), entry('K1', 9, '2025-03-02', 'scheduled'), entry('K2', 4, '2025-03-02', 'failed')],
      [{ date: '2025-03-02', health: 'failed', registers: ['K1:9', 'K2:4', 'K3:null'] }],
    ],
    [
      'days newest first',
      [entry('K1', 1, '2025-02-27', 'posted'), entry('K1', 3, '2025-03-01', 'missing'), entry('K1', 2, '2025-02-28', 'scheduled')],
      [
        { date: '2025-03-01', health: 'missing', registers: ['K1:3'] },
        { date: '2025-02-28', health: 'pending', registers: ['K1:2'] },
        { date: '2025-02-27', health: 'posted', registers: ['K1:1'] },
      ],
    ],
    [
      'a corrected report on the same register and day: newest Z first',
      [entry('K1', 7, '2025-03-01', 'reversed'), entry('K1', 8, '2025-03-01', 'posted')],
      [{ date: '2025-03-01', health: 'pending', registers: ['K1:8', 'K1:7'] }],
    ],
  ])('%s', (_name, rows, expected) => {
    const days = settlementDays(rows);
    expect(days.map((d) => ({ date: d.businessDate, health: d.health, registers: d.registers.map((r) => `${r.registerId}:${r.zNumber}`) }))).toEqual(expected);
  });
});

describe('syncHealth and countStates', () => {
  it.each([
    ['synced', 'ok'],
    ['transferred', 'ok'],
    ['failed', 'failing'],
    ['REJECTED', 'failing'],
    ['pending', 'pending'],
    ['attempting', 'pending'],
  ])('%s → %s', (state, health) => {
    expect(syncHealth(state)).toBe(health);
  });

  it('counts per state, failing and pending', () => {
    expect(
      countStates([
        { state: 'synced', count: 40 },
        { state: 'failed', count: 2 },
        { state: 'rejected', count: 1 },
        { state: 'pending', count: 3 },
      ]),
    ).toEqual({ byState: { synced: 40, failed: 2, rejected: 1, pending: 3 }, failing: 3, pending: 3, total: 46 });
  });
});

describe('attentionReasons', () => {
  it.each<[string, Partial<TenantSummary>, string[]]>([
    ['all well', {}, []],
    ['a failed settlement', { settlements: { failed: 1, missing: 0, pending: 0, posted: 2 } }, ['1 settlement failed']],
    ['missing days', { settlements: { failed: 0, missing: 2, pending: 0, posted: 2 } }, ['2 settlements missing']],
    ['not authorised comes first', { authorised: false, notAuthorisedReason: 'key revoked', parkedEvents: 3 }, ['not authorised in PowerOffice: key revoked', '3 parked events']],
    ['rejected invoices, failing customers and articles', { invoicesFailing: 2, customersFailing: 1, articlesFailing: 4 }, ['2 invoices rejected', '1 customer failing', '4 articles failing']],
    ['no mapping', { hasMapping: false }, ['no account mapping']],
    ['unavailable parts are not failures', { settlements: null, invoicesFailing: null, customersFailing: null, articlesFailing: null }, []],
    ['disabled alone is a decision, not a failure', { enabled: false }, []],
  ])('%s', (_name, over, reasons) => {
    expect(attentionReasons(summary(over))).toEqual(reasons);
  });
});

describe('overview', () => {
  it('lists tenants with anything failed or missing first, worst first, then by name', () => {
    const list = overview([
      summary({ tenantId: 'a', name: 'Alfa' }),
      summary({ tenantId: 'b', name: 'Bravo', settlements: { failed: 0, missing: 1, pending: 0, posted: 0 } }),
      summary({ tenantId: 'c', name: 'Charlie' }),
      summary({ tenantId: 'd', name: 'Delta', settlements: { failed: 3, missing: 0, pending: 0, posted: 0 } }),
      summary({ tenantId: 'e', name: 'Echo', authorised: false }),
    ]);
    expect(list.map((e) => [e.tenantId, e.needsAttention])).toEqual([
      ['e', true],
      ['d', true],
      ['b', true],
      ['a', false],
      ['c', false],
    ]);
  });
});
