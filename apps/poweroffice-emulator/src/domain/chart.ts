import { RateBasisPoints } from './vat';

/** GeneralLedgerAccountType as Go names it. */
export type AccountType = 'Asset' | 'Liability' | 'Equity' | 'Income' | 'Expense';

/** One SAF-T standard VAT code as a Go client holds it. */
export interface VatCode {
  id: number;
  code: string;
  name: string;
  rate: RateBasisPoints;
  /** Account that receives the VAT part of a line with this code; null for codes without VAT. */
  vatAccountNo: number | null;
  isActive: boolean;
  validFrom: string;
}

/** Seed for a GL account (ids are assigned when a client is created). */
export interface AccountSeed {
  no: number;
  name: string;
  type: AccountType;
  vatCode: string;
  vatLocked?: boolean;
  isActive?: boolean;
}

export interface NumberSeriesSeed {
  type: 'Customer' | 'Supplier' | 'Employee';
  name: string;
  from: number;
  to: number;
  accountNo: number;
  isDefault: boolean;
}

/**
 * The SAF-T standard VAT codes with 2026 rates (shared/docs/pos-domain.md §5). Ids are fixed and
 * deliberately unlike the codes, so a client that sends the code where Go wants `VatId` fails here
 * as it would in Go.
 */
export const SAFT_VAT_CODES: readonly VatCode[] = [
  vat(1000, '0', 'Ingen mva-behandling (kjøp og nøytrale linjer)', 0, null),
  vat(1001, '1', 'Fradrag for inngående mva, høy sats', 2500, 2710),
  vat(1011, '11', 'Fradrag for inngående mva, middels sats', 1500, 2710),
  vat(1012, '12', 'Fradrag for inngående mva, råfisk', 1111, 2710),
  vat(1013, '13', 'Fradrag for inngående mva, lav sats', 1200, 2710),
  vat(1003, '3', 'Utgående mva høy sats', 2500, 2700),
  vat(1031, '31', 'Utgående mva middels sats', 1500, 2701),
  vat(1032, '32', 'Utgående mva råfisk', 1111, 2702),
  vat(1033, '33', 'Utgående mva lav sats', 1200, 2703),
  vat(1005, '5', 'Innenlands omsetning fritatt for mva', 0, null),
  vat(1051, '51', 'Innenlands omsetning med omvendt avgiftsplikt', 0, null),
  vat(1052, '52', 'Utførsel av varer og tjenester', 0, null),
  vat(1006, '6', 'Omsetning utenfor merverdiavgiftsloven', 0, null),
  vat(1007, '7', 'Ingen mva-behandling (inntekter)', 0, null),
];

function vat(id: number, code: string, name: string, rate: RateBasisPoints, vatAccountNo: number | null): VatCode {
  return { id, code, name, rate, vatAccountNo, isActive: true, validFrom: '2017-01-01' };
}

/**
 * A Norwegian shop's chart (NS 4102 numbers; names in our own words), with sales accounts locked to
 * their VAT code as Go sets them up, and one inactive account (3099) to test against.
 */
export const NS4102_ACCOUNTS: readonly AccountSeed[] = [
  { no: 1500, name: 'Kundefordringer', type: 'Asset', vatCode: '0' },
  { no: 1579, name: 'Andre kortsiktige fordringer', type: 'Asset', vatCode: '0' },
  { no: 1900, name: 'Kontanter', type: 'Asset', vatCode: '0' },
  { no: 1909, name: 'Kassedifferanse', type: 'Asset', vatCode: '0' },
  { no: 1910, name: 'Kortoppgjør (mellomregning)', type: 'Asset', vatCode: '0' },
  { no: 1911, name: 'Vipps-oppgjør (mellomregning)', type: 'Asset', vatCode: '0' },
  { no: 1920, name: 'Bankinnskudd', type: 'Asset', vatCode: '0' },
  { no: 2400, name: 'Leverandørgjeld', type: 'Liability', vatCode: '0' },
  { no: 2700, name: 'Utgående merverdiavgift, høy sats', type: 'Liability', vatCode: '0' },
  { no: 2701, name: 'Utgående merverdiavgift, middels sats', type: 'Liability', vatCode: '0' },
  { no: 2702, name: 'Utgående merverdiavgift, råfisk', type: 'Liability', vatCode: '0' },
  { no: 2703, name: 'Utgående merverdiavgift, lav sats', type: 'Liability', vatCode: '0' },
  { no: 2710, name: 'Inngående merverdiavgift', type: 'Asset', vatCode: '0' },
  { no: 2900, name: 'Forskudd fra kunder', type: 'Liability', vatCode: '0' },
  { no: 2901, name: 'Gavekort', type: 'Liability', vatCode: '0' },
  { no: 2902, name: 'Tilgodelapper', type: 'Liability', vatCode: '0' },
  { no: 2910, name: 'Gjeld til ansatte', type: 'Liability', vatCode: '0' },
  { no: 3000, name: 'Salgsinntekt handelsvarer, høy sats', type: 'Income', vatCode: '3', vatLocked: true },
  { no: 3030, name: 'Salgsinntekt handelsvarer, middels sats', type: 'Income', vatCode: '31', vatLocked: true },
  { no: 3050, name: 'Salgsinntekt tjenester, lav sats', type: 'Income', vatCode: '33', vatLocked: true },
  { no: 3099, name: 'Salgsinntekt (utgått konto)', type: 'Income', vatCode: '3', vatLocked: true, isActive: false },
  { no: 3100, name: 'Salgsinntekt handelsvarer, fritatt', type: 'Income', vatCode: '5', vatLocked: true },
  { no: 3200, name: 'Salgsinntekt handelsvarer, unntatt', type: 'Income', vatCode: '6', vatLocked: true },
  { no: 3900, name: 'Annen driftsrelatert inntekt', type: 'Income', vatCode: '7' },
  { no: 3990, name: 'Pant', type: 'Income', vatCode: '7' },
  { no: 4000, name: 'Innkjøp handelsvarer', type: 'Expense', vatCode: '1' },
  { no: 7740, name: 'Øreavrunding', type: 'Expense', vatCode: '0' },
  { no: 7770, name: 'Bank- og kortgebyr', type: 'Expense', vatCode: '0' },
];

export const NS4102_SERIES: readonly NumberSeriesSeed[] = [
  { type: 'Customer', name: 'Kunder', from: 10000, to: 19999, accountNo: 1500, isDefault: true },
  { type: 'Supplier', name: 'Leverandører', from: 20000, to: 29999, accountNo: 2400, isDefault: true },
];

/** The client's sales settings: where a product with no sales account (nor a group's) posts. */
export const NS4102_DEFAULT_SALES_ACCOUNT = 3000;
