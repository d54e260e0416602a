import { vatPeriodOn } from '../domain/reference-data';
import {
  osloToday,
  toDepartment,
  toIntegrationPrivileges,
  toLedgerAccount,
  toNumberSeries,
  toVatCodes,
} from './reference-data-reader';

describe('reference data from PowerOffice DTOs', () => {
  it('reads camelCase DTOs (as @lib/poweroffice gives them) and PascalCase (the wire) alike', () => {
    const camel = {
      id: 7,
      accountNo: 3000,
      name: 'Salg',
      isActive: true,
      vatCode: '3',
      isVatCodeLocked: true,
      isDepartmentRequired: true,
    };
    const pascal = {
      Id: 7,
      AccountNo: 3000,
      Name: 'Salg',
      IsActive: true,
      VatCode: '3',
      IsVatCodeLocked: true,
      IsDepartmentRequired: true,
    };
    const expected = {
      id: 7,
      no: 3000,
      name: 'Salg',
      active: true,
      vatCode: '3',
      vatLocked: true,
      departmentRequired: true,
      projectRequired: false,
    };
    expect(toLedgerAccount(camel)).toEqual(expected);
    expect(toLedgerAccount(pascal)).toEqual(expected);
  });

  it('treats an account without IsActive as active, and skips rows without id or number', () => {
    expect(toLedgerAccount({ id: 1, accountNo: 1900 })!.active).toBe(true);
    expect(toLedgerAccount({ accountNo: 1900 })).toBeNull();
  });

  it('places VAT codes on their side, custom codes on the side of their base code', () => {
    const codes = toVatCodes([
      { id: 3, code: '3', rate: 0.25, isActive: true },
      { id: 1, code: '1', rate: 0.25, isActive: true },
      { id: 7, code: '7', rate: 0 },
      { id: 90, code: 'C3', rate: 0.25, isCustom: true, baseVatCodeId: 3 },
      { id: 91, code: 'K1', rate: 0.25 },
    ]);
    expect(Object.fromEntries(Object.entries(codes).map(([c, v]) => [c, v.side]))).toEqual({
      '3': 'sale',
      '1': 'purchase',
      '7': 'noVat',
      C3: 'sale',
      K1: 'other',
    });
    expect(codes.C3.baseCode).toBe('3');
  });

  it('keeps every validity period of a code and shows the one valid today (a rate change)', () => {
    const rows = [
      { id: 131, code: '31', rate: 0.1, validFrom: '2026-01-01T00:00:00' },
      { id: 31, code: '31', rate: 0.15, validFrom: '2016-01-01', validTo: '2025-12-31T00:00:00' },
    ];
    expect(toVatCodes(rows, '2025-06-01')['31']).toMatchObject({ id: 31, rate: 0.15, validTo: '2025-12-31' });
    const later = toVatCodes(rows, '2026-02-01')['31'];
    expect(later).toMatchObject({ id: 131, rate: 0.1, validFrom: '2026-01-01' });
    expect(later.periods.map((p) => p.id)).toEqual([31, 131]);
    expect(vatPeriodOn(later, '2025-12-31')).toEqual({
      id: 31,
      rate: 0.15,
      validFrom: '2016-01-01',
      validTo: '2025-12-31',
    });
    expect(vatPeriodOn(later, '2026-01-01')!.id).toBe(131);
    expect(vatPeriodOn(later, '2015-12-31')).toBeNull();
  });

  it('finds today in Europe/Oslo, not UTC', () => {
    expect(osloToday(new Date('2025-12-31T23:30:00Z'))).toBe('2026-01-01');
    expect(osloToday(new Date('2025-06-30T21:59:00Z'))).toBe('2025-06-30');
  });

  it('reads number series, departments (missing IsActive = inactive, as PowerOffice defaults) and privileges', () => {
    expect(
      toNumberSeries({
        id: 'abc',
        name: 'Kunder',
        subLedgerNumberSeriesType: 'Customer',
        fromInclusive: 10000,
        toInclusive: 19999,
        generalLedgerAccountNo: 1500,
        isDefault: true,
      }),
    ).toEqual({
      id: 'abc',
      name: 'Kunder',
      type: 'Customer',
      from: 10000,
      to: 19999,
      ledgerAccountNo: 1500,
      isDefault: true,
    });
    expect(toDepartment({ id: 1, code: '10', name: 'Butikk' })).toEqual({
      id: 1,
      code: '10',
      name: 'Butikk',
      active: false,
    });
    expect(
      toIntegrationPrivileges({ validPrivileges: ['Customer_Full'], invalidPrivileges: null, clientName: 'X AS' }),
    ).toEqual({
      valid: ['Customer_Full'],
      invalid: [],
      clientName: 'X AS',
    });
    expect(toIntegrationPrivileges(undefined)).toEqual({ valid: [], invalid: [], clientName: null });
  });
});
