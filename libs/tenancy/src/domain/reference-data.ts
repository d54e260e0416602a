/**
 * A tenant's PowerOffice reference data, as cached by tenancy: what voucher builders need to turn
 * account numbers and SAF-T VAT codes into PowerOffice ids, and what mapping validation checks
 * against. Stored per kind in tenancy.reference_data so one kind can be refreshed alone.
 */

export const REFERENCE_DATA_KINDS = ['accounts', 'vatCodes', 'numberSeries', 'departments', 'lockDate'] as const;
export type ReferenceDataKind = (typeof REFERENCE_DATA_KINDS)[number];

/** A general-ledger account of the tenant's chart of accounts. */
export interface LedgerAccount {
  /** PowerOffice id (`AccountId` on voucher lines). */
  id: number;
  no: number;
  name: string;
  active: boolean;
  /** The account's default VAT code (SAF-T code as a string), if any. */
  vatCode: string | null;
  /** Only `vatCode` may be used on lines posted to this account. */
  vatLocked: boolean;
  departmentRequired: boolean;
  projectRequired: boolean;
}

/**
 * Which side of the VAT return a code belongs to. `sale` = output VAT/turnover, `purchase` = input
 * side, `noVat` = SAF-T code 7 (income outside turnover: tips, pant refunds, breakage),
 * `other` = compensation codes and anything we cannot place.
 */
export type VatSide = 'sale' | 'purchase' | 'noVat' | 'other';

/** One validity period of a VAT code (PowerOffice keeps a row per period when a rate changes). */
export interface VatPeriod {
  id: number;
  rate: number;
  validFrom: string | null;
  validTo: string | null;
}

/**
 * A VAT code as of the day the reference data was read; `periods` holds every row PowerOffice has
 * for the code, so a voucher dated before or after a rate change gets the right id and rate
 * (see `vatPeriodOn`).
 */
export interface VatCodeRef {
  /** PowerOffice id (`VatId` on voucher lines). */
  id: number;
  code: string;
  name: string;
  /** 0..1, as PowerOffice gives it (0.25 = 25 %). */
  rate: number;
  side: VatSide;
  active: boolean;
  /** For custom ("C…") codes: the standard code they are based on. */
  baseCode: string | null;
  validFrom: string | null;
  validTo: string | null;
  periods: VatPeriod[];
}

/** The period of a code valid on a date (YYYY-MM-DD), or null when none covers it. */
export function vatPeriodOn(vat: VatCodeRef, date: string): VatPeriod | null {
  const periods = vat.periods?.length
    ? vat.periods
    : [{ id: vat.id, rate: vat.rate, validFrom: vat.validFrom, validTo: vat.validTo }];
  return (
    periods.find((p) => (p.validFrom === null || p.validFrom <= date) && (p.validTo === null || date <= p.validTo)) ??
    null
  );
}

export interface NumberSeries {
  id: string;
  name: string;
  type: 'Customer' | 'Supplier' | 'Employee' | string;
  from: number;
  to: number;
  /** The control account the sub-ledger posts through (e.g. 1500); not postable directly. */
  ledgerAccountNo: number | null;
  isDefault: boolean;
}

export interface DepartmentRef {
  id: number;
  code: string;
  name: string;
  active: boolean;
}

export interface ReferenceData {
  /** By account number (as a string key: JSON objects have string keys). */
  accounts: Record<string, LedgerAccount>;
  /** By VAT code. */
  vatCodes: Record<string, VatCodeRef>;
  numberSeries: NumberSeries[];
  /** By department code. */
  departments: Record<string, DepartmentRef>;
  /** No entries may be dated on or before this date (YYYY-MM-DD); null when PowerOffice has none. */
  lockDate: string | null;
  /** When each kind was last read from PowerOffice; absent kinds were never read. */
  fetchedAt: Partial<Record<ReferenceDataKind, Date>>;
}

export function emptyReferenceData(): ReferenceData {
  return { accounts: {}, vatCodes: {}, numberSeries: [], departments: {}, lockDate: null, fetchedAt: {} };
}

// SAF-T standard tax codes by side (shared/docs/pos-domain.md §5, Standard_Tax_Codes.csv).
const SALE_CODES = new Set(['3', '31', '32', '33', '5', '51', '52', '6']);
const NO_VAT_CODES = new Set(['7']);
const PURCHASE_CODES = new Set([
  '0',
  '1',
  '11',
  '12',
  '13',
  '14',
  '15',
  '20',
  '21',
  '22',
  '81',
  '82',
  '83',
  '84',
  '85',
  '86',
  '87',
  '88',
  '89',
  '91',
  '92',
]);

/** The side of a SAF-T standard code; custom and compensation codes are `other` (see vatSideOf). */
export function standardVatSide(code: string): VatSide {
  if (SALE_CODES.has(code)) return 'sale';
  if (NO_VAT_CODES.has(code)) return 'noVat';
  if (PURCHASE_CODES.has(code)) return 'purchase';
  return 'other';
}

/** Codes a revenue line (sales, invoice sales) may carry. */
export const SALES_VAT_CODES: readonly string[] = [...SALE_CODES];
