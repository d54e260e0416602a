import type { DataSource } from 'typeorm';

/**
 * Stand-in for the customer-sync app's table while its migration is not in the repository yet:
 * only the columns the invoice flow reads. IF NOT EXISTS, so the real one wins once it is there.
 */
export async function ensureCustomerSyncTable(db: DataSource): Promise<void> {
  await db.query(`CREATE SCHEMA IF NOT EXISTS customer_sync`);
  await db.query(`
    CREATE TABLE IF NOT EXISTS customer_sync.customers (
      tenant_id                text NOT NULL,
      customer_id              text NOT NULL,
      po_customer_id           bigint,
      po_customer_number       bigint,
      po_subledger_account_id  bigint,
      state                    text NOT NULL,
      PRIMARY KEY (tenant_id, customer_id)
    )`);
}

/** What customer sync records while it creates a customer, and once it has. */
export async function customerBeingCreated(db: DataSource, tenantId: string, customerId: string): Promise<void> {
  await db.query(`INSERT INTO customer_sync.customers (tenant_id, customer_id, state) VALUES ($1, $2, 'pending')`, [
    tenantId,
    customerId,
  ]);
}

export async function customerSynced(
  db: DataSource,
  tenantId: string,
  customerId: string,
  po: { id: number; number: number; subledgerAccountId: number | null },
): Promise<void> {
  await db.query(
    `INSERT INTO customer_sync.customers (tenant_id, customer_id, po_customer_id, po_customer_number, po_subledger_account_id, state)
     VALUES ($1, $2, $3, $4, $5, 'synced')
     ON CONFLICT (tenant_id, customer_id) DO UPDATE
        SET po_customer_id = EXCLUDED.po_customer_id, po_customer_number = EXCLUDED.po_customer_number,
            po_subledger_account_id = EXCLUDED.po_subledger_account_id, state = 'synced'`,
    [tenantId, customerId, po.id, po.number, po.subledgerAccountId],
  );
}
