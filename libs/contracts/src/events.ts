import 'reflect-metadata';
import { Type } from 'class-transformer';
import { IsOptional, ValidateNested } from 'class-validator';
import { ERROR_CODES, OutcomeError, PowerOfficeProblem } from './errors';
import {
  IsBusinessDate,
  IsCount,
  IsEntityId,
  IsFiniteNumber,
  IsFlag,
  IsList,
  IsMatching,
  IsNestedObject,
  IsOneOf,
  IsOre,
  IsPositiveInteger,
  IsSalesVatCode,
  IsTenantId,
  IsText,
  IsTime,
  IsUuidString,
  MAX_ERROR_MESSAGE_LENGTH,
  MAX_NAME_LENGTH,
  MAX_TEXT_LENGTH,
  SAFT_ARTICLE_GROUP_CODES,
  SAFT_PAYMENT_CODES,
} from './rules';

/*
 * The event data of shared/docs/contracts.md, twice: as interfaces (what code reads and writes) and
 * as class-validator classes `…Dto implements …` (how a record from the wire is checked). The
 * compiler keeps the two in step through `implements`.
 *
 * Only shape and type are checked here. Whole-report identities (Σ sales = Σ payments − …) are the
 * settlement's business, and unknown extra fields are allowed: the contract lets producers add
 * optional fields without a new topic version. Nothing is stripped either; consumers receive the
 * JSON exactly as sent.
 */

// ---------------------------------------------------------------------------------------------
// Type names

export const POS_EVENT_TYPE_NAMES = ['CustomerChanged', 'ArticleChanged', 'ZReportClosed', 'InvoicePosted'] as const;
export type PosEventType = (typeof POS_EVENT_TYPE_NAMES)[number];

export const SUCCESS_OUTCOME_TYPE_NAMES = [
  'CustomerSynced',
  'ArticleSynced',
  'SettlementScheduled',
  'SettlementPosted',
  'InvoiceTransferred',
] as const;
export type SuccessOutcomeType = (typeof SUCCESS_OUTCOME_TYPE_NAMES)[number];

export const FAILURE_OUTCOME_TYPE_NAMES = [
  'CustomerSyncFailed',
  'ArticleSyncFailed',
  'SettlementFailed',
  'InvoiceRejected',
] as const;
export type FailureOutcomeType = (typeof FAILURE_OUTCOME_TYPE_NAMES)[number];

export type OutcomeType = SuccessOutcomeType | FailureOutcomeType;
export const OUTCOME_TYPE_NAMES: readonly OutcomeType[] = [
  ...SUCCESS_OUTCOME_TYPE_NAMES,
  ...FAILURE_OUTCOME_TYPE_NAMES,
];

export type EventType = PosEventType | 'PowerOfficeCustomerChanged' | OutcomeType;
export const EVENT_TYPE_NAMES: readonly EventType[] = [
  ...POS_EVENT_TYPE_NAMES,
  'PowerOfficeCustomerChanged',
  ...OUTCOME_TYPE_NAMES,
];

export function isEventType(value: unknown): value is EventType {
  return typeof value === 'string' && (EVENT_TYPE_NAMES as readonly string[]).includes(value);
}
export function isPosEventType(value: unknown): value is PosEventType {
  return typeof value === 'string' && (POS_EVENT_TYPE_NAMES as readonly string[]).includes(value);
}
export function isOutcomeType(value: unknown): value is OutcomeType {
  return typeof value === 'string' && (OUTCOME_TYPE_NAMES as readonly string[]).includes(value);
}

// ---------------------------------------------------------------------------------------------
// Shared pieces

export type Currency = 'NOK';
const CURRENCIES: readonly Currency[] = ['NOK'];

const ORGANIZATION_NUMBER = /^\d{9}$/;
const COUNTRY_CODE = /^[A-Z]{2}$/;
/** UN/ECE Recommendation 20 unit codes are 2–3 upper-case letters or digits (EA, HUR, KGM, C62). */
const UNIT_CODE = /^[A-Z0-9]{2,3}$/;
/** Norwegian KID: 2–25 digits, the last may be '-' (MOD11 remainder 10). */
const KID = /^\d{1,24}[\d-]$/;
/** Outcome error codes are UPPER_SNAKE tokens; new codes may appear (contracts.md: extend as needed). */
const ERROR_CODE = /^[A-Z][A-Z0-9_]{1,63}$/;

export interface PostalAddress {
  line1: string;
  line2?: string;
  postalCode: string;
  city: string;
  /** ISO 3166-1 alpha-2; absent means `NO`. */
  countryCode?: string;
}

export class PostalAddressDto implements PostalAddress {
  @IsText({ max: 200 }) line1!: string;
  @IsText({ max: 200, optional: true }) line2?: string;
  @IsText({ max: 20 }) postalCode!: string;
  @IsText({ max: 100 }) city!: string;
  @IsMatching(COUNTRY_CODE, { optional: true, what: 'an ISO 3166 two-letter country code' }) countryCode?: string;
}

export interface CountAndAmount {
  count: number;
  /** øre */
  amount: number;
}

export class CountAndAmountDto implements CountAndAmount {
  @IsCount() count!: number;
  @IsOre() amount!: number;
}

// ---------------------------------------------------------------------------------------------
// CustomerChanged (and the customer fields PowerOfficeCustomerChanged shares)

/** The customer as both systems describe it; the ids around it differ per event. */
export interface CustomerFields {
  isPerson: boolean;
  /** Required for companies. */
  name?: string;
  /** Required for persons. */
  firstName?: string;
  /** Required for persons. */
  lastName?: string;
  /** 9 digits for Norwegian companies. */
  organizationNumber?: string;
  email?: string;
  invoiceEmail?: string;
  phone?: string;
  address?: PostalAddress;
  /** false = archived/deleted. */
  active: boolean;
}

const isCompany = (o: Record<string, unknown>): boolean => o.isPerson === false;
const isPerson = (o: Record<string, unknown>): boolean => o.isPerson === true;

export class CustomerFieldsDto implements CustomerFields {
  @IsFlag() isPerson!: boolean;
  @IsText({ max: MAX_NAME_LENGTH, requiredWhen: isCompany, whyRequired: 'for a company (isPerson false)' })
  name?: string;
  @IsText({ max: 200, requiredWhen: isPerson, whyRequired: 'for a person (isPerson true)' }) firstName?: string;
  @IsText({ max: 200, requiredWhen: isPerson, whyRequired: 'for a person (isPerson true)' }) lastName?: string;
  @IsMatching(ORGANIZATION_NUMBER, { optional: true, what: 'an organisation number (9 digits)' })
  organizationNumber?: string;
  @IsText({ max: 254, optional: true }) email?: string;
  @IsText({ max: 254, optional: true }) invoiceEmail?: string;
  @IsText({ max: 50, optional: true }) phone?: string;
  @IsOptional() @IsNestedObject() @ValidateNested() @Type(() => PostalAddressDto) address?: PostalAddressDto;
  @IsFlag() active!: boolean;
}

export interface CustomerChanged extends CustomerFields {
  /** POS id, stable. */
  customerId: string;
  /** Set when the POS already uses a PowerOffice customer number. */
  customerNumber?: number;
  /** Increases with every change of this customer in the POS. */
  version: number;
  changedAt: string;
}

export class CustomerChangedDto extends CustomerFieldsDto implements CustomerChanged {
  @IsEntityId() customerId!: string;
  @IsPositiveInteger({ optional: true }) customerNumber?: number;
  @IsPositiveInteger() version!: number;
  @IsTime() changedAt!: string;
}

// ---------------------------------------------------------------------------------------------
// ArticleChanged

export const ARTICLE_TYPES = ['Product', 'Service'] as const;
export type ArticleType = (typeof ARTICLE_TYPES)[number];

export interface ArticleGroup {
  id: string;
  name: string;
  /** SAF-T article group, 04xxx. */
  saftCode?: string;
}

export class ArticleGroupDto implements ArticleGroup {
  @IsEntityId() id!: string;
  @IsText({ max: MAX_NAME_LENGTH }) name!: string;
  @IsOneOf(SAFT_ARTICLE_GROUP_CODES, {
    optional: true,
    what: 'a SAF-T article group code (04001–04021, 04999)',
    listInProblem: false,
  })
  saftCode?: string;
}

export interface ArticleChanged {
  articleId: string;
  /** Becomes the PowerOffice product `Code` (≤ 100 characters there). */
  articleNumber: string;
  name: string;
  description?: string;
  type: ArticleType;
  articleGroup?: ArticleGroup;
  /** øre; may be negative (e.g. a pant-return article). */
  unitPriceInclVat: number;
  /** SAF-T sales VAT code. */
  vatCode: string;
  /** UN/ECE unit code, e.g. `EA`. */
  unit?: string;
  active: boolean;
  version: number;
  changedAt: string;
}

export class ArticleChangedDto implements ArticleChanged {
  @IsEntityId() articleId!: string;
  @IsText({ max: 100 }) articleNumber!: string;
  @IsText({ max: MAX_NAME_LENGTH }) name!: string;
  @IsText({ max: MAX_TEXT_LENGTH, optional: true, multiline: true }) description?: string;
  @IsOneOf(ARTICLE_TYPES, { what: 'an article type' }) type!: ArticleType;
  @IsOptional() @IsNestedObject() @ValidateNested() @Type(() => ArticleGroupDto) articleGroup?: ArticleGroupDto;
  @IsOre() unitPriceInclVat!: number;
  @IsSalesVatCode() vatCode!: string;
  @IsMatching(UNIT_CODE, { optional: true, what: 'a UN/ECE unit code (e.g. EA)' }) unit?: string;
  @IsFlag() active!: boolean;
  @IsPositiveInteger() version!: number;
  @IsTime() changedAt!: string;
}

// ---------------------------------------------------------------------------------------------
// ZReportClosed

export const PAYMENT_METHODS = [
  'cash',
  'card',
  'vipps',
  'giftCard',
  'creditNote',
  'pantSlip',
  'invoice',
  'other',
] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

/** Cash sales at one VAT code (optionally one article group); returns already netted in. */
export interface ZReportSalesLine {
  vatCode: string;
  /** Percent, e.g. 25, 15, 12, 11.11, 0. */
  vatRate: number;
  articleGroupId?: string;
  /** øre, signed: a returns-heavy day can be negative. */
  grossAmount: number;
  netAmount: number;
  vatAmount: number;
  count: number;
}

export class ZReportSalesLineDto implements ZReportSalesLine {
  @IsSalesVatCode() vatCode!: string;
  @IsFiniteNumber({ min: 0, max: 100, what: 'a VAT rate in percent' }) vatRate!: number;
  @IsEntityId({ optional: true }) articleGroupId?: string;
  @IsOre() grossAmount!: number;
  @IsOre() netAmount!: number;
  @IsOre() vatAmount!: number;
  @IsCount() count!: number;
}

export interface ZReportPayment {
  method: PaymentMethod;
  /** SAF-T payment code, 12xxx. */
  saftCode?: string;
  /** øre, signed: refunds are negative payments. */
  amount: number;
  count: number;
}

export class ZReportPaymentDto implements ZReportPayment {
  @IsOneOf(PAYMENT_METHODS, { what: 'a payment method' }) method!: PaymentMethod;
  @IsOneOf(SAFT_PAYMENT_CODES, {
    optional: true,
    what: 'a SAF-T payment code (12001–12011, 12999)',
    listInProblem: false,
  })
  saftCode?: string;
  @IsOre() amount!: number;
  @IsCount() count!: number;
}

/** The cash count of the day's reconciliation (not a Z field, but the POS settlement carries it). */
export interface CashCount {
  openingFloat: number;
  counted: number;
  /** Negative = shortage. */
  difference: number;
}

export class CashCountDto implements CashCount {
  @IsOre({ nonNegative: true }) openingFloat!: number;
  @IsOre({ nonNegative: true }) counted!: number;
  @IsOre() difference!: number;
}

export interface GrandTotals {
  sales: number;
  returns: number;
  net: number;
}

export class GrandTotalsDto implements GrandTotals {
  @IsOre() sales!: number;
  @IsOre() returns!: number;
  @IsOre() net!: number;
}

export interface ZReportClosed {
  registerId: string;
  storeId?: string;
  /** Maps to a PowerOffice department. */
  departmentCode?: string;
  /** Unbroken sequence per register. */
  zNumber: number;
  businessDate: string;
  closedAt: string;
  currency: Currency;
  /** Cash sales only. */
  sales: ZReportSalesLine[];
  payments: ZReportPayment[];
  /** A liability, not a sale. */
  giftCardsSold?: CountAndAmount;
  tips?: CountAndAmount;
  /** Sales on account: posted by the invoice flow, never by the settlement. */
  creditSales?: CountAndAmount;
  cash?: CashCount;
  /** øre; negative when customers paid less. */
  rounding?: number;
  returns?: CountAndAmount;
  discounts?: CountAndAmount;
  voids?: CountAndAmount;
  grandTotals?: GrandTotals;
}

export class ZReportClosedDto implements ZReportClosed {
  @IsEntityId() registerId!: string;
  @IsEntityId({ optional: true }) storeId?: string;
  @IsText({ max: 50, optional: true }) departmentCode?: string;
  @IsPositiveInteger() zNumber!: number;
  @IsBusinessDate() businessDate!: string;
  @IsTime() closedAt!: string;
  @IsOneOf(CURRENCIES, { what: 'a supported currency' }) currency!: Currency;
  @IsList() @ValidateNested() @Type(() => ZReportSalesLineDto) sales!: ZReportSalesLineDto[];
  @IsList() @ValidateNested() @Type(() => ZReportPaymentDto) payments!: ZReportPaymentDto[];
  @IsOptional() @IsNestedObject() @ValidateNested() @Type(() => CountAndAmountDto) giftCardsSold?: CountAndAmountDto;
  @IsOptional() @IsNestedObject() @ValidateNested() @Type(() => CountAndAmountDto) tips?: CountAndAmountDto;
  @IsOptional() @IsNestedObject() @ValidateNested() @Type(() => CountAndAmountDto) creditSales?: CountAndAmountDto;
  @IsOptional() @IsNestedObject() @ValidateNested() @Type(() => CashCountDto) cash?: CashCountDto;
  @IsOre({ optional: true }) rounding?: number;
  @IsOptional() @IsNestedObject() @ValidateNested() @Type(() => CountAndAmountDto) returns?: CountAndAmountDto;
  @IsOptional() @IsNestedObject() @ValidateNested() @Type(() => CountAndAmountDto) discounts?: CountAndAmountDto;
  @IsOptional() @IsNestedObject() @ValidateNested() @Type(() => CountAndAmountDto) voids?: CountAndAmountDto;
  @IsOptional() @IsNestedObject() @ValidateNested() @Type(() => GrandTotalsDto) grandTotals?: GrandTotalsDto;
}

// ---------------------------------------------------------------------------------------------
// InvoicePosted

export const INVOICE_KINDS = ['invoice', 'creditNote'] as const;
export type InvoiceKind = (typeof INVOICE_KINDS)[number];

export interface InvoiceCustomerRef {
  customerId: string;
  customerNumber?: number;
}

export class InvoiceCustomerRefDto implements InvoiceCustomerRef {
  @IsEntityId() customerId!: string;
  @IsPositiveInteger({ optional: true }) customerNumber?: number;
}

/** Amounts are signed øre: credit notes carry negative quantities or amounts. */
export interface InvoiceLine {
  articleId?: string;
  articleNumber?: string;
  description: string;
  quantity: number;
  unitPriceExclVat: number;
  /** Percent, 0–100. */
  discountPercent?: number;
  vatCode: string;
  netAmount: number;
  vatAmount: number;
  grossAmount: number;
}

export class InvoiceLineDto implements InvoiceLine {
  @IsEntityId({ optional: true }) articleId?: string;
  @IsText({ max: 100, optional: true }) articleNumber?: string;
  @IsText({ max: MAX_TEXT_LENGTH, multiline: true }) description!: string;
  @IsFiniteNumber({ min: -1_000_000_000, max: 1_000_000_000, what: 'a quantity' }) quantity!: number;
  @IsOre() unitPriceExclVat!: number;
  @IsFiniteNumber({ min: 0, max: 100, optional: true, what: 'a discount in percent' }) discountPercent?: number;
  @IsSalesVatCode() vatCode!: string;
  @IsOre() netAmount!: number;
  @IsOre() vatAmount!: number;
  @IsOre() grossAmount!: number;
}

export interface InvoiceTotals {
  net: number;
  vat: number;
  gross: number;
}

export class InvoiceTotalsDto implements InvoiceTotals {
  @IsOre() net!: number;
  @IsOre() vat!: number;
  @IsOre() gross!: number;
}

export interface InvoicePosted {
  invoiceId: string;
  /** Issued by the POS, unique per tenant. */
  invoiceNumber: string;
  kind: InvoiceKind;
  /** For credit notes. */
  creditedInvoiceNumber?: string;
  customer: InvoiceCustomerRef;
  invoiceDate: string;
  dueDate: string;
  currency: Currency;
  /** Payment reference. */
  kid?: string;
  /** Buyer's reference. */
  reference?: string;
  departmentCode?: string;
  registerId?: string;
  lines: InvoiceLine[];
  totals: InvoiceTotals;
}

export class InvoicePostedDto implements InvoicePosted {
  @IsEntityId() invoiceId!: string;
  @IsText({ max: 50 }) invoiceNumber!: string;
  @IsOneOf(INVOICE_KINDS, { what: 'an invoice kind' }) kind!: InvoiceKind;
  @IsText({ max: 50, optional: true }) creditedInvoiceNumber?: string;
  @IsNestedObject() @ValidateNested() @Type(() => InvoiceCustomerRefDto) customer!: InvoiceCustomerRefDto;
  @IsBusinessDate() invoiceDate!: string;
  @IsBusinessDate() dueDate!: string;
  @IsOneOf(CURRENCIES, { what: 'a supported currency' }) currency!: Currency;
  @IsMatching(KID, { optional: true, what: 'a KID (2–25 digits)' }) kid?: string;
  @IsText({ max: 200, optional: true }) reference?: string;
  @IsText({ max: 50, optional: true }) departmentCode?: string;
  @IsEntityId({ optional: true }) registerId?: string;
  @IsList({ min: 1 }) @ValidateNested() @Type(() => InvoiceLineDto) lines!: InvoiceLineDto[];
  @IsNestedObject() @ValidateNested() @Type(() => InvoiceTotalsDto) totals!: InvoiceTotalsDto;
}

// ---------------------------------------------------------------------------------------------
// PowerOfficeCustomerChanged

/** PowerOffice ids are int64 (JSON numbers); real ones stay far below 2^53. */
export interface PowerOfficeCustomerRef {
  customerId: number;
  customerNumber: number;
}

export class PowerOfficeCustomerRefDto implements PowerOfficeCustomerRef {
  @IsPositiveInteger() customerId!: number;
  @IsPositiveInteger() customerNumber!: number;
}

export interface PowerOfficeCustomerChanged extends CustomerFields {
  powerOffice: PowerOfficeCustomerRef;
  /** POS id, when known. */
  customerId?: string;
  version?: number;
  changedAt: string;
}

export class PowerOfficeCustomerChangedDto extends CustomerFieldsDto implements PowerOfficeCustomerChanged {
  @IsNestedObject() @ValidateNested() @Type(() => PowerOfficeCustomerRefDto) powerOffice!: PowerOfficeCustomerRefDto;
  @IsEntityId({ optional: true }) customerId?: string;
  @IsPositiveInteger({ optional: true }) version?: number;
  @IsTime() changedAt!: string;
}

// ---------------------------------------------------------------------------------------------
// Outcomes

/** What every outcome carries besides the entity ids. */
export interface OutcomeData {
  /** The cause's `ce_id`. */
  sourceEventId: string;
  tenantId: string;
}

export class SuccessOutcomeDataDto implements OutcomeData {
  @IsUuidString() sourceEventId!: string;
  @IsTenantId() tenantId!: string;
}

/**
 * A failure may answer an event whose own id was malformed (that can be why it failed), so its
 * `sourceEventId` is any sane id rather than strictly a UUID.
 */
export class FailureOutcomeDataDto implements OutcomeData {
  @IsEntityId({ max: 200 }) sourceEventId!: string;
  @IsTenantId() tenantId!: string;
}

export const SYNC_ACTIONS = ['created', 'updated', 'unchanged', 'archived'] as const;
export type SyncAction = (typeof SYNC_ACTIONS)[number];

export interface CustomerSynced extends OutcomeData {
  customerId: string;
  action: SyncAction;
  powerOffice: PowerOfficeCustomerRef;
}

export class CustomerSyncedDto extends SuccessOutcomeDataDto implements CustomerSynced {
  @IsEntityId() customerId!: string;
  @IsOneOf(SYNC_ACTIONS, { what: 'a sync action' }) action!: SyncAction;
  @IsNestedObject() @ValidateNested() @Type(() => PowerOfficeCustomerRefDto) powerOffice!: PowerOfficeCustomerRefDto;
}

export interface PowerOfficeProductRef {
  productId: number;
  code: string;
}

export class PowerOfficeProductRefDto implements PowerOfficeProductRef {
  @IsPositiveInteger() productId!: number;
  @IsText({ max: 100 }) code!: string;
}

export interface ArticleSynced extends OutcomeData {
  articleId: string;
  action: SyncAction;
  powerOffice: PowerOfficeProductRef;
}

export class ArticleSyncedDto extends SuccessOutcomeDataDto implements ArticleSynced {
  @IsEntityId() articleId!: string;
  @IsOneOf(SYNC_ACTIONS, { what: 'a sync action' }) action!: SyncAction;
  @IsNestedObject() @ValidateNested() @Type(() => PowerOfficeProductRefDto) powerOffice!: PowerOfficeProductRefDto;
}

export interface SettlementScheduled extends OutcomeData {
  registerId: string;
  zNumber: number;
  businessDate: string;
  /** When the settlement will be posted. */
  postAt: string;
}

export class SettlementScheduledDto extends SuccessOutcomeDataDto implements SettlementScheduled {
  @IsEntityId() registerId!: string;
  @IsPositiveInteger() zNumber!: number;
  @IsBusinessDate() businessDate!: string;
  @IsTime() postAt!: string;
}

export interface PowerOfficeVoucherRef {
  /** PowerOffice voucher ids are UUIDs. */
  voucherId: string;
  voucherNo?: number;
}

export class PowerOfficeVoucherRefDto implements PowerOfficeVoucherRef {
  @IsUuidString() voucherId!: string;
  @IsPositiveInteger({ optional: true }) voucherNo?: number;
}

export interface VoucherTotals {
  /** øre */
  debit: number;
  credit: number;
}

export class VoucherTotalsDto implements VoucherTotals {
  @IsOre({ nonNegative: true }) debit!: number;
  @IsOre({ nonNegative: true }) credit!: number;
}

export interface SettlementPosted extends OutcomeData {
  registerId: string;
  zNumber: number;
  businessDate: string;
  powerOffice: PowerOfficeVoucherRef;
  totals: VoucherTotals;
}

export class SettlementPostedDto extends SuccessOutcomeDataDto implements SettlementPosted {
  @IsEntityId() registerId!: string;
  @IsPositiveInteger() zNumber!: number;
  @IsBusinessDate() businessDate!: string;
  @IsNestedObject() @ValidateNested() @Type(() => PowerOfficeVoucherRefDto) powerOffice!: PowerOfficeVoucherRefDto;
  @IsNestedObject() @ValidateNested() @Type(() => VoucherTotalsDto) totals!: VoucherTotalsDto;
}

/** Where the invoice went: a voucher, a sales order, or both (depends on the tenant's invoice mode). */
export interface PowerOfficeInvoiceRef {
  voucherId?: string;
  salesOrderId?: string;
  customerNumber: number;
  /** The invoice number PowerOffice gave the invoice (sales-order mode, once sent). */
  invoiceNo?: number;
}

export class PowerOfficeInvoiceRefDto implements PowerOfficeInvoiceRef {
  @IsUuidString({ requiredWhen: (o) => o.salesOrderId == null, whyRequired: 'when there is no salesOrderId' })
  voucherId?: string;
  @IsUuidString({ optional: true }) salesOrderId?: string;
  @IsPositiveInteger() customerNumber!: number;
  @IsPositiveInteger({ optional: true }) invoiceNo?: number;
}

export interface InvoiceTransferred extends OutcomeData {
  invoiceId: string;
  invoiceNumber: string;
  powerOffice: PowerOfficeInvoiceRef;
}

export class InvoiceTransferredDto extends SuccessOutcomeDataDto implements InvoiceTransferred {
  @IsEntityId() invoiceId!: string;
  @IsText({ max: 50 }) invoiceNumber!: string;
  @IsNestedObject() @ValidateNested() @Type(() => PowerOfficeInvoiceRefDto) powerOffice!: PowerOfficeInvoiceRefDto;
}

// Failures

export class PowerOfficeProblemDto implements PowerOfficeProblem {
  @IsFiniteNumber({ min: 100, max: 599, what: 'an HTTP status' }) status!: number;
  @IsText({ max: 1000, optional: true, multiline: true }) title?: string;
  @IsText({ max: MAX_ERROR_MESSAGE_LENGTH, optional: true, multiline: true }) detail?: string;
}

export class OutcomeErrorDto implements OutcomeError {
  @IsMatching(ERROR_CODE, { what: `an error code (e.g. ${ERROR_CODES[0]})` }) code!: OutcomeError['code'];
  @IsText({ max: MAX_ERROR_MESSAGE_LENGTH, multiline: true }) message!: string;
  @IsFlag() retryable!: boolean;
  /** Free-form (field problems, unmapped keys); not checked. */
  details?: unknown;
  @IsOptional()
  @IsNestedObject()
  @ValidateNested()
  @Type(() => PowerOfficeProblemDto)
  powerOffice?: PowerOfficeProblemDto;
}

export interface FailureOutcomeData extends OutcomeData {
  error: OutcomeError;
}

export class FailureWithErrorDto extends FailureOutcomeDataDto implements FailureOutcomeData {
  @IsNestedObject() @ValidateNested() @Type(() => OutcomeErrorDto) error!: OutcomeErrorDto;
}

export interface CustomerSyncFailed extends FailureOutcomeData {
  customerId: string;
}

export class CustomerSyncFailedDto extends FailureWithErrorDto implements CustomerSyncFailed {
  @IsEntityId() customerId!: string;
}

export interface ArticleSyncFailed extends FailureOutcomeData {
  articleId: string;
}

export class ArticleSyncFailedDto extends FailureWithErrorDto implements ArticleSyncFailed {
  @IsEntityId() articleId!: string;
}

export interface SettlementFailed extends FailureOutcomeData {
  registerId: string;
  zNumber: number;
  /** Absent when the report was too malformed to read it. */
  businessDate?: string;
}

export class SettlementFailedDto extends FailureWithErrorDto implements SettlementFailed {
  @IsEntityId() registerId!: string;
  @IsPositiveInteger() zNumber!: number;
  @IsBusinessDate({ optional: true }) businessDate?: string;
}

export interface InvoiceRejected extends FailureOutcomeData {
  invoiceId: string;
  /** Absent when the invoice was too malformed to read it. */
  invoiceNumber?: string;
}

export class InvoiceRejectedDto extends FailureWithErrorDto implements InvoiceRejected {
  @IsEntityId() invoiceId!: string;
  @IsText({ max: 50, optional: true }) invoiceNumber?: string;
}

// ---------------------------------------------------------------------------------------------
// Registry

export interface EventDataByType {
  CustomerChanged: CustomerChanged;
  ArticleChanged: ArticleChanged;
  ZReportClosed: ZReportClosed;
  InvoicePosted: InvoicePosted;
  PowerOfficeCustomerChanged: PowerOfficeCustomerChanged;
  CustomerSynced: CustomerSynced;
  CustomerSyncFailed: CustomerSyncFailed;
  ArticleSynced: ArticleSynced;
  ArticleSyncFailed: ArticleSyncFailed;
  SettlementScheduled: SettlementScheduled;
  SettlementPosted: SettlementPosted;
  SettlementFailed: SettlementFailed;
  InvoiceTransferred: InvoiceTransferred;
  InvoiceRejected: InvoiceRejected;
}

export type PosEventData = EventDataByType[PosEventType];
export type OutcomeDataOf<K extends OutcomeType> = EventDataByType[K];

/** The class-validator class that checks each event type's data. */
export const EVENT_DATA_CLASSES: { readonly [K in EventType]: new () => EventDataByType[K] } = {
  CustomerChanged: CustomerChangedDto,
  ArticleChanged: ArticleChangedDto,
  ZReportClosed: ZReportClosedDto,
  InvoicePosted: InvoicePostedDto,
  PowerOfficeCustomerChanged: PowerOfficeCustomerChangedDto,
  CustomerSynced: CustomerSyncedDto,
  CustomerSyncFailed: CustomerSyncFailedDto,
  ArticleSynced: ArticleSyncedDto,
  ArticleSyncFailed: ArticleSyncFailedDto,
  SettlementScheduled: SettlementScheduledDto,
  SettlementPosted: SettlementPostedDto,
  SettlementFailed: SettlementFailedDto,
  InvoiceTransferred: InvoiceTransferredDto,
  InvoiceRejected: InvoiceRejectedDto,
};
