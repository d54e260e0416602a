import { randomUUID } from 'node:crypto';
import {
  AccountSeed,
  NS4102_ACCOUNTS,
  NS4102_DEFAULT_SALES_ACCOUNT,
  NS4102_SERIES,
  NumberSeriesSeed,
  SAFT_VAT_CODES,
  VatCode,
} from './chart';
import { Ore } from './money';
import { Clock, Ticks } from './time';

/** Int64 ids for everything a client holds. One sequence for all: an id never means two things. */
export class IdSequence {
  constructor(private next = 1_000_001) {}
  take(): number {
    return this.next++;
  }
}

/** Shared by every client of one emulator: ids and the clock. */
export interface Services {
  ids: IdSequence;
  clock: Clock;
}

/**
 * Master data (customers, products, accounts, …) mirrors PowerOffice's DTOs field for field in
 * `fields` (PascalCase, as Go names them), because the emulator's job is to hand them back as given;
 * only ids, timestamps and money (øre) live outside it.
 */
export interface MasterRecord<F> {
  id: number;
  createdAt: Ticks;
  lastChangedAt: Ticks;
  fields: F;
}

export interface AccountFields {
  AccountNo: number;
  Name: string | null;
  GeneralLedgerAccountType: string | null;
  VatCodeId: number | null;
  IsVatCodeLocked: boolean;
  IsActive: boolean;
  IsDepartmentRequired: boolean;
  IsProjectRequired: boolean;
  DepartmentId: number | null;
  CurrencyCode: string | null;
  [field: string]: unknown;
}
export type GlAccount = MasterRecord<AccountFields>;

export interface AddressFields {
  AddressLine1: string | null;
  AddressLine2: string | null;
  ZipCode: string | null;
  City: string | null;
  CountryCode: string | null;
  ExternalCode: string | null;
}
export interface Address {
  id: number;
  lastChangedAt: Ticks;
  fields: AddressFields;
}

export interface CustomerFields {
  Number: number;
  IsPerson: boolean;
  Name: string | null;
  FirstName: string | null;
  LastName: string | null;
  ExternalImportReference: string | null;
  ExternalNumber: number | null;
  OrganizationNumber: string | null;
  IsArchived: boolean;
  DepartmentId: number | null;
  EmailAddress: string | null;
  InvoiceEmailAddress: string | null;
  InvoiceDeliveryType: string | null;
  IsVatFree: boolean;
  CurrencyCode: string;
  PaymentTerm: number | null;
  [field: string]: unknown;
}
export interface Customer extends MasterRecord<CustomerFields> {
  subledgerAccountId: number;
  contactCreatedAt: Ticks;
  address: Address | null;
}

export interface ProductFields {
  Code: string | null;
  Name: string;
  ProductType: string | null;
  ProductGroupId: number | null;
  StandardSalesAccountId: number | null;
  OptionalSalesAccountId: number | null;
  IsArchived: boolean;
  [field: string]: unknown;
}
export interface Product extends MasterRecord<ProductFields> {
  unitPrice: Ore | null;
  unitCost: Ore | null;
}

export interface ProductGroupFields {
  Code: string | null;
  Name: string | null;
  StandardSalesAccountId: number | null;
  OptionalSalesAccountId: number | null;
  IsArchived: boolean;
  [field: string]: unknown;
}
export interface ProductGroup extends MasterRecord<ProductGroupFields> {
  unitPrice: Ore | null;
  unitCost: Ore | null;
}

export interface DepartmentFields {
  Code: string | null;
  Name: string;
  IsActive: boolean;
  ManagerEmployeeId: number | null;
  [field: string]: unknown;
}
export type Department = MasterRecord<DepartmentFields>;

export interface NumberSeries {
  id: string;
  name: string;
  type: NumberSeriesSeed['type'];
  from: number;
  to: number;
  accountId: number;
  accountNo: number;
  isDefault: boolean;
  /** Lowest number that may still be free; numbers below it are all taken. */
  cursor: number;
}

/** Voucher kinds as AccountTransactionDto.VoucherType names them. */
export type VoucherType =
  'CashJournal' | 'ManualJournal' | 'OutgoingInvoice' | 'OutgoingCreditNote' | 'ReversalVoucher';

export interface VoucherLine {
  id: number;
  accountId: number;
  postingDate: string;
  vatId: number;
  /** Signed gross amount in the line currency (debit +, credit −). */
  currencyAmount: Ore;
  /** The same in NOK. */
  amount: Ore;
  currencyCode: string;
  currencyExchangeRate: number | null;
  departmentId: number | null;
  projectId: number | null;
  productId: number | null;
  quantity: number | null;
  description: string | null;
  /** The line as the caller sent it (PascalCase), echoed back in the DTO. */
  echo: Record<string, unknown>;
}

export interface Voucher {
  id: string;
  voucherNo: number;
  type: VoucherType;
  /** Which POST endpoint made it: only these may be fetched by id or reversed through the API. */
  origin: 'CashJournals' | 'ManualJournals' | 'OutgoingInvoiceJournals' | 'SalesOrderInvoice' | 'Reverse';
  voucherDate: string;
  currencyCode: string;
  description: string | null;
  externalImportReference: string | null;
  importedVoucherNo: number | null;
  createdAt: Ticks;
  isReversed: boolean;
  reversedByVoucherId: string | null;
  reversalOfVoucherId: string | null;
  lines: VoucherLine[];
  echo: Record<string, unknown>;
  invoice: OutgoingInvoice | null;
}

/** A row of the general ledger (AccountTransactionDto). */
export interface LedgerEntry {
  id: number;
  voucherId: string;
  voucherNo: number;
  voucherType: VoucherType;
  voucherDate: string;
  voucherDescription: string | null;
  postingDate: string;
  accountId: number;
  accountNo: number;
  /** NOK. */
  amount: Ore;
  currencyAmount: Ore;
  currencyCode: string;
  vatAmount: Ore;
  vatId: number;
  vatCode: string;
  vatRate: number;
  departmentId: number | null;
  projectId: number | null;
  productId: number | null;
  customerId: number | null;
  quantity: number | null;
  description: string | null;
  externalImportReference: string | null;
  importedVoucherNo: number | null;
  createdAt: Ticks;
  lastChangedAt: Ticks;
  isReversed: boolean;
  reversedVoucherId: string | null;
  reversedVoucherNo: number | null;
}

export interface OutgoingInvoice {
  id: string;
  voucherId: string;
  voucherNo: number;
  invoiceNo: string;
  voucherType: 'OutgoingInvoice' | 'OutgoingCreditNote';
  voucherDate: string;
  dueDate: string;
  customerId: number;
  cid: string | null;
  currencyCode: string;
  netAmount: Ore;
  totalAmount: Ore;
  balance: Ore;
  createdAt: Ticks;
  lastChangedAt: Ticks;
  sentAt: Ticks | null;
  isReversed: boolean;
  externalImportReference: string | null;
  departmentId: number | null;
  customerReference: string | null;
  purchaseOrderReference: string | null;
  customMatchingReference: string | null;
  orderNo: number | null;
  orderDate: string | null;
  invoiceDeliveryType: string | null;
}

export interface SalesOrderLine {
  id: string;
  lineType: string;
  productId: number | null;
  accountId: number | null;
  description: string | null;
  quantity: number | null;
  unitPrice: Ore | null;
  allowance: number | null;
  net: Ore;
  vat: Ore;
  vatId: number | null;
  vatCode: string | null;
  vatRate: number | null;
  departmentId: number | null;
  echo: Record<string, unknown>;
}

export interface InvoiceDispatch {
  voucherId: string;
  invoiceNo: number;
  dueDate: string;
  deliveryType: string;
  requestedAt: Ticks;
  /** Wall-clock ms when Go has "processed" the send (configurable delay, for polling tests). */
  readyAtMs: number;
  sentAt: Ticks | null;
  lastErrorMessage: string | null;
}

export interface SalesOrder {
  id: string;
  salesOrderNo: number;
  customerId: number;
  status: string;
  salesOrderDate: string;
  currencyCode: string;
  externalImportReference: string | null;
  departmentId: number | null;
  createdAt: Ticks;
  lastChangedAt: Ticks;
  lines: SalesOrderLine[];
  netAmount: Ore;
  totalAmount: Ore;
  echo: Record<string, unknown>;
  dispatch: InvoiceDispatch | null;
}

export type ClientPreset = 'ns4102' | 'empty';

export interface ClientSetup {
  clientId?: string;
  name: string;
  organizationNumber: string | null;
  preset: ClientPreset;
  privileges: readonly string[];
  allowSendInvoice: boolean;
  lockDate: string | null;
}

/** Case-insensitive keys: Go stores references and codes under SQL Server's default collation. */
export function key(text: string): string {
  return text.toLowerCase();
}

/**
 * One Go client (company) and everything in it. Collections are Maps with the secondary indexes the
 * hot paths need (customer by number / sub-ledger account / reference, product by code, …), so a
 * lookup never scans.
 */
export class GoClient {
  readonly clientId: string;
  name: string;
  organizationNumber: string | null;
  privileges: Set<string>;
  allowSendInvoice: boolean;
  lockDate: string | null;
  /** An integration the user removed in Go: its key no longer gets tokens. */
  revoked = false;

  readonly accounts = new Map<number, GlAccount>();
  readonly accountsByNo = new Map<number, GlAccount>();
  readonly vatCodes = new Map<number, VatCode>();
  readonly vatCodesByCode = new Map<string, VatCode>();
  readonly series: NumberSeries[] = [];
  defaultSalesAccountNo: number | null;

  readonly customers = new Map<number, Customer>();
  readonly customersByNumber = new Map<number, Customer>();
  readonly customersBySubledger = new Map<number, Customer>();
  readonly customersByReference = new Map<string, Customer>();
  readonly customersByExternalNumber = new Map<number, Customer>();

  readonly products = new Map<number, Product>();
  readonly productsByCode = new Map<string, Product>();
  readonly productGroups = new Map<number, ProductGroup>();
  readonly productGroupsByCode = new Map<string, ProductGroup>();
  readonly departments = new Map<number, Department>();
  readonly departmentsByCode = new Map<string, Department>();

  readonly vouchers = new Map<string, Voucher>();
  /** ExternalImportReference of live (not reversed) vouchers → voucher. */
  readonly voucherReferences = new Map<string, Voucher>();
  /** InvoiceNo of live outgoing invoices → voucher. */
  readonly invoiceNumbers = new Map<string, Voucher>();
  readonly ledger: LedgerEntry[] = [];
  /** Ledger rows per voucher id (reversal needs them without scanning the ledger). */
  readonly ledgerByVoucher = new Map<string, LedgerEntry[]>();
  readonly invoices = new Map<string, OutgoingInvoice>();
  readonly salesOrders = new Map<string, SalesOrder>();
  readonly salesOrderReferences = new Map<string, SalesOrder>();

  nextVoucherNo = 1;
  nextSalesOrderNo = 1;
  nextInvoiceNo = 10001;

  constructor(
    readonly services: Services,
    setup: ClientSetup,
  ) {
    this.clientId = setup.clientId ?? randomUUID();
    this.name = setup.name;
    this.organizationNumber = setup.organizationNumber;
    this.privileges = new Set(setup.privileges);
    this.allowSendInvoice = setup.allowSendInvoice;
    this.lockDate = setup.lockDate;
    // VAT codes are Go's SAF-T standard list and exist in every client, even an "empty" one.
    for (const code of SAFT_VAT_CODES) {
      this.vatCodes.set(code.id, code);
      this.vatCodesByCode.set(code.code, code);
    }
    this.defaultSalesAccountNo = null;
    if (setup.preset === 'ns4102') {
      for (const seed of NS4102_ACCOUNTS) this.addAccount(seed);
      for (const seed of NS4102_SERIES) this.addSeries(seed);
      this.defaultSalesAccountNo = NS4102_DEFAULT_SALES_ACCOUNT;
    }
  }

  get ids(): IdSequence {
    return this.services.ids;
  }

  get clock(): Clock {
    return this.services.clock;
  }

  addAccount(seed: AccountSeed): GlAccount {
    const now = this.clock.tick();
    const account: GlAccount = {
      id: this.ids.take(),
      createdAt: now,
      lastChangedAt: now,
      fields: {
        AccountNo: seed.no,
        Name: seed.name,
        GeneralLedgerAccountType: seed.type,
        VatCodeId: this.vatCodesByCode.get(seed.vatCode)?.id ?? null,
        IsVatCodeLocked: seed.vatLocked ?? false,
        IsActive: seed.isActive ?? true,
        IsDepartmentRequired: false,
        IsProjectRequired: false,
        DepartmentId: null,
        CurrencyCode: 'NOK',
      },
    };
    this.indexAccount(account);
    return account;
  }

  indexAccount(account: GlAccount): void {
    this.accounts.set(account.id, account);
    this.accountsByNo.set(account.fields.AccountNo, account);
  }

  private addSeries(seed: NumberSeriesSeed): void {
    const account = this.accountsByNo.get(seed.accountNo);
    if (!account) throw new Error(`number series ${seed.name} needs account ${seed.accountNo}`);
    this.series.push({
      id: randomUUID(),
      name: seed.name,
      type: seed.type,
      from: seed.from,
      to: seed.to,
      accountId: account.id,
      accountNo: account.fields.AccountNo,
      isDefault: seed.isDefault,
      cursor: seed.from,
    });
  }

  /** True for a GL account that carries a sub-ledger (1500, 2400): Go refuses direct postings there. */
  isSubledgerControlAccount(accountNo: number): boolean {
    return this.series.some((s) => s.accountNo === accountNo);
  }

  customerSeries(): NumberSeries[] {
    return this.series.filter((s) => s.type === 'Customer');
  }

  takeVoucherNo(): number {
    return this.nextVoucherNo++;
  }

  appendLedgerEntry(entry: LedgerEntry): void {
    this.ledger.push(entry);
    const rows = this.ledgerByVoucher.get(entry.voucherId);
    if (rows) rows.push(entry);
    else this.ledgerByVoucher.set(entry.voucherId, [entry]);
  }
}
