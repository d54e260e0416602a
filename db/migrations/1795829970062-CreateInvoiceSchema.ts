import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * apps/invoice: what the invoice flow remembers per POS invoice (the key of idempotency is the
 * invoice number: PowerOffice must never get a second copy), and the status view the console reads.
 */
export class CreateInvoiceSchema1795829970062 implements MigrationInterface {
  name = 'CreateInvoiceSchema1795829970062';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE SCHEMA IF NOT EXISTS invoice`);

    await q.query(`
      CREATE TABLE invoice.invoices (
        tenant_id          text NOT NULL,
        invoice_id         text NOT NULL,
        invoice_number     text NOT NULL,
        kind               text NOT NULL CHECK (kind IN ('invoice', 'creditNote')),
        state              text NOT NULL CHECK (state IN ('attempting', 'transferred', 'rejected')),
        mode               text CHECK (mode IN ('voucher', 'salesOrder')),
        po_voucher_id      text,
        po_sales_order_id  text,
        po_invoice_no      text,
        customer_number    bigint,
        error_code         text,
        error_message      text,
        content_hash       text NOT NULL,
        last_event_id      text NOT NULL,
        created_at         timestamptz NOT NULL DEFAULT now(),
        updated_at         timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, invoice_id),
        CONSTRAINT invoices_number_unique UNIQUE (tenant_id, invoice_number)
      )`);
    await q.query(
      `COMMENT ON COLUMN invoice.invoices.state IS 'attempting: a create may have reached PowerOffice (look it up before creating again); transferred: in PowerOffice; rejected: refused, nothing posted unless po_sales_order_id says otherwise'`,
    );
    await q.query(
      `COMMENT ON COLUMN invoice.invoices.po_invoice_no IS 'the invoice number PowerOffice gave when it issued the invoice (sales-order mode)'`,
    );
    await q.query(
      `COMMENT ON COLUMN invoice.invoices.content_hash IS 'SHA-256 of the InvoicePosted data: a resend of the same document vs a changed one'`,
    );
    await q.query(
      `CREATE INDEX invoices_open_idx ON invoice.invoices (tenant_id, updated_at) WHERE state <> 'transferred'`,
    );

    // The console's window on the flow: what it shows and nothing of the flow's internals.
    await q.query(`
      CREATE VIEW invoice.status_view AS
      SELECT tenant_id, invoice_id, invoice_number, kind, state, po_voucher_id, po_sales_order_id, customer_number,
             error_code, error_message, updated_at
        FROM invoice.invoices`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP VIEW IF EXISTS invoice.status_view`);
    await q.query(`DROP TABLE IF EXISTS invoice.invoices`);
  }
}
