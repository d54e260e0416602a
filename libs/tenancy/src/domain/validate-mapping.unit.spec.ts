import { AccountMapping, NS4102_PRESET } from '../account-mapping';
import { shopReferenceData } from '../testing/power-office-fixtures';
import { formatMappingProblem, MappingProblem, validateMapping } from './validate-mapping';

const ref = shopReferenceData();

/** The NS 4102 preset with one change applied. */
function preset(change: (m: AccountMapping) => void): AccountMapping {
  const m = structuredClone(NS4102_PRESET) as AccountMapping;
  change(m);
  return m;
}

const messages = (problems: MappingProblem[]) => problems.map(formatMappingProblem);

describe('validateMapping', () => {
  it('accepts the NS 4102 preset against a standard shop chart', () => {
    // 3990 (pant) is mapped with code 7 and 2901… with the default 0: all present and active in the fixture.
    expect(validateMapping(NS4102_PRESET, ref)).toEqual([]);
  });

  it('rejects an account that does not exist, naming key and account', () => {
    const problems = validateMapping(
      preset((m) => (m.sales['3'] = { account: 3001 })),
      ref,
    );
    expect(messages(problems)).toEqual([
      'sales.3 → 3001: account 3001 does not exist in the PowerOffice chart of accounts',
    ]);
    expect(problems[0]).toMatchObject({ key: 'sales.3', account: 3001, rule: 'unknownAccount' });
  });

  it('rejects an inactive account', () => {
    const inactive = shopReferenceData();
    inactive.accounts['3050'].active = false;
    expect(messages(validateMapping(NS4102_PRESET, inactive))).toEqual([
      'sales.33 → 3050: account 3050 is inactive in PowerOffice',
    ]);
  });

  it('rejects a VAT-locked account used with another VAT code', () => {
    const problems = validateMapping(
      preset((m) => (m.sales['31'] = { account: 3000 })),
      ref,
    );
    expect(messages(problems)).toEqual([
      'sales.31 → 3000: account 3000 is locked to VAT code 3 in PowerOffice, but this line would carry VAT code 31',
    ]);
  });

  it('rejects a VAT-locked balance account when the line keeps the default code 0', () => {
    const problems = validateMapping(
      preset((m) => (m.tips = { account: 3000 })),
      ref,
    );
    expect(problems).toEqual([expect.objectContaining({ key: 'tips', account: 3000, rule: 'vatLocked' })]);
  });

  it.each(['1', '11', '13', '0', 'C1'])('rejects purchase VAT code %s on a sales line', (code) => {
    const m = preset((x) => (x.sales[code] = { account: 4000 }));
    const problems = validateMapping(m, ref).filter((p) => p.key === `sales.${code}`);
    expect(problems).toContainEqual(expect.objectContaining({ rule: 'purchaseVatOnSales', account: 4000 }));
    expect(problems.find((p) => p.rule === 'purchaseVatOnSales')!.problem).toMatch(
      new RegExp(`VAT code ${code} is a purchase \\(input VAT\\) code`),
    );
  });

  it('rejects purchase codes on invoice sales and article-group sales too', () => {
    const m = preset((x) => {
      x.invoiceSales = { '3': { account: 3000 }, '1': { account: 3000 } };
      x.salesByArticleGroup = { bakery: { '31': { account: 3030 }, '11': { account: 3030 } } };
    });
    const rules = validateMapping(m, ref).map((p) => `${p.key}:${p.rule}`);
    expect(rules).toEqual(
      expect.arrayContaining(['invoiceSales.1:purchaseVatOnSales', 'salesByArticleGroup.bakery.11:purchaseVatOnSales']),
    );
    expect(
      rules.filter((r) => r.startsWith('invoiceSales.3') || r.startsWith('salesByArticleGroup.bakery.31')),
    ).toEqual([]);
  });

  it('accepts every sales code (3, 31, 32, 33, 5, 51, 52, 6) and custom codes based on one', () => {
    const chart = shopReferenceData();
    chart.accounts['3000'].vatLocked = false;
    const m = preset((x) => {
      x.sales = Object.fromEntries(
        ['3', '31', '32', '33', '5', '51', '52', '6', 'C3'].map((c) => [c, { account: 3000 }]),
      );
    });
    expect(validateMapping(m, chart)).toEqual([]);
  });

  it('rejects code 7 on a sales line but accepts it on pant and tips', () => {
    const m = preset((x) => {
      x.sales['7'] = { account: 3990 };
      x.tips = { account: 3990, vatCode: '7' };
    });
    expect(messages(validateMapping(m, ref))).toEqual([
      'sales.7 → 3990: VAT code 7 is not a sales VAT code; a sales line needs one of 3, 31, 32, 33, 5, 51, 52, 6',
    ]);
  });

  it('rejects a VAT code PowerOffice does not have, and an inactive one', () => {
    const m = preset((x) => {
      x.payments.card = { account: 1910, vatCode: '99' };
      x.payments.other = { account: 1579, vatCode: '14' };
    });
    expect(messages(validateMapping(m, ref))).toEqual([
      'payments.card → 1910: VAT code 99 does not exist in PowerOffice',
      'payments.other → 1579: VAT code 14 is inactive in PowerOffice',
    ]);
  });

  it('rejects posting straight to a sub-ledger control account (1500 customers)', () => {
    const problems = validateMapping(
      preset((x) => (x.payments.other = { account: 1500 })),
      ref,
    );
    expect(problems).toEqual([
      expect.objectContaining({ key: 'payments.other', account: 1500, rule: 'controlAccount' }),
    ]);
    expect(problems[0].problem).toMatch(/control account of the sub-ledger series "Kunder"/);
  });

  it('rejects accounts that need a project, and accounts that need a department when none is mapped', () => {
    const m = preset((x) => {
      x.sales['3'] = { account: 3300 };
      x.sales['5'] = { account: 3400 };
    });
    const rules = validateMapping(m, ref).map((p) => `${p.key}:${p.rule}`);
    expect(rules).toEqual(['sales.3:projectRequired', 'sales.5:departmentRequired']);
    const withDepartments = preset((x) => {
      x.sales['3'] = { account: 3400 };
      x.departments = { '01': '10' };
    });
    expect(validateMapping(withDepartments, ref)).toEqual([]);
  });

  it('rejects unknown and inactive PowerOffice departments', () => {
    const m = preset((x) => (x.departments = { '01': '10', '02': '20', '03': '99' }));
    expect(messages(validateMapping(m, ref))).toEqual([
      'departments.02: department 20 is inactive in PowerOffice',
      'departments.03: department 99 does not exist in PowerOffice',
    ]);
  });

  it('rejects malformed entries (from console JSON) instead of crashing', () => {
    const m = {
      payments: { cash: { account: '1900' }, bitcoin: { account: 1920 } },
      sales: { '3': { account: 3000, vatCode: '31' }, '31': null },
    } as unknown as AccountMapping;
    const problems = validateMapping(m, ref);
    expect(problems.map((p) => `${p.key}:${p.rule}`)).toEqual([
      'payments.bitcoin:invalid',
      'payments.cash:invalid',
      'sales.3:invalid',
      'sales.31:invalid',
    ]);
    expect(validateMapping({} as AccountMapping, ref).map((p) => p.key)).toEqual(['payments', 'sales']);
  });

  it('returns every problem at once', () => {
    const m = preset((x) => {
      x.sales['3'] = { account: 3001 };
      x.sales['33'] = { account: 3060 };
      x.sales['1'] = { account: 3000 };
      x.rounding = { account: 9999 };
    });
    const problems = validateMapping(m, ref);
    expect(new Set(problems.map((p) => p.key))).toEqual(new Set(['sales.3', 'sales.33', 'sales.1', 'rounding']));
    expect(problems.length).toBeGreaterThanOrEqual(5);
  });
});
