/** String enums of the PowerOffice v2 spec that the DTOs here use. PowerOffice rejects integer enums. */
export type InvoiceDeliveryType = 'PdfByEmail' | 'Print' | 'EHF' | 'AvtaleGiro' | 'External' | 'Efaktura' | 'Factoring';
export type ReminderDeliveryType = 'PdfByEmail' | 'Print';
export type NoticeOfDebtCollectionDeliveryType = 'PdfByEmail' | 'Print';
export type ProductType = 'Product' | 'Service';
/** UN/ECE unit codes; the common ones named, any other code PowerOffice knows still accepted. */
export type UnitOfMeasureCode =
  'EA' | 'HUR' | 'DAY' | 'KGM' | 'GRM' | 'LTR' | 'MTR' | 'MTK' | 'MTQ' | 'SET' | 'PR' | 'BX' | 'KWH' | (string & {});
export type AgricultureDepartment =
  'None' | 'Finance' | 'Farming' | 'Forestry' | 'FurAnimals' | 'OtherIndustries' | 'Private';
export type GeneralLedgerAccountType = 'Asset' | 'Liability' | 'Equity' | 'Income' | 'Expense';
export type VatReturnSpecification =
  | 'None'
  | 'Adjustment'
  | 'LossesOnClaims'
  | 'ReversalOfInputValueAddedTax'
  | 'Withdrawals'
  | 'AdjustmentVatCompensationRealProperty'
  | 'PurchasesEligibleForCompensation';
export type SubLedgerNumberSeriesType = 'Customer' | 'Supplier' | 'Employee';
export type VoucherLineType = 'Normal' | 'Text' | 'Summary' | 'InvoiceFee' | 'TotalHours';
export type OrderStatus = 'Draft' | 'Confirmed';
export type SendInvoiceDeliveryType = 'PdfByEmail' | 'PdfPrintForDownload' | 'Auto';
export type OutgoingInvoiceVoucherType = 'OutgoingInvoice' | 'OutgoingCreditNote';
export type VoucherType =
  | 'Unknown'
  | 'IncomingInvoice'
  | 'IncomingCreditNote'
  | 'OutgoingInvoice'
  | 'OutgoingCreditNote'
  | 'IncomingBankRemittance'
  | 'IncomingOcrGiro'
  | 'ManualJournal'
  | 'Expense'
  | 'CashJournal'
  | 'IncomingPayments'
  | 'OutgoingPayments'
  | 'YearEndJournal'
  | 'BankJournal'
  | 'VatReturns'
  | 'PayrollJournal'
  | 'OutgoingPaymentReminder'
  | 'OutgoingNoticeOfDebtCollection'
  | 'OutgoingPaymentDemand'
  | 'OutgoingWarrantOfExecution'
  | 'CorrectionVoucher'
  | 'ReversalVoucher'
  | 'DepreciationJournal'
  | 'TravelExpense'
  | 'Settlement'
  | 'NegativeSettlement'
  | 'SystemGeneratedDocumentationVoucher';

/** Accrual (periodisering) on a sales-order or invoice line. */
export interface Accrual {
  balanceAccountId?: number | null;
  balanceAccountNo?: number | null;
  resultAccountId?: number | null;
  resultAccountNo?: number | null;
  fromDate?: string;
  toDate?: string;
  isActive?: boolean;
}
