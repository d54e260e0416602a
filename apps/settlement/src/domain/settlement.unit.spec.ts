import { zReportExample81, zReportExample82, type OutcomeError } from '@lib/contracts';
import {
  answerForStoredState,
  classifyArrival,
  findPostedVoucher,
  identityFailure,
  nextPostingAttempt,
  postedOutcome,
  postingFailure,
  retriesExhausted,
  scheduledOutcome,
  zGapFailure,
  type LedgerRow,
  type SettlementSnapshot,
  type SettlementState,
} from './settlement';
import { checkZReport } from './z-report-check';
import type { ZReportClosed } from './z-report';

const z82 = (): ZReportClosed => structuredClone(zReportExample82);

function snapshot(overrides: Partial<SettlementSnapshot> = {}): SettlementSnapshot {
  return {
    state: 'scheduled',
    contentHash: 'h1',
    registerId: 'reg1',
    zNumber: 42,
    businessDate: '2026-03-14',
    postAt: new Date('2026-03-15T01:00:00Z'),
    voucher: {
      voucherDate: '2026-03-14',
      description: 'Z-rapport 42',
      importedVoucherNo: 42,
      externalImportReference: 'oop-z-x',
      currency: 'NOK',
      lines: [],
      totals: { debit: 1560040, credit: 1560040 },
    },
    posted: null,
    reversed: null,
    error: null,
    ...overrides,
  };
}

describe('classifyArrival', () => {
  it.each<[string, SettlementState | null, string, string]>([
    ['nothing stored', null, 'h1', 'new'],
    ['same content, scheduled', 'scheduled', 'h1', 'repeat'],
    ['same content, posted', 'posted', 'h1', 'repeat'],
    ['same content while posting', 'posting', 'h1', 'repeat'],
    ['same content, failed', 'failed', 'h1', 'repeat'],
    ['other content while posting', 'posting', 'h2', 'busy'],
    ['other content, scheduled', 'scheduled', 'h2', 'correction'],
    ['other content, posted', 'posted', 'h2', 'correction'],
    ['other content, failed', 'failed', 'h2', 'correction'],
    ['other content, reversed', 'reversed', 'h2', 'correction'],
  ])('%s → %s', (_name, state, hash, kind) => {
    const stored = state === null ? null : snapshot({ state });
    expect(classifyArrival(stored, hash).kind).toBe(kind);
  });
});

describe('answerForStoredState: a report that arrives again is answered with where the earlier one is', () => {
  const voucher = { voucherId: '7f1c0a52-1111-4c3e-9d5b-2f0c1e2d3a4b', voucherNo: 10017 };
  const error: OutcomeError = { code: 'PERIOD_LOCKED', message: 'locked', retryable: false };

  it.each<[string, Partial<SettlementSnapshot>, unknown]>([
    [
      'scheduled',
      { state: 'scheduled' },
      {
        type: 'SettlementScheduled',
        data: { registerId: 'reg1', zNumber: 42, businessDate: '2026-03-14', postAt: '2026-03-15T01:00:00.000Z' },
      },
    ],
    ['posting (still scheduled as far as the POS knows)', { state: 'posting' }, { type: 'SettlementScheduled' }],
    [
      'scheduled to replace a posted voucher',
      { state: 'scheduled', posted: voucher },
      { type: 'SettlementScheduled', data: { replaces: voucher } },
    ],
    [
      'posted',
      { state: 'posted', posted: voucher },
      { type: 'SettlementPosted', data: { powerOffice: voucher, totals: { debit: 1560040, credit: 1560040 } } },
    ],
    [
      'posted as a correction',
      { state: 'posted', posted: voucher, reversed: { voucherId: 'old', voucherNo: 9 } },
      { type: 'SettlementPosted', data: { corrected: true, reversedVoucherId: 'old', reversedVoucherNo: 9 } },
    ],
    ['failed', { state: 'failed', error }, { type: 'SettlementFailed', data: { error } }],
    ['reversed', { state: 'reversed', error }, { type: 'SettlementFailed', data: { error } }],
  ])('%s', (_name, overrides, expected) => {
    expect(answerForStoredState(snapshot(overrides))).toMatchObject(expected as object);
  });

  it('a plain post says nothing about corrections', () => {
    const out = postedOutcome(snapshot(), voucher, { debit: 1, credit: 1 });
    expect(out.data).not.toHaveProperty('corrected');
    expect(out.data).not.toHaveProperty('reversedVoucherId');
  });

  it('a first schedule says nothing about a voucher it replaces', () => {
    expect(scheduledOutcome(snapshot(), new Date('2026-03-15T01:00:00Z')).data).not.toHaveProperty('replaces');
  });
});

describe('identityFailure and zGapFailure', () => {
  it('a valid report is postable: no failure', () => {
    expect(identityFailure(z82(), checkZReport(z82()))).toBeNull();
  });

  it('every error-level problem, with its numbers in details and no warnings', () => {
    const r = z82();
    r.payments[0]!.amount -= 100; // payment identity and cash identity break
    const problems = checkZReport(r, { zNumber: 39 }); // plus a gap warning
    const failure = identityFailure(r, problems)!;
    expect(failure.code).toBe('IDENTITY_MISMATCH');
    expect(failure.retryable).toBe(false);
    expect(failure.details).toEqual([
      expect.objectContaining({ kind: 'PAYMENT_IDENTITY', payments: 1559900, difference: -100 }),
      expect.objectContaining({ kind: 'CASH_IDENTITY', cashPayments: 454900, difference: 100 }),
    ]);
    expect(failure.message).toMatch(/^Z 42 of register reg1 \(2026-03-14\) is not posted: payments 15 599,00 ≠/);
  });

  it.each<[string, number | undefined, unknown]>([
    ['first report of the register', undefined, null],
    ['consecutive', 41, null],
    ['one missing', 40, { missingFrom: 41, missingTo: 41, previousZNumber: 40, zNumber: 42 }],
    ['three missing', 38, { missingFrom: 39, missingTo: 41 }],
  ])('gap: %s', (_name, previous, expected) => {
    const r = z82();
    const failure = zGapFailure(r, checkZReport(r, previous === undefined ? undefined : { zNumber: previous }));
    if (expected === null) expect(failure).toBeNull();
    else {
      expect(failure).toMatchObject({ code: 'Z_NUMBER_GAP', retryable: false, details: expected });
      expect(failure!.message).toMatch(/Z 42 itself is posted as usual/);
    }
  });
});

describe('nextPostingAttempt', () => {
  const policy = { maxAttempts: 5, baseDelayMs: 30_000, maxDelayMs: 120_000 };
  const now = new Date('2026-03-15T01:00:00Z');
  it.each<[string, number, number | undefined, string | null]>([
    ['after the first attempt: the base delay', 1, undefined, '2026-03-15T01:00:30.000Z'],
    ['doubles', 2, undefined, '2026-03-15T01:01:00.000Z'],
    ['doubles again', 3, undefined, '2026-03-15T01:02:00.000Z'],
    ['capped', 4, undefined, '2026-03-15T01:02:00.000Z'],
    ["never before PowerOffice's Retry-After", 1, 90_000, '2026-03-15T01:01:30.000Z'],
    ['a short Retry-After does not shorten the backoff', 2, 1000, '2026-03-15T01:01:00.000Z'],
    ['attempts used up', 5, undefined, null],
  ])('%s', (_name, attempts, retryAfter, expected) => {
    expect(nextPostingAttempt(attempts, now, policy, retryAfter)?.toISOString() ?? null).toBe(expected);
  });
});

describe('posting failures', () => {
  it.each<[string, string]>([
    ['PERIOD_LOCKED', 'PERIOD_LOCKED'],
    ['POWEROFFICE_REJECTED', 'POWEROFFICE_REJECTED'],
    ['TENANT_NOT_AUTHORISED', 'TENANT_NOT_AUTHORISED'],
    ['NUMBER_OUT_OF_SERIES', 'POWEROFFICE_REJECTED'],
    ['INVALID_EVENT', 'POWEROFFICE_REJECTED'],
  ])('%s is reported as %s, message kept', (code, expected) => {
    const error = postingFailure({
      code: code as OutcomeError['code'],
      message: 'PowerOffice said so',
      retryable: false,
    });
    expect(error).toMatchObject({ code: expected, message: 'PowerOffice said so' });
  });

  it("retries exhausted keeps PowerOffice's last words", () => {
    const last: OutcomeError = {
      code: 'RETRIES_EXHAUSTED',
      message: 'PowerOffice failed (503).',
      retryable: true,
      powerOffice: { status: 503, title: 'Service Unavailable' },
    };
    const error = retriesExhausted(snapshot(), 8, last);
    expect(error).toMatchObject({
      code: 'RETRIES_EXHAUSTED',
      retryable: true,
      powerOffice: { status: 503 },
      details: { attempts: 8 },
    });
    expect(error.message).toMatch(/after 8 attempt\(s\)\. Last error: PowerOffice failed \(503\)\./);
  });
});

describe('findPostedVoucher: recognising the voucher an earlier attempt posted', () => {
  const ref = 'oop-z-abc';
  const row = (voucherId: string, amount: number, extra: Partial<LedgerRow> = {}): LedgerRow => ({
    voucherId,
    voucherNo: voucherId === 'v1' ? 1 : 2,
    amount,
    externalImportReference: ref,
    isReversed: false,
    ...extra,
  });

  it.each<[string, LedgerRow[], unknown]>([
    ['no rows', [], { found: false }],
    ['rows of other vouchers only', [row('v1', 100, { externalImportReference: 'other' })], { found: false }],
    [
      'ours, debit matches (credits split into net + VAT)',
      [row('v1', 600), row('v1', 400), row('v1', -800), row('v1', -200)],
      { found: true, voucher: { voucherId: 'v1', voucherNo: 1 } },
    ],
    [
      'a reversed voucher with our reference does not count',
      [row('v1', 1000, { isReversed: true }), row('v1', -1000, { isReversed: true })],
      { found: false },
    ],
    [
      'reversed old one and a live new one',
      [row('v1', 1000, { isReversed: true }), row('v2', 1000), row('v2', -1000)],
      { found: true, voucher: { voucherId: 'v2', voucherNo: 2 } },
    ],
    [
      'ours, but other amounts',
      [row('v1', 900), row('v1', -900)],
      { found: true, mismatch: { voucherId: 'v1', voucherNo: 1, debit: 900, expectedDebit: 1000 } },
    ],
  ])('%s', (_name, rows, expected) => {
    expect(findPostedVoucher(rows, ref, 1000)).toEqual(expected);
  });
});

describe('the §8.1 example as a snapshot', () => {
  it('is answered as posted with its totals', () => {
    const s = snapshot({
      state: 'posted',
      registerId: zReportExample81.registerId,
      zNumber: 1,
      businessDate: '2020-01-01',
      posted: { voucherId: 'v' },
    });
    s.voucher!.totals = { debit: 51420, credit: 51420 };
    expect(answerForStoredState(s)).toEqual({
      type: 'SettlementPosted',
      data: {
        registerId: '11.222-33.44.567',
        zNumber: 1,
        businessDate: '2020-01-01',
        powerOffice: { voucherId: 'v' },
        totals: { debit: 51420, credit: 51420 },
      },
    });
  });
});
