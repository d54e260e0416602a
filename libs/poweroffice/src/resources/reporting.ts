import { DEFAULT_PAGE_SIZE, items, PageOptions } from '../http/paging';
import { Ore } from '../money';
import { WireShape } from '../wire/codec';
import { InvoiceDeliveryType, OutgoingInvoiceVoucherType, VatReturnSpecification, VoucherType } from './enums';
import { businessDate, commaList, instant } from './query';
import { ListableResource, ListSpec, Resource } from './resource';

/** AccountTransactionDto: one posted ledger line, as Go booked it (VAT split out). */
export interface AccountTransaction {
  id: number;
  accountId: number;
  accountNo: number;
  /** In NOK on the wire, øre here. */
  amount: Ore;
  currencyAmount: Ore;
  currencyCode?: string | null;
  vatAmount: Ore;
  vatCode?: string | null;
  vatId: number;
  vatRate: number;
  vatReturnSpecification?: VatReturnSpecification | null;
  postingDate: string;
  voucherDate: string;
  voucherId: string;
  voucherNo: number;
  voucherType?: VoucherType | null;
  voucherDescription?: string | null;
  description?: string | null;
  externalImportReference?: string | null;
  importedVoucherNo?: number | null;
  customerAccountNo?: number | null;
  supplierAccountNo?: number | null;
  employeeAccountNo?: number | null;
  contactId?: number | null;
  departmentId?: number | null;
  departmentCode?: string | null;
  projectId?: number | null;
  projectCode?: string | null;
  locationId?: number | null;
  locationCode?: string | null;
  productId?: number | null;
  productCode?: string | null;
  quantity?: number | null;
  isReversed?: boolean | null;
  reversedVoucherId?: string | null;
  reversedVoucherNo?: number | null;
  createdDateTimeOffset?: string;
  lastChangedDateTimeOffset?: string;
}

export interface AccountTransactionFilter {
  /** Posting dates, inclusive; both required by PowerOffice. */
  fromDate: string | Date;
  toDate: string | Date;
  accountNos?: ReadonlyArray<number | string> | string;
  voucherNos?: ReadonlyArray<number | string> | string;
  voucherTypes?: readonly VoucherType[] | string;
  departmentCodes?: readonly string[] | string;
  projectCodes?: readonly string[] | string;
  productCodes?: readonly string[] | string;
  vatCodes?: readonly string[] | string;
  createdAfter?: Date | string;
  lastChangedAfter?: Date | string;
}

const ACCOUNT_TRANSACTION_SPEC: ListSpec<AccountTransactionFilter> = {
  path: '/AccountTransactions',
  role: 'AccountTransaction',
  noun: 'account transactions',
  shape: { money: ['amount', 'currencyAmount', 'vatAmount'] },
  query: (f) => ({
    fromDate: businessDate(f.fromDate),
    toDate: businessDate(f.toDate),
    accountNos: commaList(f.accountNos),
    voucherNos: commaList(f.voucherNos),
    voucherTypes: commaList(f.voucherTypes),
    departmentCodes: commaList(f.departmentCodes),
    projectCodes: commaList(f.projectCodes),
    productCodes: commaList(f.productCodes),
    vatCodes: commaList(f.vatCodes),
    createdDateTimeOffsetGreaterThan: instant(f.createdAfter),
    lastChangedDateTimeOffsetGreaterThan: instant(f.lastChangedAfter),
  }),
};

/** `GET /AccountTransactions`: reading the ledger back (a date range is required). */
export class AccountTransactions extends Resource {
  listPage(
    filter: AccountTransactionFilter,
    page: { pageNumber: number; pageSize?: number } & PageOptions,
  ): Promise<AccountTransaction[]> {
    return this.fetchList<AccountTransaction, AccountTransactionFilter>(ACCOUNT_TRANSACTION_SPEC, filter, {
      ...page,
      pageSize: page.pageSize ?? DEFAULT_PAGE_SIZE,
    });
  }

  iterate(filter: AccountTransactionFilter, options: PageOptions = {}): AsyncGenerator<AccountTransaction> {
    return items<AccountTransaction>(
      (pageNumber, pageSize) => this.fetchList(ACCOUNT_TRANSACTION_SPEC, filter, { ...options, pageNumber, pageSize }),
      options.pageSize ?? DEFAULT_PAGE_SIZE,
    );
  }

  async listAll(filter: AccountTransactionFilter, options: PageOptions = {}): Promise<AccountTransaction[]> {
    const all: AccountTransaction[] = [];
    for await (const t of this.iterate(filter, options)) all.push(t);
    return all;
  }
}

/** OutgoingInvoiceDto (lightweight list item). */
export interface OutgoingInvoice {
  id: string;
  invoiceNo?: number | null;
  voucherNo: number;
  voucherDate: string;
  voucherType?: OutgoingInvoiceVoucherType | null;
  dueDate?: string | null;
  customerId?: number | null;
  customerNo?: number | null;
  currencyCode?: string | null;
  netAmount: Ore;
  totalAmount: Ore;
  netPostedAmount?: Ore;
  totalPostedAmount?: Ore;
  /** Open amount; 0 when paid. */
  balance?: Ore | null;
  balanceLastChangedDateTimeOffset?: string | null;
  cid?: string | null;
  customMatchingReference?: string | null;
  externalImportReference?: string | null;
  invoiceDeliveryType?: InvoiceDeliveryType | null;
  isReversed: boolean;
  isCreatedByCurrentIntegration?: boolean | null;
  sentDateTimeOffset?: string | null;
  createdDateTimeOffset?: string;
  lastChangedDateTimeOffset?: string;
}

export interface OutgoingInvoiceFilter {
  /** Voucher dates, inclusive; send a range (some API versions require it). */
  fromDate?: string | Date;
  toDate?: string | Date;
  invoiceNos?: ReadonlyArray<number | string> | string;
  voucherNos?: ReadonlyArray<number | string> | string;
  invoiceIds?: readonly string[] | string;
  customerNos?: ReadonlyArray<number | string> | string;
  customMatchingReferences?: readonly string[] | string;
  onlyUnpaidInvoices?: boolean;
  onlyCreatedByCurrentIntegration?: boolean;
  /** Payment-status polling (`balanceLastChangedDateTimeOffsetGreaterThan`). */
  balanceChangedAfter?: Date | string;
  sentAfter?: Date | string;
}

const OUTGOING_INVOICE_SHAPE: WireShape = {
  money: ['netAmount', 'totalAmount', 'netPostedAmount', 'totalPostedAmount', 'balance'],
};

/** `GET /OutgoingInvoices` (read-only: invoices are created as vouchers or sales orders). */
export class OutgoingInvoices extends ListableResource<OutgoingInvoice, OutgoingInvoiceFilter> {
  protected readonly list: ListSpec<OutgoingInvoiceFilter> = {
    path: '/OutgoingInvoices',
    role: 'OutgoingInvoice',
    noun: 'outgoing invoices',
    shape: OUTGOING_INVOICE_SHAPE,
    query: (f) => ({
      fromDate: businessDate(f.fromDate),
      toDate: businessDate(f.toDate),
      invoiceNos: commaList(f.invoiceNos),
      voucherNos: commaList(f.voucherNos),
      invoiceIds: commaList(f.invoiceIds),
      customerNos: commaList(f.customerNos),
      customMatchingReferences: commaList(f.customMatchingReferences),
      onlyUnpaidInvoices: f.onlyUnpaidInvoices,
      onlyCreatedByCurrentIntegration: f.onlyCreatedByCurrentIntegration,
      balanceLastChangedDateTimeOffsetGreaterThan: instant(f.balanceChangedAfter),
      sentDateTimeOffsetGreaterThan: instant(f.sentAfter),
    }),
  };
}
