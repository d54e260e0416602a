import { outcomeId } from '@lib/contracts';
import {
  checkHostileAnswered,
  checkLedger,
  checkOneFinalOutcome,
  checkOneObjectPerEntity,
  checkTenantIsolation,
  checkVouchersBalance,
  isFinal,
  ProducedEvent,
  TenantState,
} from './invariants';
import type { ObservedDeadLetter, ObservedOutcome } from './observer';
import { impliedLedger, tenantLoad, zReport } from './pos-load';
import { findSecrets } from './security';
import { Rng } from './settings';

/** The fault suite's checks must catch what they claim to: each is shown a broken world here. */

const CAUSE = '11111111-1111-4111-8111-111111111111';
let offset = 0;

function outcome(
  type: string,
  data: Record<string, unknown>,
  opts: { cause?: string; tenantId?: string; discriminator?: string; id?: string } = {},
): ObservedOutcome {
  const cause = opts.cause ?? CAUSE;
  return {
    record: { topic: 'outcomes', partition: 0, offset: String(offset++), key: 't1:x', headers: {}, value: null },
    envelope: {
      id: opts.id ?? outcomeId(cause, type, opts.discriminator),
      type,
      source: 'test',
      time: '2026-01-01T00:00:00Z',
      tenantId: opts.tenantId ?? 't1',
      key: 't1:x',
      causationId: cause,
      data,
    },
  };
}

const produced = (over: Partial<ProducedEvent> = {}): ProducedEvent => ({
  eventId: CAUSE,
  tenantId: 't1',
  type: 'CustomerChanged',
  topic: 'pos',
  partition: 0,
  offset: '0',
  role: 'load',
  ...over,
});

const synced = (discriminator?: string) =>
  outcome(
    'CustomerSynced',
    { customerId: 'c-1', action: 'created', powerOffice: { customerId: 1, customerNumber: 10000 } },
    { discriminator },
  );
const failed = (code: string, retryable: boolean, discriminator?: string) =>
  outcome(
    'CustomerSyncFailed',
    { customerId: 'c-1', error: { code, message: `${code} happened here`, retryable } },
    { discriminator },
  );

describe('isFinal', () => {
  it.each([
    ['SettlementScheduled', undefined, false],
    ['SettlementFailed', 'z-gap', false],
    ['SettlementFailed', 'z-gap/redrive:1', false],
    ['SettlementFailed', undefined, true],
    ['SettlementPosted', 'post:1', true],
    ['CustomerSynced', undefined, true],
  ])('%s (discriminator %s) is final: %s', (type, discriminator, final) => {
    expect(isFinal(outcome(type, {}, { discriminator }).envelope!)).toBe(final);
  });
});

describe('checkOneFinalOutcome', () => {
  it.each<[string, boolean, ObservedOutcome[], Partial<ProducedEvent>, number]>([
    ['one success', true, [synced()], {}, 0],
    ['the same outcome published twice (same id)', true, [synced(), synced()], {}, 0],
    ['no outcome at all', false, [], {}, 0],
    ['two different final outcomes', false, [failed('RETRIES_EXHAUSTED', true), synced('redrive:1')], {}, 0],
    ['a failure, a redrive, then success', true, [failed('RETRIES_EXHAUSTED', true), synced('redrive:1')], {}, 1],
    ['a valid event that ends in failure', false, [failed('POWEROFFICE_REJECTED', false)], {}, 0],
    [
      'an older version delivered after a newer one, failed',
      true,
      [failed('RETRIES_EXHAUSTED', false)],
      { stale: true },
      0,
    ],
    [
      'a hostile record that fails',
      true,
      [failed('INVALID_EVENT', false)],
      { role: 'hostile', expectation: { kind: 'failure', code: 'INVALID_EVENT' } },
      0,
    ],
  ])('%s → holds: %s', (_, holds, outcomes, over, recoveries) => {
    const r = checkOneFinalOutcome([produced(over)], outcomes, new Map(recoveries ? [[CAUSE, recoveries]] : []));
    expect(r.passed).toBe(holds);
  });

  it('refuses an outcome that answers another tenant', () => {
    const o = outcome('CustomerSynced', { customerId: 'c-1' }, { tenantId: 't2' });
    expect(checkOneFinalOutcome([produced()], [o], new Map()).violations[0]).toMatch(/answers tenant t2/);
  });
});

function state(over: Partial<TenantState> = {}): TenantState {
  return { customers: [], products: [], vouchers: [], accountTransactions: [], ...over };
}

describe('checkOneObjectPerEntity, checkVouchersBalance, checkLedger, checkTenantIsolation', () => {
  const load = tenantLoad('t1', 'MK1', { customers: 1, articles: 0, registers: 1, days: 1, invoices: 0 }, new Rng(1));
  const z = load.zReports[0]!;
  const posted = outcome('SettlementPosted', {
    registerId: z.registerId,
    zNumber: z.zNumber,
    powerOffice: { voucherId: 'v1' },
  }).envelope!;
  const customerSynced = outcome('CustomerSynced', { customerId: 'c-0', powerOffice: { customerId: 7 } }).envelope!;
  const customer = { Id: 7, Name: load.customers[0]!.versions[1]!.name };
  const voucher = (id: string, lines: number[]) => ({
    Id: id,
    VoucherNo: 1,
    VoucherType: 'CashJournal',
    VoucherLines: lines.map((a) => ({ CurrencyAmount: a / 100 })),
  });
  const expectation = new Map([['t1', { load, outcomes: [posted, customerSynced] }]]);

  it('holds for one customer and one voucher as reported', () => {
    const s = new Map([['t1', state({ customers: [customer], vouchers: [voucher('v1', [100, -100])] })]]);
    expect(checkOneObjectPerEntity(expectation, s).violations).toEqual([]);
  });

  it('catches a double voucher, a duplicated customer and an old version', () => {
    const s = new Map([
      [
        't1',
        state({
          customers: [customer, { ...customer, Id: 8 }],
          vouchers: [voucher('v1', [1, -1]), voucher('v2', [1, -1])],
        }),
      ],
    ]);
    const v = checkOneObjectPerEntity(expectation, s).violations.join('\n');
    expect(v).toMatch(/2 PowerOffice customer\(s\) named/);
    expect(v).toMatch(/2 cash-journal vouchers in PowerOffice for 1 Z-reports/);
    const old = new Map([
      [
        't1',
        state({
          customers: [{ Id: 7, Name: load.customers[0]!.versions[0]!.name }],
          vouchers: [voucher('v1', [1, -1])],
        }),
      ],
    ]);
    expect(checkOneObjectPerEntity(expectation, old).violations.join('\n')).toMatch(
      /0 PowerOffice customer\(s\) named ".* v2"/,
    );
  });

  it('catches a voucher that does not balance, in its lines or in the ledger', () => {
    const s = new Map([
      [
        't1',
        state({
          vouchers: [voucher('v1', [100, -99])],
          accountTransactions: [
            { VoucherId: 'v1', Amount: 1 },
            { VoucherId: 'v1', Amount: -0.99 },
          ],
        }),
      ],
    ]);
    const v = checkVouchersBalance(s).violations;
    expect(v).toEqual([
      expect.stringMatching(/lines add up to 1 øre/),
      expect.stringMatching(/ledger rows add up to 1 øre/),
    ]);
  });

  it('catches a ledger one øre off what the events imply', () => {
    const implied = impliedLedger([z], []);
    const rows = [...implied.get(z.businessDate)!].map(([account, ore]) => ({
      VoucherDate: `${z.businessDate}T00:00:00`,
      AccountNo: account,
      Amount: ore / 100,
    }));
    expect(
      checkLedger(new Map([['t1', implied]]), new Map([['t1', state({ accountTransactions: rows })]])).passed,
    ).toBe(true);
    rows[0]!.Amount += 0.01;
    expect(
      checkLedger(new Map([['t1', implied]]), new Map([['t1', state({ accountTransactions: rows })]])).violations,
    ).toHaveLength(1);
  });

  it("catches another tenant's customer and an unreported voucher", () => {
    const s = new Map([
      [
        't1',
        state({
          customers: [customer, { Id: 9, Name: 'Kunde MK2-0 v2' }],
          vouchers: [voucher('v1', [1, -1]), voucher('vX', [1, -1])],
        }),
      ],
    ]);
    const v = checkTenantIsolation(expectation, s).violations.join('\n');
    expect(v).toMatch(/customer "Kunde MK2-0 v2" is not this tenant's/);
    expect(v).toMatch(/\(vX\) was reported by none/);
  });
});

describe('impliedLedger', () => {
  it('balances a Z-report and credits sales net and output VAT separately', () => {
    const z = zReport('kasse-1', 1, '2026-03-14', new Rng(7));
    const day = impliedLedger([z], []).get('2026-03-14')!;
    expect([...day.values()].reduce((a, b) => a + b, 0)).toBe(0);
    expect(day.get(3000)).toBe(-z.sales[0]!.netAmount);
    expect(day.get(2700)).toBe(-z.sales[0]!.vatAmount);
    expect(day.get(1900)).toBe(z.payments[0]!.amount);
  });
});

describe('checkHostileAnswered', () => {
  const hostile = produced({
    role: 'hostile',
    hostileClass: 'bad',
    expectation: { kind: 'failure', code: 'INVALID_EVENT', field: 'name' },
  });
  const letter: ObservedDeadLetter = {
    record: { topic: 'pos.dlq', partition: 0, offset: '0', key: null, headers: {}, value: null },
    originalTopic: 'pos',
    originalPartition: 0,
    originalOffset: '0',
    errorCode: 'INVALID_EVENT',
    errorMessage: 'name is too long',
  };
  const answer = outcome('CustomerSyncFailed', {
    error: {
      code: 'INVALID_EVENT',
      message: 'CustomerChanged is invalid: name',
      retryable: false,
      details: [{ field: 'name' }],
    },
  });

  it('holds with a failure outcome naming the field and a dead letter', () => {
    expect(checkHostileAnswered([hostile], [answer], [letter]).violations).toEqual([]);
  });

  it('catches a missing dead letter, a wrong code and a record that should have had no tenant to answer', () => {
    expect(checkHostileAnswered([hostile], [answer], []).violations).toEqual([expect.stringMatching(/0 dead letter/)]);
    const parked = { ...hostile, expectation: { kind: 'parked' as const, code: 'INVALID_EVENT' } };
    expect(checkHostileAnswered([parked], [answer], [letter]).violations).toEqual([
      expect.stringMatching(/although no tenant can be read/),
    ]);
    const wrong = outcome(
      'CustomerSyncFailed',
      { error: { code: 'TENANT_UNKNOWN', message: 'unknown tenant t9', retryable: false } },
      { cause: '22222222-2222-4222-8222-222222222222' },
    );
    expect(
      checkHostileAnswered([{ ...hostile, eventId: '22222222-2222-4222-8222-222222222222' }], [wrong], [letter])
        .violations,
    ).toEqual([expect.stringMatching(/expected INVALID_EVENT/)]);
  });
});

describe('findSecrets', () => {
  const key = '0f8fad5b-d9cb-469f-a165-70867728950e';
  it.each([
    ['as is', true, `clientKey=${key}`],
    ['in upper case', true, key.toUpperCase()],
    ['hex-encoded', true, Buffer.from(key).toString('hex')],
    ['base64-encoded', true, Buffer.from(key).toString('base64')],
    ['only a prefix', false, key.slice(0, 8)],
  ])('a client key %s is found: %s', (_, found, text) => {
    expect(findSecrets(text, [{ name: 'k', value: key }])).toEqual(found ? ['k'] : []);
  });
});
