import { createHash } from 'node:crypto';

/** Every customer this integration creates carries an ExternalImportReference starting with this. */
export const CUSTOMER_REFERENCE_PREFIX = 'oop-c-';

/**
 * The ExternalImportReference of a POS customer: the same for every attempt and every event of the
 * customer, unique per tenant (PowerOffice enforces uniqueness among a client's customers), and
 * within PowerOffice's 50 characters (6 + 40). A retried create finds the first one by it.
 */
export function customerImportReference(tenantId: string, customerId: string): string {
  const digest = createHash('sha256')
    .update(JSON.stringify([tenantId, customerId]))
    .digest('hex');
  return `${CUSTOMER_REFERENCE_PREFIX}${digest.slice(0, 40)}`;
}

/** True for references this integration hands out (the customer was created from the POS). */
export function isOurReference(reference: string | null | undefined): boolean {
  return typeof reference === 'string' && reference.startsWith(CUSTOMER_REFERENCE_PREFIX);
}
