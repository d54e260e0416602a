import {
  AgricultureDepartment,
  GeneralLedgerAccountType,
  SubLedgerNumberSeriesType,
  UnitOfMeasureCode,
  VatReturnSpecification,
} from './enums';
import { chunkForUrl, commaList, instant } from './query';
import { ListableResource, ListSpec, Resource } from './resource';

/** GeneralLedgerAccountDto. Voucher lines take `id`, accountants speak `accountNo`. */
export interface GeneralLedgerAccount {
  id: number;
  accountNo: number;
  name?: string | null;
  generalLedgerAccountType?: GeneralLedgerAccountType | null;
  /** The SAF-T VAT code string, read-only. */
  vatCode?: string | null;
  vatCodeId?: number | null;
  /** Only `vatCodeId` may be used on lines to this account. */
  isVatCodeLocked?: boolean | null;
  vatReturnSpecification?: VatReturnSpecification | null;
  isActive?: boolean | null;
  isDepartmentRequired?: boolean | null;
  isProjectRequired?: boolean | null;
  currencyCode?: string | null;
  departmentId?: number | null;
  departmentCode?: string | null;
  agricultureDepartment?: AgricultureDepartment | null;
  unit1?: UnitOfMeasureCode | null;
  unit2?: UnitOfMeasureCode | null;
  lastChangedDateTimeOffset?: string;
}

export interface GeneralLedgerAccountFilter {
  /** Numbers and ranges: `[1900, 1910]` or `"3000-3999"`. */
  accountNos?: ReadonlyArray<number | string> | string;
  lastChangedAfter?: Date | string;
}

/** `/GeneralLedgerAccounts` (read here; the chart of accounts is the accountant's). */
export class GeneralLedgerAccounts extends ListableResource<GeneralLedgerAccount, GeneralLedgerAccountFilter> {
  protected readonly list: ListSpec<GeneralLedgerAccountFilter> = {
    path: '/GeneralLedgerAccounts',
    role: 'GeneralLedgerAccount',
    noun: 'general ledger accounts',
    shape: {},
    query: (f) => ({
      accountNos: commaList(f.accountNos),
      lastChangedDateTimeOffsetGreaterThan: instant(f.lastChangedAfter),
    }),
  };

  /** The accounts with these numbers (missing numbers are simply absent from the result). */
  async listByAccountNos(accountNos: readonly number[]): Promise<GeneralLedgerAccount[]> {
    const found: GeneralLedgerAccount[] = [];
    for (const chunk of chunkForUrl([...new Set(accountNos)]))
      found.push(...(await this.listAll({ accountNos: chunk })));
    return found;
  }
}

/** VatCodeDto. Voucher lines carry `vatId` = this `id`, not the code string. */
export interface VatCode {
  id: number;
  /** SAF-T code: "0", "3", "31", "33", …; custom codes start with C. */
  code?: string | null;
  name?: string | null;
  description?: string | null;
  /** 0..1, e.g. 0.25. */
  rate: number;
  isActive?: boolean | null;
  isCustom?: boolean | null;
  validFrom?: string;
  validTo?: string | null;
  baseVatCodeId?: number | null;
  vatBasisRatio?: number | null;
}

export interface VatCodeFilter {
  isActive?: boolean;
  includeExpired?: boolean;
}

/** `/VatCodes` (CommonServices), read-only. */
export class VatCodes extends ListableResource<VatCode, VatCodeFilter> {
  protected readonly list: ListSpec<VatCodeFilter> = {
    path: '/VatCodes',
    role: 'CommonServices',
    noun: 'VAT codes',
    shape: {},
    query: (f) => ({ isActive: f.isActive, includeExpired: f.includeExpired }),
  };
}

/** SubLedgerNumberSeriesDto: a range of customer/supplier/employee numbers tied to a GL account. */
export interface SubLedgerNumberSeries {
  id: string;
  name?: string | null;
  subLedgerNumberSeriesType?: SubLedgerNumberSeriesType | null;
  fromInclusive: number;
  toInclusive: number;
  generalLedgerAccountNo: number;
  generalLedgerAccountId: number;
  isDefault: boolean;
  isClientTrust: boolean;
}

export interface SubLedgerNumberSeriesFilter {
  /** Case-sensitive on PowerOffice's side. */
  type?: SubLedgerNumberSeriesType;
  isDefault?: boolean;
  generalLedgerAccountNos?: ReadonlyArray<number | string> | string;
}

/** `/SubLedgerNumberSeries` (CommonServices), read-only. */
export class SubLedgerNumberSeriesResource extends ListableResource<
  SubLedgerNumberSeries,
  SubLedgerNumberSeriesFilter
> {
  protected readonly list: ListSpec<SubLedgerNumberSeriesFilter> = {
    path: '/SubLedgerNumberSeries',
    role: 'CommonServices',
    noun: 'sub-ledger number series',
    shape: {},
    query: (f) => ({
      subLedgerNumberSeriesType: f.type,
      isDefault: f.isDefault,
      generalLedgerAccountNos: commaList(f.generalLedgerAccountNos),
    }),
  };
}

/** LockDateSettingsDto: nothing may be posted on or before `lockDate`. */
export interface LockDateSettings {
  /** `YYYY-MM-DD`, or null/absent when the client has no lock date. */
  lockDate?: string | null;
}

/** `GET /LockDateSettings` (CommonServices). */
export class LockDate extends Resource {
  get(): Promise<LockDateSettings> {
    return this.getOne<LockDateSettings>(
      { path: '/LockDateSettings', subject: 'lock date', role: 'CommonServices' },
      {},
    );
  }
}
