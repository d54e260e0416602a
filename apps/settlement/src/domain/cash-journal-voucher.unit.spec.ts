import { createHash } from 'node:crypto';
import { zReportExample81, zReportExample82 } from '@lib/contracts';
import { NS4102_PRESET } from '@lib/tenancy';
import {
  buildCashJournalVoucher,
  contentHash,
  externalImportReference,
  type BuildCashJournalVoucherResult,
  type CashJournalVoucherDraft,
  type CashJournalVoucherLine,
} from './cash-journal-voucher';
import type { AccountMapping, PaymentMethod, ZReportClosed } from './z-report';

const ctx = { tenantId: 'tenant-1' };
// The contract's fixtures of pos-domain §8.1 / §8.2 are frozen; every test works on its own copy.
const zReport81 = (): ZReportClosed => structuredClone(zReportExample81);
const zReport82 = (): ZReportClosed => structuredClone(zReportExample82);

/** Compact expectation: [account, VAT code, signed øre, description]. */
type L = [number, string, number, string];
const lines = (v: CashJournalVoucherDraft): L[] =>
  v.lines.map((l) => [l.accountNo, l.vatCode, l.amount, l.description]);

function voucherOf(result: BuildCashJournalVoucherResult): CashJournalVoucherDraft {
  if (!result.ok) throw new Error(`expected a voucher, got ${result.code}: ${result.message}`);
  return result.voucher;
}

function build(report: ZReportClosed, mapping: AccountMapping = NS4102_PRESET): BuildCashJournalVoucherResult {
  return buildCashJournalVoucher(report, mapping, ctx);
}

describe('buildCashJournalVoucher — worked examples of pos-domain §8 with the NS 4102 preset', () => {
  it('§8.1 the official SAF-T example day', () => {
    const v = voucherOf(build(zReport81()));
    expect(lines(v)).toEqual<L[]>([
      [1900, '0', 29500, 'Kontant'],
      [1910, '0', 21880, 'Kort'],
      [7740, '0', 40, 'Øreavrunding'],
      [3030, '31', -10280, 'Salg 15 %'],
      [3000, '3', -41140, 'Salg 25 %'],
    ]);
    expect(v.totals).toEqual({ debit: 51420, credit: 51420 });
  });

  it('§8.2 the fuller day: shortage, gift cards both ways, pant, tips, rounding', () => {
    const v = voucherOf(build(zReport82()));
    expect(lines(v)).toEqual<L[]>([
      [1900, '0', 453000, 'Kontant'],
      [1909, '0', 2000, 'Kassedifferanse'],
      [1910, '0', 900000, 'Kort'],
      [1911, '0', 150000, 'Vipps'],
      [2901, '0', 40000, 'Gavekort innløst'],
      [3990, '7', 15000, 'Pantelapp'],
      [7740, '0', 40, 'Øreavrunding'],
      [3000, '3', -950000, 'Salg 25 %'],
      [3030, '31', -460040, 'Salg 15 %'],
      [3100, '5', -30000, 'Salg 0 %'],
      [2901, '0', -100000, 'Gavekort solgt'],
      [2910, '0', -20000, 'Driks'],
    ]);
    expect(v.totals).toEqual({ debit: 1560040, credit: 1560040 });
  });

  it('fills the header from the report and the tenant', () => {
    const v = voucherOf(build(zReport82()));
    expect(v).toMatchObject({
      voucherDate: '2026-03-14',
      description: 'Z-rapport 42 kasse reg1 2026-03-14',
      importedVoucherNo: 42,
      currency: 'NOK',
    });
    const expectedRef = 'oop-z-' + createHash('sha256').update('tenant-1|reg1|42').digest('hex').slice(0, 32);
    expect(v.externalImportReference).toBe(expectedRef);
    expect(v.externalImportReference.length).toBeLessThanOrEqual(50);
  });
});

describe('buildCashJournalVoucher — purity', () => {
  it('reads the (deep-frozen) contract fixtures without touching them, and repeats itself exactly', () => {
    const first = build(zReportExample82);
    expect(build(zReportExample82)).toEqual(first);
    expect(first.ok).toBe(true);
    expect(contentHash(zReportExample82)).toBe(contentHash(zReport82()));
  });
});

describe('buildCashJournalVoucher — what never enters the voucher', () => {
  it.each<[string, (r: ZReportClosed) => void]>([
    ['credit sales (posted by the invoice flow)', (r) => (r.creditSales = { count: 9, amount: 9_999_900 })],
    [
      'an `invoice` payment (sale on account)',
      (r) => r.payments.push({ method: 'invoice', saftCode: '12006', amount: 125000, count: 1 }),
    ],
    [
      'returns, discounts and voids (information only)',
      (r) => {
        r.returns = { count: 50, amount: 777_700 };
        r.discounts = { count: 40, amount: 66_600 };
        r.voids = { count: 30, amount: 5_555_500 };
      },
    ],
    ['grand totals', (r) => (r.grandTotals = { sales: 1, returns: 2, net: 3 })],
    ['zero-amount items, even unmapped ones', (r) => r.payments.push({ method: 'other', amount: 0, count: 0 })],
  ])('%s', (_, change) => {
    const r = zReport82();
    change(r);
    expect(voucherOf(build(r))).toEqual(voucherOf(build(zReport82())));
  });

  it('an unmapped payment method with a zero amount needs no mapping', () => {
    const r = zReport81();
    r.payments.push({ method: 'vipps', amount: 0, count: 0 });
    const mapping: AccountMapping = {
      ...NS4102_PRESET,
      payments: { cash: { account: 1900 }, card: { account: 1910 } },
    };
    expect(build(r, mapping).ok).toBe(true);
  });
});

describe('buildCashJournalVoucher — signs of the balancing items', () => {
  it('customers paid MORE than the sales (rounding +0,40) → credit the rounding account', () => {
    const r = zReport81();
    r.payments[0]!.amount = 29580;
    r.rounding = 40;
    expect(lines(voucherOf(build(r)))).toContainEqual<L>([7740, '0', -40, 'Øreavrunding']);
  });

  it('a cash surplus credits the cash-difference account and raises the cash line', () => {
    const r = zReport82();
    r.cash = { openingFloat: 200000, counted: 656000, difference: 1000 };
    const l = lines(voucherOf(build(r)));
    expect(l).toContainEqual<L>([1900, '0', 456000, 'Kontant']);
    expect(l).toContainEqual<L>([1909, '0', -1000, 'Kassedifferanse']);
  });

  it('a returns-heavy rate (negative sales) becomes a debit on its sales account', () => {
    const r = zReport81();
    r.sales.push({ vatCode: '33', vatRate: 12, grossAmount: -1120, netAmount: -1000, vatAmount: -120, count: 1 });
    r.payments[1]!.amount -= 1120;
    const v = voucherOf(build(r));
    expect(lines(v)).toContainEqual<L>([3050, '33', 1120, 'Salg 12 %']);
    expect(v.totals).toEqual({ debit: 51420, credit: 51420 });
  });
});

describe('buildCashJournalVoucher — grouping per (account, VAT code, side)', () => {
  it('merges payment means mapped to the same account into one line', () => {
    const mapping: AccountMapping = {
      ...NS4102_PRESET,
      payments: { ...NS4102_PRESET.payments, vipps: { account: 1910 } },
    };
    const l = lines(voucherOf(build(zReport82(), mapping)));
    expect(l).toContainEqual<L>([1910, '0', 1050000, 'Kort / Vipps']);
    expect(l.filter(([account]) => account === 1910)).toHaveLength(1);
  });

  it('keeps debit and credit on one account apart (gift cards redeemed vs sold)', () => {
    const l = lines(voucherOf(build(zReport82()))).filter(([account]) => account === 2901);
    expect(l).toEqual<L[]>([
      [2901, '0', 40000, 'Gavekort innløst'],
      [2901, '0', -100000, 'Gavekort solgt'],
    ]);
  });

  it('keeps two VAT codes on one account apart', () => {
    const mapping: AccountMapping = { ...NS4102_PRESET, sales: { ...NS4102_PRESET.sales, '31': { account: 3000 } } };
    const l = lines(voucherOf(build(zReport81(), mapping)));
    expect(l).toContainEqual<L>([3000, '31', -10280, 'Salg 15 %']);
    expect(l).toContainEqual<L>([3000, '3', -41140, 'Salg 25 %']);
  });

  it('sums several report entries of one method (debit and credit cards)', () => {
    const r = zReport81();
    r.payments = [
      { method: 'cash', saftCode: '12001', amount: 29500, count: 1 },
      { method: 'card', saftCode: '12002', amount: 20000, count: 1 },
      { method: 'card', saftCode: '12003', amount: 1880, count: 1 },
    ];
    expect(lines(voucherOf(build(r)))).toContainEqual<L>([1910, '0', 21880, 'Kort']);
  });
});

describe('buildCashJournalVoucher — article groups and departments', () => {
  /** §8.1 with the 25 % sales split into beer (group 300) and tobacco (group 200). */
  function byGroup(): ZReportClosed {
    const r = zReport81();
    r.sales = [
      {
        vatCode: '31',
        vatRate: 15,
        articleGroupId: '100',
        grossAmount: 10280,
        netAmount: 8938,
        vatAmount: 1342,
        count: 1,
      },
      {
        vatCode: '3',
        vatRate: 25,
        articleGroupId: '300',
        grossAmount: 17940,
        netAmount: 14352,
        vatAmount: 3588,
        count: 1,
      },
      {
        vatCode: '3',
        vatRate: 25,
        articleGroupId: '200',
        grossAmount: 23200,
        netAmount: 18560,
        vatAmount: 4640,
        count: 2,
      },
    ];
    return r;
  }

  it('posts a mapped article group on its own account and the rest on the VAT code account', () => {
    const mapping: AccountMapping = { ...NS4102_PRESET, salesByArticleGroup: { '300': { '3': { account: 3010 } } } };
    const l = lines(voucherOf(build(byGroup(), mapping)));
    expect(l.filter(([, , amount]) => amount < 0)).toEqual<L[]>([
      [3030, '31', -10280, 'Salg 15 %'],
      [3010, '3', -17940, 'Salg 25 % varegruppe 300'],
      [3000, '3', -23200, 'Salg 25 %'],
    ]);
  });

  it('uses the report VAT code on sales lines, not the mapping’s', () => {
    const mapping: AccountMapping = {
      ...NS4102_PRESET,
      salesByArticleGroup: { '300': { '3': { account: 3010, vatCode: '31' } } },
    };
    expect(lines(voucherOf(build(byGroup(), mapping)))).toContainEqual<L>([
      3010,
      '3',
      -17940,
      'Salg 25 % varegruppe 300',
    ]);
  });

  it('names the article-group key when the group is split but the rate is not mapped anywhere', () => {
    const mapping: AccountMapping = {
      ...NS4102_PRESET,
      sales: { '3': { account: 3000 } },
      salesByArticleGroup: { '100': { '3': { account: 3010 } } },
    };
    expect(build(byGroup(), mapping)).toMatchObject({
      ok: false,
      code: 'MAPPING_MISSING',
      missing: ['salesByArticleGroup.100.31'],
    });
  });

  it.each<[string, Partial<ZReportClosed>, AccountMapping['departments'], string | undefined, string | undefined]>([
    ['report department mapped through the table', { departmentCode: 'OSLO1' }, { OSLO1: '10' }, undefined, '10'],
    ['table wins over the tenant default', { departmentCode: 'OSLO1' }, { OSLO1: '10' }, '99', '10'],
    ['no report department → tenant default', { departmentCode: undefined }, { OSLO1: '10' }, '99', '99'],
    [
      'no table → tenant default, the POS code is not assumed to exist in PowerOffice',
      { departmentCode: 'OSLO1' },
      undefined,
      '20',
      '20',
    ],
    ['neither → no department', { departmentCode: 'OSLO1' }, undefined, undefined, undefined],
  ])('department: %s', (_, change, departments, departmentDimension, expected) => {
    const mapping: AccountMapping = departments ? { ...NS4102_PRESET, departments } : NS4102_PRESET;
    const result = buildCashJournalVoucher(
      { ...zReport82(), ...change },
      mapping,
      departmentDimension === undefined ? ctx : { ...ctx, departmentDimension },
    );
    const v = voucherOf(result);
    for (const line of v.lines) {
      if (expected === undefined) expect(line).not.toHaveProperty('departmentCode');
      else expect(line.departmentCode).toBe(expected);
    }
  });
});

describe('buildCashJournalVoucher — failures', () => {
  it('lists EVERY missing mapping key at once, sorted', () => {
    const mapping: AccountMapping = {
      payments: { cash: { account: 1900 } },
      sales: { '3': { account: 3000 } },
      departments: {},
    };
    const result = build({ ...zReport82(), departmentCode: 'BERGEN' }, mapping);
    expect(result).toEqual({
      ok: false,
      code: 'MAPPING_MISSING',
      missing: [
        'cashDifference',
        'departments.BERGEN',
        'giftCardsSold',
        'payments.card',
        'payments.giftCard',
        'payments.pantSlip',
        'payments.vipps',
        'rounding',
        'sales.31',
        'sales.5',
        'tips',
      ],
      message: expect.stringContaining('no account mapping for cashDifference, departments.BERGEN, giftCardsSold'),
    });
  });

  it('names a payment method it does not know yet instead of dropping it', () => {
    const r = zReport81();
    r.payments.push({ method: 'bankTransfer' as PaymentMethod, amount: 100, count: 1 });
    r.rounding = 60;
    expect(build(r)).toMatchObject({ ok: false, code: 'MAPPING_MISSING', missing: ['payments.bankTransfer'] });
  });

  it('refuses an unbalanced report, naming both sides in øre and NOK', () => {
    const r = zReport82();
    r.payments[1]!.amount = 900040; // card 9 000,40: payments no longer match sales + liabilities
    expect(build(r)).toEqual({
      ok: false,
      code: 'UNBALANCED',
      debit: 1560080,
      credit: 1560040,
      difference: 40,
      message: 'voucher for Z 42, register reg1 does not balance: debit 15 600,80 ≠ credit 15 600,40 (difference 0,40)',
    });
  });
});

describe('externalImportReference', () => {
  it('is deterministic, ≤ 50 chars, and distinct per tenant, register and Z', () => {
    const ref = externalImportReference('t', 'K1', 42);
    expect(ref).toMatch(/^oop-z-[0-9a-f]{32}$/);
    expect(externalImportReference('t', 'K1', 42)).toBe(ref);
    expect(
      new Set([
        ref,
        externalImportReference('u', 'K1', 42),
        externalImportReference('t', 'K2', 42),
        externalImportReference('t', 'K1', 43),
      ]).size,
    ).toBe(4);
  });
});

describe('contentHash', () => {
  const hash = contentHash(zReport82());

  it('is a sha-256 hex digest', () => expect(hash).toMatch(/^[0-9a-f]{64}$/));

  it.each<[string, (r: ZReportClosed) => void]>([
    [
      'reordered sales and payments',
      (r) => {
        r.sales.reverse();
        r.payments.reverse();
      },
    ],
    [
      'a card total split over two entries',
      (r) => {
        r.payments[1]!.amount = 600000;
        r.payments.push({ method: 'card', saftCode: '12003', amount: 300000, count: 1 });
      },
    ],
    [
      'another closedAt, storeId, counts and saftCodes',
      (r) => {
        r.closedAt = '2026-03-14T23:59:00+01:00';
        r.storeId = 'S9';
        r.sales.forEach((s) => (s.count += 1));
        r.payments.forEach((p) => delete p.saftCode);
      },
    ],
    [
      'information-only fields, credit sales and invoice payments',
      (r) => {
        r.returns = { count: 0, amount: 0 };
        r.voids = undefined;
        r.creditSales = { count: 2, amount: 1 };
        r.grandTotals = undefined;
        r.payments.push({ method: 'invoice', amount: 125000, count: 1 });
      },
    ],
  ])('does not change for %s', (_, change) => {
    const r = zReport82();
    change(r);
    expect(contentHash(r)).toBe(hash);
  });

  it.each<[string, (r: ZReportClosed) => void]>([
    ['a sales amount', (r) => (r.sales[0]!.grossAmount += 1)],
    [
      'the VAT split',
      (r) => {
        r.sales[0]!.netAmount += 1;
        r.sales[0]!.vatAmount -= 1;
      },
    ],
    [
      'a payment moved between methods',
      (r) => {
        r.payments[1]!.amount -= 100;
        r.payments[2]!.amount += 100;
      },
    ],
    ['the cash count', (r) => (r.cash = { openingFloat: 200000, counted: 652000, difference: -3000 })],
    ['tips', (r) => (r.tips = { count: 9, amount: 20100 })],
    ['the rounding', (r) => (r.rounding = 0)],
    ['the department', (r) => (r.departmentCode = 'X')],
    ['the business date', (r) => (r.businessDate = '2026-03-15')],
  ])('changes for %s (a corrected report)', (_, change) => {
    const r = zReport82();
    change(r);
    expect(contentHash(r)).not.toBe(hash);
  });
});

// Keeps the exported line type in use by the compiler check of this file.
const _line: CashJournalVoucherLine = { accountNo: 1900, vatCode: '0', amount: 1, description: 'x' };
void _line;
