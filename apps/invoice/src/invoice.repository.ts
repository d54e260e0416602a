import type { DataSource, EntityManager } from 'typeorm';
import { InvoiceKind, PermanentError } from '@lib/contracts';
import type { InvoiceMode } from '@lib/tenancy';
import type { PriorTransfer, TransferState } from './domain/transfer-decision';

/** What identifies one invoice's row, and what every write records about the event being worked on. */
export interface InvoiceKey {
  tenantId: string;
  invoiceId: string;
  invoiceNumber: string;
  kind: InvoiceKind;
  contentHash: string;
  eventId: string;
  mode: InvoiceMode;
}

export interface TransferredInvoice {
  poVoucherId: string | null;
  poSalesOrderId: string | null;
  poInvoiceNo: string | null;
  customerNumber: number;
}

interface InvoiceRow {
  invoice_id: string;
  state: TransferState;
  content_hash: string;
  po_voucher_id: string | null;
  po_sales_order_id: string | null;
  po_invoice_no: string | null;
  customer_number: string | null;
  error_code: string | null;
}

/** Another POS invoice took the invoice number first (two documents raced for one number). */
export class InvoiceNumberTaken extends PermanentError {
  constructor(key: InvoiceKey) {
    super(
      'INVALID_EVENT',
      `Invoice ${key.invoiceNumber} of tenant ${key.tenantId} (POS invoice ${key.invoiceId}) was not sent to PowerOffice: ` +
        'another POS invoice with the same number is being transferred; two documents cannot share a number.',
      { details: [{ field: 'invoiceNumber', problem: 'already used by another POS invoice' }] },
    );
  }
}

const UNIQUE_VIOLATION = '23505';
const MAX_ERROR_MESSAGE = 2000;

/**
 * SQL for invoice.invoices. `markAttempting`, `recordSalesOrder` and the two failure records write
 * at once, outside the pipeline's transaction, on purpose: they must survive a failed attempt (that
 * is when they are needed), while the success is recorded through `persist` with the inbox row.
 */
export class InvoiceRepository {
  constructor(private readonly db: DataSource) {}

  /** The row of this invoice, else the row holding its number (another POS invoice's). */
  async prior(tenantId: string, invoiceId: string, invoiceNumber: string): Promise<PriorTransfer | null> {
    const rows: InvoiceRow[] = await this.db.query(
      `SELECT invoice_id, state, content_hash, po_voucher_id, po_sales_order_id, po_invoice_no, customer_number, error_code
         FROM invoice.invoices
        WHERE tenant_id = $1 AND (invoice_id = $2 OR invoice_number = $3)
        ORDER BY (invoice_id = $2) DESC
        LIMIT 1`,
      [tenantId, invoiceId, invoiceNumber],
    );
    const r = rows[0];
    if (!r) return null;
    return {
      invoiceId: r.invoice_id,
      state: r.state,
      contentHash: r.content_hash,
      poVoucherId: r.po_voucher_id,
      poSalesOrderId: r.po_sales_order_id,
      poInvoiceNo: r.po_invoice_no,
      customerNumber: r.customer_number === null ? null : Number(r.customer_number),
      errorCode: r.error_code,
    };
  }

  /** Before a create: from now on a retry must look the invoice up first. Never downgrades a transferred row. */
  async markAttempting(key: InvoiceKey, customerNumber: number): Promise<void> {
    try {
      await this.db.query(
        `INSERT INTO invoice.invoices AS i
           (tenant_id, invoice_id, invoice_number, kind, state, mode, customer_number, content_hash, last_event_id)
         VALUES ($1, $2, $3, $4, 'attempting', $5, $6, $7, $8)
         ON CONFLICT (tenant_id, invoice_id) DO UPDATE
            SET invoice_number = EXCLUDED.invoice_number, kind = EXCLUDED.kind, state = 'attempting', mode = EXCLUDED.mode,
                customer_number = EXCLUDED.customer_number, content_hash = EXCLUDED.content_hash,
                last_event_id = EXCLUDED.last_event_id, error_code = NULL, error_message = NULL, updated_at = now()
          WHERE i.state <> 'transferred'`,
        [
          key.tenantId,
          key.invoiceId,
          key.invoiceNumber,
          key.kind,
          key.mode,
          customerNumber,
          key.contentHash,
          key.eventId,
        ],
      );
    } catch (err) {
      if (isUniqueViolation(err)) throw new InvoiceNumberTaken(key);
      throw err;
    }
  }

  /** The sales order exists in PowerOffice: a retry continues with it. */
  async recordSalesOrder(tenantId: string, invoiceId: string, salesOrderId: string): Promise<void> {
    await this.db.query(
      `UPDATE invoice.invoices SET po_sales_order_id = $3, updated_at = now() WHERE tenant_id = $1 AND invoice_id = $2`,
      [tenantId, invoiceId, salesOrderId],
    );
  }

  /** A permanent failure, for the status view. Leaves a transferred row and another invoice's number alone. */
  async recordRejection(
    key: InvoiceKey,
    error: { code: string; message: string },
    customerNumber: number | null,
  ): Promise<void> {
    try {
      await this.db.query(
        `INSERT INTO invoice.invoices AS i
           (tenant_id, invoice_id, invoice_number, kind, state, mode, customer_number, error_code, error_message, content_hash, last_event_id)
         VALUES ($1, $2, $3, $4, 'rejected', $5, $6, $7, $8, $9, $10)
         ON CONFLICT (tenant_id, invoice_id) DO UPDATE
            SET state = 'rejected', mode = EXCLUDED.mode, customer_number = coalesce(EXCLUDED.customer_number, i.customer_number),
                error_code = EXCLUDED.error_code, error_message = EXCLUDED.error_message, invoice_number = EXCLUDED.invoice_number,
                kind = EXCLUDED.kind, content_hash = EXCLUDED.content_hash, last_event_id = EXCLUDED.last_event_id, updated_at = now()
          WHERE i.state <> 'transferred'`,
        [
          key.tenantId,
          key.invoiceId,
          key.invoiceNumber,
          key.kind,
          key.mode,
          customerNumber,
          error.code,
          error.message.slice(0, MAX_ERROR_MESSAGE),
          key.contentHash,
          key.eventId,
        ],
      );
    } catch (err) {
      // The number belongs to another POS invoice: that row is not this invoice's to overwrite.
      if (!isUniqueViolation(err)) throw err;
    }
  }

  /** A failed attempt that will be retried: the status view shows why it is still attempting. */
  async recordRetryableError(
    tenantId: string,
    invoiceId: string,
    error: { code: string; message: string },
  ): Promise<void> {
    await this.db.query(
      `UPDATE invoice.invoices SET error_code = $3, error_message = $4, updated_at = now()
        WHERE tenant_id = $1 AND invoice_id = $2 AND state = 'attempting'`,
      [tenantId, invoiceId, error.code, error.message.slice(0, MAX_ERROR_MESSAGE)],
    );
  }

  /** The success, inside the pipeline's transaction (HandlerResult.persist). */
  async recordTransferred(tx: EntityManager, key: InvoiceKey, result: TransferredInvoice): Promise<void> {
    await tx.query(
      `INSERT INTO invoice.invoices AS i
         (tenant_id, invoice_id, invoice_number, kind, state, mode, po_voucher_id, po_sales_order_id, po_invoice_no,
          customer_number, content_hash, last_event_id)
       VALUES ($1, $2, $3, $4, 'transferred', $5, $6, $7, $8, $9, $10, $11)
       ON CONFLICT (tenant_id, invoice_id) DO UPDATE
          SET state = 'transferred', mode = EXCLUDED.mode, po_voucher_id = EXCLUDED.po_voucher_id,
              po_sales_order_id = EXCLUDED.po_sales_order_id, po_invoice_no = EXCLUDED.po_invoice_no,
              customer_number = EXCLUDED.customer_number, content_hash = EXCLUDED.content_hash,
              invoice_number = EXCLUDED.invoice_number, kind = EXCLUDED.kind, last_event_id = EXCLUDED.last_event_id,
              error_code = NULL, error_message = NULL, updated_at = now()`,
      [
        key.tenantId,
        key.invoiceId,
        key.invoiceNumber,
        key.kind,
        key.mode,
        result.poVoucherId,
        result.poSalesOrderId,
        result.poInvoiceNo,
        result.customerNumber,
        key.contentHash,
        key.eventId,
      ],
    );
  }
}

function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: unknown; driverError?: { code?: unknown } };
  return e?.code === UNIQUE_VIOLATION || e?.driverError?.code === UNIQUE_VIOLATION;
}
