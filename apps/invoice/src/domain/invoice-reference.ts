import { createHash } from 'node:crypto';
import { InvoicePosted, URL_NAMESPACE, uuidv5 } from '@lib/contracts';

/** Name space of the ExternalImportReference of every invoice this integration sends. */
export const INVOICE_REFERENCE_NAMESPACE = uuidv5('urn:open-one-poweroffice:invoice-references', URL_NAMESPACE);

/**
 * The ExternalImportReference PowerOffice gets for an invoice: a UUID (what PowerOffice recommends;
 * 36 characters fit every reference field) derived from tenant and invoice number only, so every
 * attempt, redelivery and resend of one invoice carries the same one and PowerOffice's duplicate
 * check can refuse a second copy.
 */
export function invoiceImportReference(tenantId: string, invoiceNumber: string): string {
  return uuidv5(JSON.stringify(['invoice', tenantId, invoiceNumber]), INVOICE_REFERENCE_NAMESPACE);
}

/** SHA-256 of the invoice's canonical JSON: tells a resend of the same document from a changed one. */
export function invoiceContentHash(invoice: InvoicePosted): string {
  return createHash('sha256').update(canonicalJson(invoice)).digest('hex');
}

/** JSON with object keys sorted, so equal content always gives equal text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
