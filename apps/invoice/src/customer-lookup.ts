import type { DataSource } from 'typeorm';
import { InvoiceCustomerRef, PermanentError, TransientError } from '@lib/contracts';
import { Customer, PowerOfficeClient, PowerOfficeRejectedError } from '@lib/poweroffice';
import { CustomerSyncRow, decideCustomer } from './domain/customer-resolution';

/** The customer an invoice is posted to, in PowerOffice's terms. */
export interface InvoiceCustomer {
  id: number;
  number: number;
  /** The customer's ledger account: CustomerAccountId of an outgoing-invoice voucher. */
  subledgerAccountId: number;
}

export interface CustomerLookupRequest {
  tenantId: string;
  invoiceNumber: string;
  customer: InvoiceCustomerRef;
  /** The InvoicePosted's ce_time. */
  eventTime: string;
  attempt: number;
  maxAttempts: number;
  waitMs: number;
  powerOffice: PowerOfficeClient;
}

/** Owned by the customer-sync app; read here, never written. */
export const CUSTOMER_SYNC_TABLE = 'customer_sync.customers';
// undefined_table, invalid_schema_name: customer sync is not deployed (yet) in this database.
const TABLE_MISSING = new Set(['42P01', '3F000']);

/**
 * Finds the PowerOffice customer of an invoice: the customer sync's mapping first, else PowerOffice's
 * customer with the invoice's customer number. A customer that customer sync is creating right now
 * is waited for a few seconds (a TransientError the pipeline retries); any other miss is
 * CUSTOMER_NOT_FOUND at once, because the till is waiting for the answer.
 */
export class CustomerLookup {
  constructor(
    private readonly db: DataSource,
    private readonly table = CUSTOMER_SYNC_TABLE,
  ) {}

  async find(req: CustomerLookupRequest): Promise<InvoiceCustomer> {
    const { customerId, customerNumber } = req.customer;
    const syncRow = await this.syncRow(req.tenantId, customerId);
    const decision = decideCustomer({
      customerId,
      customerNumber,
      syncRow,
      eventAgeMs: Date.now() - Date.parse(req.eventTime),
      waitMs: req.waitMs,
      attempt: req.attempt,
      maxAttempts: req.maxAttempts,
    });
    switch (decision.kind) {
      case 'wait':
        throw new TransientError(
          `Customer ${customerId} of invoice ${req.invoiceNumber} is being created in PowerOffice by customer sync ` +
            `(tenant ${req.tenantId}); the invoice waits for it up to ${seconds(req.waitMs)}.`,
          { retryAfterMs: decision.retryAfterMs, code: 'CUSTOMER_NOT_FOUND' },
        );
      case 'notFound':
        throw notFound(req, decision.reason);
      case 'synced': {
        if (decision.poCustomerNumber !== null && decision.poSubledgerAccountId !== null) {
          return {
            id: decision.poCustomerId,
            number: decision.poCustomerNumber,
            subledgerAccountId: decision.poSubledgerAccountId,
          };
        }
        const customer = await this.byId(req, decision.poCustomerId);
        return toInvoiceCustomer(customer, decision.poCustomerNumber);
      }
      case 'byNumber': {
        const [customer] = await req.powerOffice.customers.listPage(
          { customerNos: [decision.customerNumber] },
          { pageNumber: 1, pageSize: 2 },
        );
        if (!customer) {
          const why =
            syncRow && (syncRow.state === 'pending' || syncRow.state === 'creating')
              ? `customer sync has not finished creating it within ${seconds(req.waitMs)}, and PowerOffice has no customer number ${decision.customerNumber}`
              : `no customer-sync mapping, and PowerOffice has no customer number ${decision.customerNumber}`;
          throw notFound(req, why);
        }
        return toInvoiceCustomer(customer, decision.customerNumber);
      }
    }
  }

  /** The customer sync's row, or null when it has none (or its table does not exist yet). */
  async syncRow(tenantId: string, customerId: string): Promise<CustomerSyncRow | null> {
    let rows: {
      state: string;
      po_customer_id: string | null;
      po_customer_number: string | null;
      po_subledger_account_id: string | null;
    }[];
    try {
      rows = await this.db.query(
        `SELECT state, po_customer_id, po_customer_number, po_subledger_account_id FROM ${this.table}
          WHERE tenant_id = $1 AND customer_id = $2`,
        [tenantId, customerId],
      );
    } catch (err) {
      if (TABLE_MISSING.has(sqlState(err))) return null;
      throw err;
    }
    const r = rows[0];
    if (!r) return null;
    return {
      state: r.state,
      poCustomerId: toNumber(r.po_customer_id),
      poCustomerNumber: toNumber(r.po_customer_number),
      poSubledgerAccountId: toNumber(r.po_subledger_account_id),
    };
  }

  private async byId(req: CustomerLookupRequest, id: number): Promise<Customer> {
    try {
      return await req.powerOffice.customers.get(id);
    } catch (err) {
      if (err instanceof PowerOfficeRejectedError && err.isNotFound) {
        throw notFound(
          req,
          `customer sync maps it to PowerOffice customer id ${id}, which PowerOffice does not have (deleted there?)`,
          err,
        );
      }
      throw err;
    }
  }
}

function toInvoiceCustomer(customer: Customer, fallbackNumber: number | null): InvoiceCustomer {
  const number = customer.number ?? fallbackNumber;
  if (number === null || number === undefined) {
    throw new TransientError(`PowerOffice returned customer ${customer.id} without a customer number; retry later.`);
  }
  return { id: customer.id, number, subledgerAccountId: customer.subledgerAccountId };
}

function notFound(req: CustomerLookupRequest, reason: string, cause?: PowerOfficeRejectedError): PermanentError {
  const { customerId, customerNumber } = req.customer;
  return new PermanentError(
    'CUSTOMER_NOT_FOUND',
    `Customer ${customerId}${customerNumber !== undefined ? ` (customer number ${customerNumber})` : ''} does not exist in PowerOffice ` +
      `for tenant ${req.tenantId}: ${reason}. Invoice ${req.invoiceNumber} was not transferred. ` +
      'Sync the customer from the POS (or create it in PowerOffice Go), then resend the invoice.',
    { details: { customerId, customerNumber: customerNumber ?? null }, powerOffice: cause?.powerOffice, cause },
  );
}

function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}

function toNumber(v: string | number | null): number | null {
  return v === null ? null : Number(v);
}

function sqlState(err: unknown): string {
  const e = err as { code?: unknown; driverError?: { code?: unknown } };
  return String(e?.code ?? e?.driverError?.code ?? '');
}
