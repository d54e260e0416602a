import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * apps/settlement: one row per Z-report (tenant, register, Z number) from its arrival to its voucher
 * in PowerOffice, the register-days for which no Z-report came, and the status view the console reads.
 */
export class CreateSettlementSchema1795829975121 implements MigrationInterface {
  name = 'CreateSettlementSchema1795829975121';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE SCHEMA IF NOT EXISTS settlement`);

    await q.query(`
      CREATE TABLE settlement.reports (
        tenant_id            text NOT NULL,
        register_id          text NOT NULL,
        z_number             bigint NOT NULL CHECK (z_number > 0),
        business_date        date NOT NULL,
        content_hash         text NOT NULL,
        report               jsonb NOT NULL,
        voucher              jsonb,
        state                text NOT NULL CHECK (state IN ('scheduled', 'posting', 'posted', 'failed', 'reversed')),
        post_at              timestamptz,
        source_event_id      text NOT NULL,
        source_key           text NOT NULL,
        correlation_id       text,
        topic_prefix         text NOT NULL DEFAULT '',
        po_voucher_id        text,
        po_voucher_no        bigint,
        reversed_voucher_id  text,
        reversed_voucher_no  bigint,
        error_code           text,
        error_message        text,
        error                jsonb,
        attempts             integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
        generation           integer NOT NULL DEFAULT 1 CHECK (generation > 0),
        version              integer NOT NULL DEFAULT 1,
        claim_id             uuid,
        lease_until          timestamptz,
        created_at           timestamptz NOT NULL DEFAULT now(),
        updated_at           timestamptz NOT NULL DEFAULT now(),
        posted_at            timestamptz,
        PRIMARY KEY (tenant_id, register_id, z_number)
      )`);
    await q.query(`CREATE INDEX reports_due_idx ON settlement.reports (post_at) WHERE state = 'scheduled'`);
    await q.query(`CREATE INDEX reports_posting_idx ON settlement.reports (lease_until) WHERE state = 'posting'`);
    await q.query(
      `CREATE INDEX reports_register_day_idx ON settlement.reports (tenant_id, register_id, business_date)`,
    );
    await q.query(
      `COMMENT ON COLUMN settlement.reports.voucher IS 'the cash-journal voucher with PowerOffice ids resolved (AccountId, VatId), as it will be or was sent'`,
    );
    await q.query(
      `COMMENT ON COLUMN settlement.reports.topic_prefix IS 'TOPIC_PREFIX of the environment that received the report: side-by-side environments sharing a database post only their own'`,
    );
    await q.query(
      `COMMENT ON COLUMN settlement.reports.po_voucher_id IS 'the voucher in the books for this Z now; a row scheduled while it is set replaces it (reverse, then post)'`,
    );
    await q.query(
      `COMMENT ON COLUMN settlement.reports.generation IS 'one per scheduling of the report (first, resend, repost, correction): tells the outcomes of each apart'`,
    );
    await q.query(
      `COMMENT ON COLUMN settlement.reports.lease_until IS 'while state = posting: a poster that has not finished by then is taken to have crashed, and the next one looks the voucher up before creating it'`,
    );

    // A register that has sent Z-reports before but none for a business day: reported once.
    await q.query(`
      CREATE TABLE settlement.missing_days (
        tenant_id            text NOT NULL,
        register_id          text NOT NULL,
        business_date        date NOT NULL,
        topic_prefix         text NOT NULL DEFAULT '',
        expected_z_number    bigint NOT NULL,
        last_z_number        bigint NOT NULL,
        last_business_date   date NOT NULL,
        message              text NOT NULL,
        outcome_id           text NOT NULL,
        detected_at          timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, register_id, business_date)
      )`);

    // What the console shows; it never reads the tables above. A missing day drops out once its
    // Z-report arrives after all.
    await q.query(`
      CREATE VIEW settlement.status_view AS
        SELECT r.tenant_id, r.register_id, r.z_number, r.business_date, r.state, r.post_at,
               r.po_voucher_id, r.po_voucher_no, r.error_code, r.error_message, r.updated_at
          FROM settlement.reports r
        UNION ALL
        SELECT m.tenant_id, m.register_id, NULL::bigint, m.business_date, 'missing', NULL::timestamptz,
               NULL::text, NULL::bigint, 'SETTLEMENT_MISSING', m.message, m.detected_at
          FROM settlement.missing_days m
         WHERE NOT EXISTS (SELECT 1 FROM settlement.reports r
                            WHERE r.tenant_id = m.tenant_id AND r.register_id = m.register_id
                              AND r.business_date = m.business_date)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP VIEW IF EXISTS settlement.status_view`);
    await q.query(`DROP TABLE IF EXISTS settlement.missing_days`);
    await q.query(`DROP TABLE IF EXISTS settlement.reports`);
  }
}
