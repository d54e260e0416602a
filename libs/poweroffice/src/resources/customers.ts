import { Ore } from '../money';
import { WireShape } from '../wire/codec';
import { InvoiceDeliveryType, NoticeOfDebtCollectionDeliveryType, ReminderDeliveryType } from './enums';
import { commaList, instant } from './query';
import { ListSpec, PatchableResource } from './resource';

/** A customer's postal address (ContactAddressDto). */
export interface ContactAddress {
  id?: number;
  addressLine1?: string | null;
  addressLine2?: string | null;
  zipCode?: string | null;
  city?: string | null;
  /** ISO-3166 alpha-2; PowerOffice defaults to "NO". */
  countryCode?: string | null;
  externalCode?: string | null;
  lastChangedDateTimeOffset?: string;
}

/** On create, PowerOffice needs City and ZipCode when an address is sent. */
export interface NewContactAddress {
  addressLine1?: string | null;
  addressLine2?: string | null;
  zipCode: string;
  city: string;
  countryCode?: string | null;
  externalCode?: string | null;
}

/** ContactAddressPatchDto. */
export type ContactAddressChanges = Partial<NewContactAddress>;

/** Fields a customer has both when created and when changed. */
interface CustomerFields {
  number?: number | null;
  isPerson?: boolean | null;
  name?: string | null;
  firstName?: string | null;
  lastName?: string | null;
  legalName?: string | null;
  organizationNumber?: string | null;
  nationalIdNumber?: string | null;
  dateOfBirth?: string | null;
  emailAddress?: string | null;
  invoiceEmailAddress?: string | null;
  /** `;`-separated, up to 10. */
  invoiceEmailAddressCC?: string | null;
  paymentReminderEmailAddress?: string | null;
  phoneNumber?: string | null;
  websiteUrl?: string | null;
  externalNumber?: number | null;
  /** API-only, unique among customers (≤ 50 chars): the integration's idempotency key for creates. */
  externalImportReference?: string | null;
  currencyCode?: string | null;
  isVatFree?: boolean | null;
  isArchived?: boolean | null;
  invoiceDeliveryType?: InvoiceDeliveryType | null;
  reminderDeliveryType?: ReminderDeliveryType | null;
  noticeOfDebtCollectionDeliveryType?: NoticeOfDebtCollectionDeliveryType | null;
  paymentTermId?: number | null;
  deliveryTermId?: number | null;
  departmentId?: number | null;
  salesPersonEmployeeId?: number | null;
  invoiceBrandingThemeId?: number | null;
  contactGroupIds?: number[] | null;
  customerSince?: string | null;
  /** Discount percentage (not money). */
  allowance?: number | null;
  /** Hourly rate, øre. */
  billableRate?: Ore | null;
  useInvoiceFee?: boolean | null;
  sendPaymentReminders?: boolean | null;
  doNotAddLatePaymentFees?: boolean | null;
  doNotAddLatePaymentInterest?: boolean | null;
  doNotAutomatePaymentNotifications?: boolean | null;
  transferToDebtCollectionAgency?: boolean | null;
}

/** CustomerDto. */
export interface Customer extends CustomerFields {
  id: number;
  /** The customer's sub-ledger account: the AccountId for voucher lines that hit this customer. */
  subledgerAccountId: number;
  mailAddress?: ContactAddress | null;
  isActive?: boolean | null;
  departmentCode?: string | null;
  paymentTerm?: number | null;
  deliveryTerm?: string | null;
  salesPersonEmployeeNumber?: number | null;
  invoiceBrandingThemeCode?: string | null;
  customerCreatedDateTimeOffset?: string;
  contactCreatedDateTimeOffset?: string;
  /** Does not change when only the address or contact persons change. */
  lastChangedDateTimeOffset?: string;
  createdFromImportJournalId?: string | null;
}

/** CustomerPostDto. Send `name` for a company, or `firstName` + `lastName` with `isPerson: true`. */
export interface NewCustomer extends CustomerFields {
  mailAddress?: NewContactAddress | null;
  /** Which customer number series assigns `number` when it is left out (several series only). */
  subLedgerNumberSeriesId?: string | null;
  departmentCode?: string | null;
  paymentTerm?: number | null;
  deliveryTerm?: string | null;
  salesPersonEmployeeNumber?: number | null;
  invoiceBrandingThemeCode?: string | null;
}

/** CustomerPatchDto: what `update` may change. */
export interface CustomerChanges extends CustomerFields {
  mailAddress?: ContactAddressChanges | null;
}

export interface CustomerFilter {
  /** Numbers and ranges: `[10000, 10001]` or `"10000-11000,12000"`. */
  customerNos?: ReadonlyArray<number | string> | string;
  externalNos?: ReadonlyArray<number | string> | string;
  externalImportReference?: string;
  /** Single ids only (no ranges). */
  contactGroupIds?: readonly number[];
  /** Changed strictly after this instant (`lastChangedDateTimeOffsetGreaterThan`). */
  lastChangedAfter?: Date | string;
  /** Created strictly after this instant (`customerCreatedDateTimeOffsetGreaterThan`). */
  createdAfter?: Date | string;
}

const CUSTOMER_PATCH_FIELDS = [
  'allowance',
  'billableRate',
  'contactGroupIds',
  'currencyCode',
  'customerSince',
  'dateOfBirth',
  'deliveryTermId',
  'departmentId',
  'doNotAddLatePaymentFees',
  'doNotAddLatePaymentInterest',
  'doNotAutomatePaymentNotifications',
  'emailAddress',
  'externalImportReference',
  'externalNumber',
  'firstName',
  'invoiceBrandingThemeId',
  'invoiceDeliveryType',
  'invoiceEmailAddress',
  'invoiceEmailAddressCC',
  'isArchived',
  'isPerson',
  'isVatFree',
  'lastName',
  'legalName',
  'mailAddress',
  'name',
  'nationalIdNumber',
  'noticeOfDebtCollectionDeliveryType',
  'number',
  'organizationNumber',
  'paymentReminderEmailAddress',
  'paymentTermId',
  'phoneNumber',
  'reminderDeliveryType',
  'salesPersonEmployeeId',
  'sendPaymentReminders',
  'transferToDebtCollectionAgency',
  'useInvoiceFee',
  'websiteUrl',
] as const satisfies readonly (keyof CustomerChanges)[];

const CUSTOMER_SHAPE: WireShape = { money: ['billableRate'] };
const ROLE = 'Customer_Full';

/** `/Customers` (roles Customer / Customer_Full). */
export class Customers extends PatchableResource<Customer, CustomerChanges, CustomerFilter> {
  protected readonly list: ListSpec<CustomerFilter> = {
    path: '/Customers',
    role: 'Customer',
    noun: 'customers',
    shape: CUSTOMER_SHAPE,
    query: (f) => ({
      customerNos: commaList(f.customerNos),
      externalNos: commaList(f.externalNos),
      externalImportReference: f.externalImportReference,
      contactGroupIds: commaList(f.contactGroupIds),
      lastChangedDateTimeOffsetGreaterThan: instant(f.lastChangedAfter),
      customerCreatedDateTimeOffsetGreaterThan: instant(f.createdAfter),
    }),
  };
  protected readonly patchable = {
    path: '/Customers',
    role: ROLE,
    noun: 'customer',
    fields: CUSTOMER_PATCH_FIELDS,
    shape: CUSTOMER_SHAPE,
  };

  get(id: number): Promise<Customer> {
    return this.getOne<Customer>(
      { path: '/Customers/{id}', params: { id }, subject: `customer ${id}`, role: 'Customer' },
      CUSTOMER_SHAPE,
    );
  }

  /** The customer created with this ExternalImportReference, if any: the lookup before a (re)create. */
  async findByExternalImportReference(reference: string): Promise<Customer | undefined> {
    const [found] = await this.listPage({ externalImportReference: reference }, { pageNumber: 1, pageSize: 2 });
    return found;
  }

  /** 201 → the created customer (with `id`, `number` and `subledgerAccountId`). */
  create(customer: NewCustomer): Promise<Customer> {
    const subject = customer.externalImportReference
      ? `new customer ${customer.externalImportReference}`
      : 'new customer';
    return this.post<Customer>({ path: '/Customers', subject, role: ROLE }, customer, CUSTOMER_SHAPE);
  }
}
