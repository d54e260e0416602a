import { Injectable } from '@nestjs/common';
import type { CustomerContent } from './domain/customer-content';

/** A DataSource (reads, the announcements) or the handler's transaction (`persist`). */
export interface Sql {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  query(sql: string, parameters?: unknown[]): Promise<any>;
}

export type MappingState = 'pending' | 'synced' | 'failed' | 'archived';

/** One row of customer_sync.customers: which POS customer is which PowerOffice customer. */
export interface CustomerMapping {
  tenantId: string;
  customerId: string;
  poCustomerId: number | null;
  poCustomerNumber: number | null;
  poSubledgerAccountId: number | null;
  state: MappingState;
  lastVersion: number | null;
  contentHash: string | null;
  content: CustomerContent | null;
  poLastChanged: string | null;
  poEditedAt: string | null;
  createStartedAt: Date | null;
  lastErrorCode: string | null;
  lastErrorMessage: string | null;
  updatedAt: Date;
}

/** What a successful sync records (through `persist`, in the inbox transaction). */
export interface SyncedCustomer {
  tenantId: string;
  customerId: string;
  poCustomerId: number;
  poCustomerNumber: number;
  poSubledgerAccountId: number | null;
  state: 'synced' | 'archived';
  lastVersion: number;
  contentHash: string;
  content: CustomerContent;
  poLastChanged: string | null;
  poEditedAt: string | null;
}

/** What the poll records when it publishes a PowerOffice-side change of a mapped customer. */
export interface AdoptedChange {
  tenantId: string;
  poCustomerId: number;
  poCustomerNumber: number;
  state: 'synced' | 'archived';
  contentHash: string;
  content: CustomerContent;
  poEditedAt: string;
}

const COLUMNS = `tenant_id, customer_id, po_customer_id, po_customer_number, po_subledger_account_id, state,
  last_version, content_hash, content, po_last_changed, po_edited_at, create_started_at,
  last_error_code, last_error_message, updated_at`;

interface Row {
  tenant_id: string;
  customer_id: string;
  po_customer_id: string | null;
  po_customer_number: string | null;
  po_subledger_account_id: string | null;
  state: MappingState;
  last_version: number | null;
  content_hash: string | null;
  content: CustomerContent | null;
  po_last_changed: string | null;
  po_edited_at: string | null;
  create_started_at: Date | null;
  last_error_code: string | null;
  last_error_message: string | null;
  updated_at: Date;
}

// bigint columns come back from pg as text; PowerOffice ids stay far below 2^53.
const num = (v: string | null): number | null => (v === null ? null : Number(v));

function toMapping(r: Row): CustomerMapping {
  return {
    tenantId: r.tenant_id,
    customerId: r.customer_id,
    poCustomerId: num(r.po_customer_id),
    poCustomerNumber: num(r.po_customer_number),
    poSubledgerAccountId: num(r.po_subledger_account_id),
    state: r.state,
    lastVersion: r.last_version,
    contentHash: r.content_hash,
    content: r.content,
    poLastChanged: r.po_last_changed,
    poEditedAt: r.po_edited_at,
    createStartedAt: r.create_started_at,
    lastErrorCode: r.last_error_code,
    lastErrorMessage: r.last_error_message,
    updatedAt: r.updated_at,
  };
}

/** Longest error text kept on a row (the full one is in the failure outcome and the dead letter). */
const MAX_ERROR_MESSAGE = 2000;

/** customer_sync.customers. The invoice flow reads this table too (read-only). */
@Injectable()
export class CustomerMappingRepository {
  async find(db: Sql, tenantId: string, customerId: string): Promise<CustomerMapping | null> {
    const rows: Row[] = await db.query(
      `SELECT ${COLUMNS} FROM customer_sync.customers WHERE tenant_id = $1 AND customer_id = $2`,
      [tenantId, customerId],
    );
    return rows[0] ? toMapping(rows[0]) : null;
  }

  /** The mapped POS customers among these PowerOffice ids. */
  async findByPowerOfficeIds(
    db: Sql,
    tenantId: string,
    poCustomerIds: readonly number[],
  ): Promise<Map<number, CustomerMapping>> {
    if (poCustomerIds.length === 0) return new Map();
    const rows: Row[] = await db.query(
      `SELECT ${COLUMNS} FROM customer_sync.customers WHERE tenant_id = $1 AND po_customer_id = ANY($2::bigint[])`,
      [tenantId, poCustomerIds],
    );
    return new Map(rows.map((r) => [Number(r.po_customer_id), toMapping(r)]));
  }

  /** The POS customer a PowerOffice customer is mapped to, if it is another than `customerId`. */
  async mappedElsewhere(db: Sql, tenantId: string, poCustomerId: number, customerId: string): Promise<string | null> {
    const rows: { customer_id: string }[] = await db.query(
      `SELECT customer_id FROM customer_sync.customers WHERE tenant_id = $1 AND po_customer_id = $2 AND customer_id <> $3`,
      [tenantId, poCustomerId, customerId],
    );
    return rows[0]?.customer_id ?? null;
  }

  /**
   * "This customer is on its way": written at once, outside the handler's transaction, so the
   * invoice flow sees 'pending' and waits instead of failing an invoice for a customer that is
   * seconds from existing. Idempotent (never touches an existing row) and claims no effect.
   */
  async announcePending(db: Sql, tenantId: string, customerId: string): Promise<void> {
    await db.query(
      `INSERT INTO customer_sync.customers (tenant_id, customer_id, state) VALUES ($1, $2, 'pending')
       ON CONFLICT (tenant_id, customer_id) DO NOTHING`,
      [tenantId, customerId],
    );
  }

  /** Written just before POST /Customers: a later attempt must look up before it creates again. */
  async markCreateStarted(db: Sql, tenantId: string, customerId: string): Promise<void> {
    await db.query(
      `UPDATE customer_sync.customers SET create_started_at = now(), updated_at = now()
        WHERE tenant_id = $1 AND customer_id = $2`,
      [tenantId, customerId],
    );
  }

  /**
   * Shows a failure on the row for the console. A customer that never reached PowerOffice becomes
   * 'failed' on a permanent error (so the invoice flow stops waiting for it); one that is in
   * PowerOffice keeps its state and mapping, and only the error is shown.
   */
  async recordFailure(
    db: Sql,
    tenantId: string,
    customerId: string,
    failure: { code: string; message: string; permanent: boolean },
  ): Promise<void> {
    await db.query(
      `UPDATE customer_sync.customers
          SET last_error_code = $3,
              last_error_message = $4,
              state = CASE WHEN $5 AND po_customer_id IS NULL THEN 'failed' ELSE state END,
              updated_at = now()
        WHERE tenant_id = $1 AND customer_id = $2`,
      [tenantId, customerId, failure.code, failure.message.slice(0, MAX_ERROR_MESSAGE), failure.permanent],
    );
  }

  /** The result of a sync; clears the create mark and any earlier error. */
  async saveSynced(tx: Sql, c: SyncedCustomer): Promise<void> {
    await tx.query(
      `INSERT INTO customer_sync.customers (
         tenant_id, customer_id, po_customer_id, po_customer_number, po_subledger_account_id, state,
         last_version, content_hash, content, po_last_changed, po_edited_at, create_started_at,
         last_error_code, last_error_message, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10, $11, NULL, NULL, NULL, now())
       ON CONFLICT (tenant_id, customer_id) DO UPDATE SET
         po_customer_id = EXCLUDED.po_customer_id,
         po_customer_number = EXCLUDED.po_customer_number,
         po_subledger_account_id = COALESCE(EXCLUDED.po_subledger_account_id, customer_sync.customers.po_subledger_account_id),
         state = EXCLUDED.state,
         last_version = GREATEST(customer_sync.customers.last_version, EXCLUDED.last_version),
         content_hash = EXCLUDED.content_hash,
         content = EXCLUDED.content,
         po_last_changed = EXCLUDED.po_last_changed,
         po_edited_at = EXCLUDED.po_edited_at,
         create_started_at = NULL,
         last_error_code = NULL,
         last_error_message = NULL,
         updated_at = now()`,
      [
        c.tenantId,
        c.customerId,
        c.poCustomerId,
        c.poCustomerNumber,
        c.poSubledgerAccountId,
        c.state,
        c.lastVersion,
        c.contentHash,
        JSON.stringify(c.content),
        c.poLastChanged,
        c.poEditedAt,
      ],
    );
  }

  /** An event that changed nothing in PowerOffice still counts as applied: its version is recorded. */
  async recordVersion(tx: Sql, tenantId: string, customerId: string, version: number): Promise<void> {
    await tx.query(
      `UPDATE customer_sync.customers
          SET last_version = GREATEST(last_version, $3), last_error_code = NULL, last_error_message = NULL, updated_at = now()
        WHERE tenant_id = $1 AND customer_id = $2`,
      [tenantId, customerId, version],
    );
  }

  /**
   * The poll published a PowerOffice-side change: from now on that is what PowerOffice holds, so
   * the POS's echo of it costs no call, and older POS changes lose to it.
   */
  async adoptPowerOfficeChange(tx: Sql, c: AdoptedChange): Promise<void> {
    await tx.query(
      `UPDATE customer_sync.customers
          SET po_customer_number = $3, state = $4, content_hash = $5, content = $6::jsonb, po_edited_at = $7, updated_at = now()
        WHERE tenant_id = $1 AND po_customer_id = $2`,
      [c.tenantId, c.poCustomerId, c.poCustomerNumber, c.state, c.contentHash, JSON.stringify(c.content), c.poEditedAt],
    );
  }
}
