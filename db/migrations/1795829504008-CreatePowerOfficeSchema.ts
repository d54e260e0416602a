import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * libs/poweroffice: the API budget shared by every process (one reservation timeline per
 * subscription key, stored by its SHA-256) and the operator's record of every PowerOffice call.
 */
export class CreatePowerOfficeSchema1795829504008 implements MigrationInterface {
  name = 'CreatePowerOfficeSchema1795829504008';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE SCHEMA IF NOT EXISTS poweroffice`);

    await q.query(`
      CREATE TABLE poweroffice.api_budget (
        subscription_key_hash  text PRIMARY KEY CHECK (subscription_key_hash ~ '^[0-9a-f]{64}$'),
        next_slot              timestamptz NOT NULL,
        updated_at             timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      `COMMENT ON COLUMN poweroffice.api_budget.next_slot IS 'start of the next free request slot; each request reserves one slot and moves it one interval on'`,
    );

    await q.query(`
      CREATE TABLE poweroffice.api_calls (
        id              bigserial PRIMARY KEY,
        at              timestamptz NOT NULL,
        tenant_id       text NOT NULL,
        lane            text NOT NULL CHECK (lane IN ('invoice', 'settlement', 'customer', 'article', 'replay')),
        method          text NOT NULL,
        path_template   text NOT NULL,
        path            text NOT NULL,
        status          integer,
        duration_ms     integer NOT NULL CHECK (duration_ms >= 0),
        budget_wait_ms  integer NOT NULL DEFAULT 0 CHECK (budget_wait_ms >= 0),
        attempt         smallint NOT NULL DEFAULT 1,
        error_title     text,
        error_detail    text
      )`);
    await q.query(
      `COMMENT ON COLUMN poweroffice.api_calls.status IS 'HTTP status; NULL when PowerOffice did not answer (timeout, network)'`,
    );
    await q.query(`CREATE INDEX api_calls_tenant_at_idx ON poweroffice.api_calls (tenant_id, at DESC)`);
    await q.query(`CREATE INDEX api_calls_at_idx ON poweroffice.api_calls (at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS poweroffice.api_calls`);
    await q.query(`DROP TABLE IF EXISTS poweroffice.api_budget`);
  }
}
