import { PermanentError, zReportExample82 } from '@lib/contracts';
import {
  NS4102_PRESET,
  type AccountMapping,
  type DepartmentRef,
  type LedgerAccount,
  type ReferenceData,
  type VatCodeRef,
} from '@lib/tenancy';
import type { ZReportClosed } from './domain/z-report';
import { prepareVoucher, type MappingDirectory } from './voucher-preparation';

/**
 * Preparing a voucher against a tenant's PowerOffice reference data, with tenancy replaced by a
 * small in-memory directory that answers (and refuses) the way TenantService does.
 */
function account(no: number, overrides: Partial<LedgerAccount> = {}): LedgerAccount {
  return {
    id: no * 10,
    no,
    name: `Konto ${no}`,
    active: true,
    vatCode: null,
    vatLocked: false,
    departmentRequired: false,
    projectRequired: false,
    ...overrides,
  };
}

function vat(code: string, id: number): VatCodeRef {
  return {
    id,
    code,
    name: code,
    rate: 0,
    side: 'sale',
    active: true,
    baseCode: null,
    validFrom: null,
    validTo: null,
    periods: [],
  };
}

const CHART = [1900, 1909, 1910, 1911, 2901, 2910, 3000, 3030, 3100, 3990, 7740];
const VAT: Record<string, number> = { '0': 100, '3': 103, '31': 131, '5': 105, '7': 107 };

function directory(
  options: {
    mapping?: AccountMapping | null;
    accounts?: LedgerAccount[];
    vat?: Record<string, number>;
    departments?: DepartmentRef[];
  } = {},
): MappingDirectory {
  const accounts = new Map((options.accounts ?? CHART.map((no) => account(no))).map((a) => [a.no, a]));
  const vatIds = options.vat ?? VAT;
  const departments = Object.fromEntries((options.departments ?? []).map((d) => [d.code, d]));
  return {
    getMapping: async () =>
      options.mapping === null
        ? null
        : {
            tenantId: 't1',
            mapping: options.mapping ?? NS4102_PRESET,
            version: 1,
            updatedAt: new Date(),
            updatedBy: 'test',
          },
    resolveAccount: async (_tenant: string, no: number) => {
      const found = accounts.get(no);
      if (!found)
        throw new PermanentError('MAPPING_MISSING', `Account ${no} unknown`, {
          details: [{ key: 'account', account: no, problem: 'unknown account' }],
        });
      return found;
    },
    resolveVat: async (_tenant: string, code: string) => {
      const id = vatIds[code];
      if (id === undefined)
        throw new PermanentError('MAPPING_MISSING', `VAT ${code} unknown`, {
          details: [{ key: 'vatCode', account: null, problem: `unknown VAT code ${code}` }],
        });
      return vat(code, id);
    },
    referenceData: async () => ({ departments }) as unknown as ReferenceData,
  } as MappingDirectory;
}

const z82 = (): ZReportClosed => structuredClone(zReportExample82);

describe('prepareVoucher', () => {
  it("resolves every line to the tenant's account and VAT ids", async () => {
    const prepared = await prepareVoucher(directory(), 't1', z82());
    if (!prepared.ok) throw new Error(prepared.error.message);
    expect(prepared.voucher.lines.map((l) => [l.accountNo, l.accountId, l.vatCode, l.vatId, l.amount])).toEqual([
      [1900, 19000, '0', 100, 453000],
      [1909, 19090, '0', 100, 2000],
      [1910, 19100, '0', 100, 900000],
      [1911, 19110, '0', 100, 150000],
      [2901, 29010, '0', 100, 40000],
      [3990, 39900, '7', 107, 15000],
      [7740, 77400, '0', 100, 40],
      [3000, 30000, '3', 103, -950000],
      [3030, 30300, '31', 131, -460040],
      [3100, 31000, '5', 105, -30000],
      [2901, 29010, '0', 100, -100000],
      [2910, 29100, '0', 100, -20000],
    ]);
    expect(prepared.voucher.totals).toEqual({ debit: 1560040, credit: 1560040 });
    expect(prepared.voucher.externalImportReference).toMatch(/^oop-z-[0-9a-f]{32}$/);
  });

  it('reports every gap at once: unmapped keys first', async () => {
    const { vipps: _v, ...payments } = NS4102_PRESET.payments;
    const prepared = await prepareVoucher(
      directory({ mapping: { ...NS4102_PRESET, payments, tips: undefined } }),
      't1',
      z82(),
    );
    expect(prepared).toMatchObject({
      ok: false,
      error: {
        code: 'MAPPING_MISSING',
        details: [
          { key: 'payments.vipps', account: null, problem: 'not mapped' },
          { key: 'tips', account: null, problem: 'not mapped' },
        ],
      },
    });
  });

  it('then accounts, VAT codes and departments PowerOffice does not have (or has inactive), all together', async () => {
    const report = { ...z82(), departmentCode: 'POS-10' };
    const prepared = await prepareVoucher(
      directory({
        mapping: { ...NS4102_PRESET, departments: { 'POS-10': '10' } },
        accounts: CHART.filter((no) => no !== 1911).map((no) => account(no, no === 3990 ? { active: false } : {})),
        vat: { '0': 100, '3': 103, '31': 131, '7': 107 },
        departments: [{ id: 5, code: '20', name: 'Annen', active: true }],
      }),
      't1',
      report,
    );
    if (prepared.ok) throw new Error('expected a failure');
    expect(prepared.error.code).toBe('MAPPING_MISSING');
    expect(prepared.error.details).toEqual([
      { key: 'account', account: 1911, problem: 'unknown account' },
      { key: 'account', account: 3990, problem: 'is inactive in PowerOffice' },
      { key: 'vatCode', account: null, problem: 'unknown VAT code 5' },
      { key: 'department 10', account: null, problem: 'is not a PowerOffice department of the tenant' },
    ]);
    expect(prepared.error.message).toMatch(
      /^Z 42 of register reg1 \(2026-03-14\) cannot be posted for tenant t1: account 1911: unknown account; /,
    );
    expect(prepared.error.message).toMatch(/then resend the settlement\.$/);
  });

  it('puts the department id on every line', async () => {
    const report = { ...z82(), departmentCode: 'POS-10' };
    const prepared = await prepareVoucher(
      directory({
        mapping: { ...NS4102_PRESET, departments: { 'POS-10': '10' } },
        departments: [{ id: 5, code: '10', name: 'Butikk', active: true }],
      }),
      't1',
      report,
    );
    if (!prepared.ok) throw new Error(prepared.error.message);
    expect(new Set(prepared.voucher.lines.map((l) => `${l.departmentCode}:${l.departmentId}`))).toEqual(
      new Set(['10:5']),
    );
  });

  it('no mapping at all is a mapping gap too', async () => {
    const prepared = await prepareVoucher(directory({ mapping: null }), 't1', z82());
    expect(prepared).toMatchObject({ ok: false, error: { code: 'MAPPING_MISSING', details: [{ key: '(mapping)' }] } });
  });

  it('a report whose payments do not cover its sales does not balance', async () => {
    const r = z82();
    r.payments[1]!.amount -= 100;
    const prepared = await prepareVoucher(directory(), 't1', r);
    expect(prepared).toMatchObject({
      ok: false,
      error: { code: 'UNBALANCED', details: { debit: 1559940, credit: 1560040, difference: -100 } },
    });
  });

  it('an error that is not a mapping gap is not hidden as one', async () => {
    const broken = {
      ...directory(),
      resolveAccount: async () => Promise.reject(new Error('database down')),
    } as MappingDirectory;
    await expect(prepareVoucher(broken, 't1', z82())).rejects.toThrow('database down');
  });
});
