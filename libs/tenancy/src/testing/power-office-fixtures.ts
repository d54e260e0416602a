import { TenancyPowerOfficeClient, TenancyPowerOfficeFactory, ForTenantArgs } from '../power-office/port';
import { REQUIRED_PRIVILEGES } from '../domain/privileges';
import { emptyReferenceData, ReferenceData } from '../domain/reference-data';
import {
  assignKind,
  toDepartment,
  toLedgerAccount,
  toNumberSeries,
  toVatCodes,
} from '../power-office/reference-data-reader';

/**
 * A small NS 4102 shop as PowerOffice would describe it (PascalCase DTOs as on the wire), and a
 * fake client factory serving it. For tenancy's own tests where the emulator is not needed.
 */

export const SHOP_ACCOUNTS = [
  { Id: 101500, AccountNo: 1500, Name: 'Kundefordringer', IsActive: true, VatCode: '0', IsVatCodeLocked: false },
  { Id: 101579, AccountNo: 1579, Name: 'Andre kortsiktige fordringer', IsActive: true, VatCode: '0' },
  { Id: 101900, AccountNo: 1900, Name: 'Kontanter', IsActive: true, VatCode: '0', IsVatCodeLocked: true },
  { Id: 101909, AccountNo: 1909, Name: 'Kassedifferanse', IsActive: true, VatCode: '0' },
  { Id: 101910, AccountNo: 1910, Name: 'Kortoppgjør', IsActive: true, VatCode: '0' },
  { Id: 101911, AccountNo: 1911, Name: 'Vipps', IsActive: true, VatCode: '0' },
  { Id: 102901, AccountNo: 2901, Name: 'Gavekort', IsActive: true, VatCode: '0' },
  { Id: 102902, AccountNo: 2902, Name: 'Tilgodelapp', IsActive: true, VatCode: '0' },
  { Id: 102910, AccountNo: 2910, Name: 'Gjeld til ansatte', IsActive: true, VatCode: '0' },
  { Id: 103000, AccountNo: 3000, Name: 'Salgsinntekt, høy sats', IsActive: true, VatCode: '3', IsVatCodeLocked: true },
  {
    Id: 103030,
    AccountNo: 3030,
    Name: 'Salgsinntekt, middels sats',
    IsActive: true,
    VatCode: '31',
    IsVatCodeLocked: true,
  },
  {
    Id: 103050,
    AccountNo: 3050,
    Name: 'Salgsinntekt tjenester, lav sats',
    IsActive: true,
    VatCode: '33',
    IsVatCodeLocked: true,
  },
  { Id: 103060, AccountNo: 3060, Name: 'Uttak', IsActive: false, VatCode: '3' },
  { Id: 103100, AccountNo: 3100, Name: 'Salgsinntekt, avgiftsfri', IsActive: true, VatCode: '5' },
  { Id: 103200, AccountNo: 3200, Name: 'Salgsinntekt, unntatt', IsActive: true, VatCode: '6' },
  { Id: 103300, AccountNo: 3300, Name: 'Salg prosjekt', IsActive: true, VatCode: '3', IsProjectRequired: true },
  { Id: 103400, AccountNo: 3400, Name: 'Salg per avdeling', IsActive: true, VatCode: '3', IsDepartmentRequired: true },
  { Id: 103990, AccountNo: 3990, Name: 'Pant', IsActive: true, VatCode: '7' },
  { Id: 104000, AccountNo: 4000, Name: 'Varekjøp', IsActive: true, VatCode: '1' },
  { Id: 107740, AccountNo: 7740, Name: 'Øresavrunding', IsActive: true, VatCode: '0' },
];

const vat = (Id: number, Code: string, Rate: number, extra: Record<string, unknown> = {}) => ({
  Id,
  Code,
  Name: `MVA ${Code}`,
  Rate,
  IsActive: true,
  IsCustom: false,
  ValidFrom: '2016-01-01T00:00:00',
  ...extra,
});

export const SHOP_VAT_CODES = [
  vat(200, '0', 0),
  vat(201, '1', 0.25),
  vat(211, '11', 0.15),
  vat(213, '13', 0.12),
  vat(203, '3', 0.25),
  vat(231, '31', 0.15),
  vat(232, '32', 0.1111),
  vat(233, '33', 0.12),
  vat(205, '5', 0),
  vat(251, '51', 0),
  vat(252, '52', 0),
  vat(206, '6', 0),
  vat(207, '7', 0),
  vat(214, '14', 0.25, { IsActive: false }),
  vat(299, 'C3', 0.25, { IsCustom: true, BaseVatCodeId: 203 }),
  vat(298, 'C1', 0.25, { IsCustom: true, BaseVatCodeId: 201 }),
];

export const SHOP_NUMBER_SERIES = [
  {
    Id: '09ab6bcf-4219-4149-8283-6b6a7342bfd9',
    Name: 'Kunder',
    SubLedgerNumberSeriesType: 'Customer',
    FromInclusive: 10000,
    ToInclusive: 19999,
    GeneralLedgerAccountNo: 1500,
    GeneralLedgerAccountId: 101500,
    IsDefault: true,
    IsClientTrust: false,
  },
  {
    Id: '19ab6bcf-4219-4149-8283-6b6a7342bfd9',
    Name: 'Leverandører',
    SubLedgerNumberSeriesType: 'Supplier',
    FromInclusive: 20000,
    ToInclusive: 29999,
    GeneralLedgerAccountNo: 2400,
    GeneralLedgerAccountId: 102400,
    IsDefault: true,
    IsClientTrust: false,
  },
];

export const SHOP_DEPARTMENTS = [
  { Id: 1610, Code: '10', Name: 'Butikk', IsActive: true },
  { Id: 1620, Code: '20', Name: 'Lager', IsActive: false },
];

export const SHOP_LOCK_DATE = { LockDate: '2024-12-31' };

/** Every privilege tenancy requires (the first alternative of each). */
export const ALL_REQUIRED_PRIVILEGES = REQUIRED_PRIVILEGES.flatMap((r) => r.anyOf.slice(0, 1)).concat([
  'SalesOrders_Full',
]);

export interface FakePowerOfficeCompany {
  clientKey: string;
  validPrivileges: string[];
  invalidPrivileges: string[];
  accounts: Record<string, unknown>[];
  /** Set to make every call fail as PowerOffice refusing the key. */
  rejectKey?: Error;
}

/** @lib/poweroffice hands out DTOs with camelCase names; the fake does the same. */
function camelCase<T>(dto: T): T {
  if (Array.isArray(dto)) return dto.map(camelCase) as T;
  if (typeof dto !== 'object' || dto === null) return dto;
  return Object.fromEntries(Object.entries(dto).map(([k, v]) => [k[0].toLowerCase() + k.slice(1), v])) as T;
}

export interface FakePowerOfficeClient extends TenancyPowerOfficeClient {
  args: ForTenantArgs;
}

/**
 * Serves the fixture company for whichever client keys were registered; an unregistered key is
 * refused the way @lib/poweroffice reports it (through `keyRejected`).
 */
export class FakePowerOfficeFactory implements TenancyPowerOfficeFactory<FakePowerOfficeClient> {
  readonly companies = new Map<string, FakePowerOfficeCompany>();
  readonly calls: { tenantId: string; lane: string; resource: string }[] = [];

  constructor(private readonly keyRejected: (message: string) => Error) {}

  addCompany(clientKey: string, overrides: Partial<FakePowerOfficeCompany> = {}): FakePowerOfficeCompany {
    const company: FakePowerOfficeCompany = {
      clientKey,
      validPrivileges: [...ALL_REQUIRED_PRIVILEGES],
      invalidPrivileges: [],
      accounts: SHOP_ACCOUNTS.map((a) => ({ ...a })),
      ...overrides,
    };
    this.companies.set(clientKey, company);
    return company;
  }

  forTenant(args: ForTenantArgs): FakePowerOfficeClient {
    const call = async <T>(resource: string, answer: (c: FakePowerOfficeCompany) => T): Promise<T> => {
      this.calls.push({ tenantId: args.tenantId, lane: args.lane, resource });
      const company = this.companies.get(args.clientKey);
      if (!company) throw this.keyRejected('invalid_client: Client integration not found.');
      if (company.rejectKey) throw company.rejectKey;
      return camelCase(answer(company));
    };
    return {
      args,
      clientIntegrationInformation: {
        get: () =>
          call('clientIntegrationInformation', (c) => ({
            ClientId: 'c0ffee00-0000-4000-8000-000000000001',
            ClientName: 'Kaffebrenneriet AS',
            ActiveClientSubscriptions: ['Accounting'],
            ValidPrivileges: c.validPrivileges,
            InvalidPrivileges: c.invalidPrivileges,
          })),
      },
      generalLedgerAccounts: { listAll: () => call('generalLedgerAccounts', (c) => c.accounts) },
      vatCodes: { listAll: () => call('vatCodes', () => SHOP_VAT_CODES) },
      subLedgerNumberSeries: { listAll: () => call('subLedgerNumberSeries', () => SHOP_NUMBER_SERIES) },
      departments: { listAll: () => call('departments', () => SHOP_DEPARTMENTS) },
      lockDate: { get: () => call('lockDate', () => SHOP_LOCK_DATE) },
    };
  }
}

/** The fixture company as tenancy caches it (normalised). */
export function shopReferenceData(): ReferenceData {
  const ref = emptyReferenceData();
  const at = new Date('2025-01-15T08:00:00Z');
  assignKind(
    ref,
    'accounts',
    Object.fromEntries(SHOP_ACCOUNTS.map((a) => toLedgerAccount(a)!).map((a) => [String(a.no), a])),
    at,
  );
  assignKind(ref, 'vatCodes', toVatCodes(SHOP_VAT_CODES), at);
  assignKind(
    ref,
    'numberSeries',
    SHOP_NUMBER_SERIES.map((s) => toNumberSeries(s)!),
    at,
  );
  assignKind(
    ref,
    'departments',
    Object.fromEntries(SHOP_DEPARTMENTS.map((d) => toDepartment(d)!).map((d) => [d.code, d])),
    at,
  );
  assignKind(ref, 'lockDate', '2024-12-31', at);
  return ref;
}
