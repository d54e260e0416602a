/**
 * A tenant's account mapping: which PowerOffice general-ledger account (by account NUMBER, as the
 * accountant speaks) each POS item posts to. Resolved to PowerOffice ids (AccountId, VatId) from
 * the tenant's chart of accounts at posting time. VAT codes are SAF-T standard codes as strings.
 */
export type PaymentMethod = 'cash' | 'card' | 'vipps' | 'giftCard' | 'creditNote' | 'pantSlip' | 'invoice' | 'other';

export interface MappedAccount {
  account: number;
  /** VAT code on the line; payment and balance lines default to "0". */
  vatCode?: string;
}

export interface AccountMapping {
  /** Debit side of the settlement: one account per payment method (`invoice` is never posted there). */
  payments: Partial<Record<PaymentMethod, MappedAccount>>;
  /** Cash sales per SAF-T sales VAT code, e.g. { "3": {account: 3000}, "31": {account: 3030} }. */
  sales: Record<string, MappedAccount>;
  /** Optional revenue split per POS article group id, then per VAT code; falls back to `sales`. */
  salesByArticleGroup?: Record<string, Record<string, MappedAccount>>;
  giftCardsSold?: MappedAccount;
  tips?: MappedAccount;
  rounding?: MappedAccount;
  cashDifference?: MappedAccount;
  /** Invoice revenue per VAT code; falls back to `sales` when absent. */
  invoiceSales?: Record<string, MappedAccount>;
  /** POS department code → PowerOffice department code (a dimension on voucher lines). */
  departments?: Record<string, string>;
  /** POS article group id → PowerOffice product group code. */
  productGroups?: Record<string, string>;
}

/** The NS 4102 preset: a typical Norwegian shop in one command (see shared/docs/pos-domain.md §6). */
export const NS4102_PRESET: AccountMapping = {
  payments: {
    cash: { account: 1900 },
    card: { account: 1910 },
    vipps: { account: 1911 },
    giftCard: { account: 2901 },
    creditNote: { account: 2902 },
    pantSlip: { account: 3990, vatCode: '7' },
    other: { account: 1579 },
  },
  sales: {
    '3': { account: 3000 },
    '31': { account: 3030 },
    '33': { account: 3050 },
    '5': { account: 3100 },
    '6': { account: 3200 },
  },
  giftCardsSold: { account: 2901 },
  tips: { account: 2910 },
  rounding: { account: 7740 },
  cashDifference: { account: 1909 },
};
