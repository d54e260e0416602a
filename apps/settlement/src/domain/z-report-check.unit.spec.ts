import {
  checkZReport,
  isPostable,
  type PreviousZReport,
  type ZReportControls,
  type ZReportProblem,
} from './z-report-check';
import { zReportExample81, zReportExample82 } from '@lib/contracts';
import type { ZReportClosed } from './z-report';

// The contract's fixtures of pos-domain §8.1 / §8.2 are frozen; every test works on its own copy.
const zReport81 = (): ZReportClosed => structuredClone(zReportExample81);
const zReport82 = (): ZReportClosed => structuredClone(zReportExample82);
/** Z 41 of the same register, consistent with §8.2: its net grand total + 14 400,40 = Z 42's. */
const previousOf82: PreviousZReport = {
  zNumber: 41,
  grandTotals: { sales: 98765400 - 1490040, returns: 1234500 - 50000, net: 97530900 - 1440040 },
};

describe('checkZReport — valid reports', () => {
  it('§8.1 passes, with the SAF-T total as a control', () => {
    expect(checkZReport(zReport81(), undefined, { totalCashSales: 51420 })).toEqual([]);
  });

  it('§8.2 passes, including cash count and grand-total continuity from Z 41', () => {
    // The frozen fixture itself: checking never mutates the report.
    expect(checkZReport(zReportExample82, previousOf82)).toEqual([]);
  });

  it('tolerates ±1 øre between net + VAT and gross per VAT code', () => {
    const r = zReport82();
    r.sales[1]!.vatAmount += 1;
    expect(checkZReport(r)).toEqual([]);
  });

  it('leaves `invoice` payments out of the payment identity', () => {
    const r = zReport82();
    r.payments.push({ method: 'invoice', saftCode: '12006', amount: 125000, count: 1 });
    expect(checkZReport(r)).toEqual([]);
  });

  it('ignores an all-zero line under a purchase code (the official SAF-T example lists one)', () => {
    const r = zReport81();
    r.sales.push({ vatCode: '0', vatRate: 0, grossAmount: 0, netAmount: 0, vatAmount: 0, count: 0 });
    expect(checkZReport(r)).toEqual([]);
  });
});

type Case = [
  name: string,
  change: (r: ZReportClosed) => void,
  previous: PreviousZReport | undefined,
  controls: ZReportControls,
  expected: Partial<ZReportProblem>,
];

describe('checkZReport — each identity failure, with the numbers an accountant compares', () => {
  it.each<Case>([
    [
      'payments ≠ sales + gift cards + tips + rounding',
      (r) => (r.payments[1]!.amount = 900040),
      undefined,
      {},
      {
        kind: 'PAYMENT_IDENTITY',
        code: 'IDENTITY_MISMATCH',
        severity: 'error',
        payments: 1560040,
        sales: 1440040,
        giftCardsSold: 100000,
        tips: 20000,
        rounding: -40,
        difference: 40,
        message:
          'payments 15 600,40 ≠ sales 14 400,40 + gift cards 1 000,00 + tips 200,00 + rounding −0,40 (difference 0,40)',
      },
    ],
    [
      'a missing rounding is a payment-identity failure, not an implied rounding',
      (r) => delete r.rounding,
      undefined,
      {},
      {
        kind: 'PAYMENT_IDENTITY',
        difference: -40,
        message:
          'payments 15 600,00 ≠ sales 14 400,40 + gift cards 1 000,00 + tips 200,00 + rounding 0,00 (difference −0,40)',
      },
    ],
    [
      'net + VAT ≠ gross beyond 1 øre (VAT code 31)',
      (r) => {
        r.sales[1]!.vatAmount = 60105;
      },
      undefined,
      {},
      {
        kind: 'VAT_IDENTITY',
        severity: 'error',
        vatCode: '31',
        net: 400035,
        vat: 60105,
        gross: 460040,
        difference: 100,
        message: 'VAT code 31: net 4 000,35 + VAT 601,05 ≠ gross 4 600,40 (difference 1,00, tolerance 0,01)',
      },
    ],
    [
      'sales under a purchase VAT code',
      (r) => (r.sales[2]!.vatCode = '0'),
      undefined,
      {},
      {
        kind: 'SALES_VAT_CODE',
        vatCode: '0',
        gross: 30000,
        message: 'sales 300,00 carry VAT code 0, which is not a sales VAT code (use 3, 31, 33, 5, 6 …)',
      },
    ],
    [
      'counted cash ≠ float + cash payments + difference (§8.2 sign: shortage negative)',
      (r) => (r.cash = { openingFloat: 200000, counted: 653000, difference: -1000 }),
      undefined,
      {},
      {
        kind: 'CASH_IDENTITY',
        severity: 'error',
        counted: 653000,
        openingFloat: 200000,
        cashPayments: 455000,
        cashDifference: -1000,
        difference: -1000,
        message:
          'cash counted 6 530,00 ≠ opening float 2 000,00 + cash payments 4 550,00 + cash difference −10,00 (unexplained −10,00)',
      },
    ],
    [
      'Σ sales per VAT code ≠ the total cash sales the source reported',
      () => undefined,
      undefined,
      { totalCashSales: 1440000 },
      {
        kind: 'SALES_TOTAL',
        salesGross: 1440040,
        totalCashSales: 1440000,
        difference: 40,
        message: 'sales per VAT code 14 400,40 ≠ total cash sales 14 400,00 (difference 0,40)',
      },
    ],
    [
      'grand-total net delta ≠ the day’s sales',
      (r) => (r.grandTotals = { sales: 98765360, returns: 1234500, net: 97530860 }),
      previousOf82,
      {},
      {
        kind: 'GRAND_TOTAL_CONTINUITY',
        severity: 'warning',
        previousNet: 96090860,
        net: 97530860,
        salesGross: 1440040,
        difference: -40,
        message: 'grand total net 975 308,60 − previous 960 908,60 = 14 400,00 ≠ sales 14 400,40 (difference −0,40)',
      },
    ],
    [
      'grand totals that do not add up within the report',
      (r) => (r.grandTotals = { sales: 98765400, returns: 1234500, net: 97530920 }),
      undefined,
      {},
      {
        kind: 'GRAND_TOTAL_INTERNAL',
        severity: 'warning',
        difference: -20,
        message: 'grand total sales 987 654,00 − returns 12 345,00 ≠ net 975 309,20 (difference −0,20)',
      },
    ],
    [
      'one Z number missing',
      () => undefined,
      { zNumber: 40 },
      {},
      {
        kind: 'Z_NUMBER_GAP',
        code: 'Z_NUMBER_GAP',
        severity: 'warning',
        previousZNumber: 40,
        missingFrom: 41,
        missingTo: 41,
        message: 'Z 42 on register reg1 follows Z 40: Z 41 is missing',
      },
    ],
    [
      'several Z numbers missing',
      () => undefined,
      { zNumber: 38 },
      {},
      {
        kind: 'Z_NUMBER_GAP',
        missingFrom: 39,
        missingTo: 41,
        message: 'Z 42 on register reg1 follows Z 38: Z 39–41 are missing',
      },
    ],
    [
      'the same Z number again',
      () => undefined,
      { zNumber: 42 },
      {},
      {
        kind: 'Z_NUMBER_REPEATED',
        severity: 'error',
        message:
          'Z 42 on register reg1 has already been received; a second report with the same number is not posted again',
      },
    ],
    [
      'an older Z arriving late',
      () => undefined,
      { zNumber: 45 },
      {},
      { kind: 'Z_NUMBER_OUT_OF_ORDER', severity: 'warning', message: 'Z 42 on register reg1 arrived after Z 45' },
    ],
  ])('%s', (_, change, previous, controls, expected) => {
    const r = zReport82();
    change(r);
    const problems = checkZReport(r, previous, controls);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject(expected);
  });

  it('does not compare grand totals across a gap (the delta holds the missing days too)', () => {
    const problems = checkZReport(zReport82(), { zNumber: 40, grandTotals: { sales: 0, returns: 0, net: 0 } });
    expect(problems.map((p) => p.kind)).toEqual(['Z_NUMBER_GAP']);
  });

  it('reports every problem, not the first', () => {
    const r = zReport82();
    r.payments[1]!.amount = 900040;
    r.sales[0]!.vatAmount = 0;
    r.cash = { openingFloat: 0, counted: 0, difference: 0 };
    const kinds = checkZReport(r, { zNumber: 40 }).map((p) => p.kind);
    expect(kinds).toEqual(['VAT_IDENTITY', 'PAYMENT_IDENTITY', 'CASH_IDENTITY', 'Z_NUMBER_GAP']);
  });
});

describe('isPostable', () => {
  it('allows warnings and refuses errors', () => {
    expect(isPostable(checkZReport(zReport82(), { zNumber: 40 }))).toBe(true);
    expect(isPostable(checkZReport(zReport82(), { zNumber: 42 }))).toBe(false);
    expect(isPostable([])).toBe(true);
  });
});
