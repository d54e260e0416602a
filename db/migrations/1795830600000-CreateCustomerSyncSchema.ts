import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * apps/customer-sync: which POS customer is which PowerOffice customer (read by the invoice flow
 * too), the watermark of the PowerOffice → Open One poll, and the console's status view.
 */
export class CreateCustomerSyncSchema1795830600000 implements MigrationInterface {
  name = 'CreateCustomerSyncSchema1795830600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE SCHEMA IF NOT EXISTS customer_sync`);

    // One row per POS customer. The PowerOffice id is the key from the first sync on (PowerOffice
    // ids never change); the number may change in PowerOffice and is kept fresh by the poll.
    await q.query(`
      CREATE TABLE customer_sync.customers (
        tenant_id                text NOT NULL,
        customer_id              text NOT NULL,
        po_customer_id           bigint,
        po_customer_number       bigint,
        po_subledger_account_id  bigint,
        state                    text NOT NULL DEFAULT 'pending'
                                 CHECK (state IN ('pending', 'synced', 'failed', 'archived')),
        last_version             integer,
        content_hash             text,
        content                  jsonb,
        last_error_code          text,
        last_error_message       text,
        po_last_changed          text,
        po_edited_at             text,
        create_started_at        timestamptz,
        updated_at               timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, customer_id),
        CHECK (state IN ('pending', 'failed') OR po_customer_id IS NOT NULL)
      )`);
    // A PowerOffice customer belongs to one POS customer; linking never maps a second one onto it.
    await q.query(`
      CREATE UNIQUE INDEX customers_po_customer_idx ON customer_sync.customers (tenant_id, po_customer_id)
       WHERE po_customer_id IS NOT NULL`);
    await q.query(`COMMENT ON COLUMN customer_sync.customers.state IS
      'pending: CustomerChanged received, not yet in PowerOffice (the invoice flow waits); synced; archived (active false); failed: never reached PowerOffice, see last_error_*'`);
    await q.query(`COMMENT ON COLUMN customer_sync.customers.content IS
      'the customer as PowerOffice holds it as far as we know (POS terms): what the next POS change is diffed against, so a PATCH carries only what changed'`);
    await q.query(`COMMENT ON COLUMN customer_sync.customers.po_last_changed IS
      'PowerOffice LastChangedDateTimeOffset after our last write (or of the version we linked to): the poll does not echo it back'`);
    await q.query(`COMMENT ON COLUMN customer_sync.customers.po_edited_at IS
      'LastChangedDateTimeOffset of the latest PowerOffice-side edit the poll published; POS changes older than it lose (last writer wins)'`);
    await q.query(`COMMENT ON COLUMN customer_sync.customers.create_started_at IS
      'set just before POST /Customers, cleared when the result is recorded: a later attempt looks up by ExternalImportReference first'`);

    // Per tenant: the newest LastChangedDateTimeOffset the poll has seen, and the (id, change) pairs
    // inside the overlap window before it, so re-reading that window never publishes twice.
    await q.query(`
      CREATE TABLE customer_sync.poll_watermarks (
        tenant_id       text PRIMARY KEY,
        watermark       text,
        recent_changes  jsonb NOT NULL DEFAULT '[]'::jsonb,
        updated_at      timestamptz NOT NULL DEFAULT now()
      )`);

    // What the console shows, without knowing this schema's internals.
    await q.query(`
      CREATE VIEW customer_sync.status_view AS
      SELECT tenant_id,
             customer_id,
             state,
             po_customer_id,
             po_customer_number,
             last_error_code    AS error_code,
             last_error_message AS error_message,
             updated_at
        FROM customer_sync.customers`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP VIEW IF EXISTS customer_sync.status_view`);
    await q.query(`DROP TABLE IF EXISTS customer_sync.poll_watermarks`);
    await q.query(`DROP TABLE IF EXISTS customer_sync.customers`);
  }
}
