/**
 * Which PowerOffice customer an invoice goes to, decided from what the customer sync knows and how
 * long the invoice has waited. Pure: the edges read the customer-sync row and ask PowerOffice.
 */

/** States of a row in customer_sync.customers (owned by the customer-sync app). */
export type CustomerSyncState = 'pending' | 'creating' | 'synced' | 'failed' | 'archived';

/** A customer-sync row as the invoice flow reads it. */
export interface CustomerSyncRow {
  state: CustomerSyncState | string;
  poCustomerId: number | null;
  poCustomerNumber: number | null;
  poSubledgerAccountId: number | null;
}

export interface CustomerQuestion {
  /** The POS customer on the invoice. */
  customerId: string;
  /** The PowerOffice customer number the POS put on the invoice, if any. */
  customerNumber?: number;
  /** null: customer sync has no row for it (or its table does not exist). */
  syncRow: CustomerSyncRow | null;
  /** How long ago the invoice was posted at the till (ce_time → now). */
  eventAgeMs: number;
  /** INVOICE_CUSTOMER_WAIT_MS: how long an invoice waits for a customer that is being created. */
  waitMs: number;
  /** This delivery's attempt, and the last one the pipeline will make. */
  attempt: number;
  maxAttempts: number;
}

export type CustomerDecision =
  /** Customer sync created it: its PowerOffice ids (number and ledger account may need a read). */
  | { kind: 'synced'; poCustomerId: number; poCustomerNumber: number | null; poSubledgerAccountId: number | null }
  /** Customer sync is creating it right now: try again shortly. */
  | { kind: 'wait'; retryAfterMs: number }
  /** Ask PowerOffice for the customer with this number. */
  | { kind: 'byNumber'; customerNumber: number }
  | { kind: 'notFound'; reason: string };

/** Longest pause between two looks at a customer that is being created. */
export const CUSTOMER_WAIT_STEP_MS = 1000;
const MIN_WAIT_STEP_MS = 200;

export function decideCustomer(q: CustomerQuestion): CustomerDecision {
  const row = q.syncRow;
  // Any row that carries PowerOffice ids names the customer, whatever its state: a pending update of
  // an existing customer does not make the customer go away.
  if (row && row.poCustomerId !== null) {
    return {
      kind: 'synced',
      poCustomerId: row.poCustomerId,
      poCustomerNumber: row.poCustomerNumber,
      poSubledgerAccountId: row.poSubledgerAccountId,
    };
  }
  const beingCreated = row !== null && (row.state === 'pending' || row.state === 'creating');
  if (beingCreated) {
    const left = q.waitMs - Math.max(0, q.eventAgeMs);
    // The last attempt never waits: the event must still end in a clear outcome, not RETRIES_EXHAUSTED.
    if (left > 0 && q.attempt < q.maxAttempts) {
      return { kind: 'wait', retryAfterMs: Math.max(MIN_WAIT_STEP_MS, Math.min(CUSTOMER_WAIT_STEP_MS, left)) };
    }
  }
  if (q.customerNumber !== undefined) return { kind: 'byNumber', customerNumber: q.customerNumber };
  if (beingCreated) {
    return {
      kind: 'notFound',
      reason: `customer sync has not finished creating it in PowerOffice (state "${row!.state}") within ${Math.round(q.waitMs / 100) / 10} s, and the invoice carries no customer number`,
    };
  }
  if (row && row.state === 'failed') {
    return {
      kind: 'notFound',
      reason:
        'customer sync failed to create it in PowerOffice (see its CustomerSyncFailed outcome), and the invoice carries no customer number',
    };
  }
  return { kind: 'notFound', reason: 'customer sync has never created it, and the invoice carries no customer number' };
}
