import type { PaymentMethod } from '../domain/z-report';

/**
 * The few Skatteetaten SAF-T Cash Register codes the settlement import needs
 * (shared/fixtures/saft/codelists/, pos-domain §4). Codes are strings with leading zeros.
 */

/** Basic types (`basics/basic/basicType`) the parser resolves POS codes through. */
export const BASIC_TYPE = {
  articleGroup: '04',
  transaction: '11',
  payment: '12',
  event: '13',
} as const;

/** Predefined event code of "Z report run" (13009); 13008 is the X report. */
export const EVENT_Z_REPORT = '13009';
export const EVENT_X_REPORT = '13008';

/**
 * Predefined payment code (12xxx) → contract payment method. Debit and credit cards are one
 * method: the acquirer settles both to the same clearing account. 12006 "customer account" is a
 * sale on account — `invoice`, which the settlement never posts (pos-domain §7.2). Codes without a
 * method of their own (bank transfer, loyalty points, cheque, 12999) are `other`.
 */
export const PAYMENT_METHOD_BY_CODE: Readonly<Record<string, PaymentMethod>> = {
  '12001': 'cash',
  '12002': 'card',
  '12003': 'card',
  '12005': 'giftCard',
  '12006': 'invoice',
  '12008': 'pantSlip',
  '12010': 'creditNote',
  '12011': 'vipps',
};

export function paymentMethodForSaftCode(code: string | undefined): PaymentMethod {
  return (code !== undefined && PAYMENT_METHOD_BY_CODE[code]) || 'other';
}

/** `basicType` as given ("4", "04", " 04 ") → the two-digit form of the code list. */
export function normaliseBasicType(value: string): string {
  const v = value.trim();
  return /^\d$/.test(v) ? `0${v}` : v;
}
