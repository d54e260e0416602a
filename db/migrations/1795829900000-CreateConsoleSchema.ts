import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * apps/console: the log of every operator action (who, what, when, result), attempted or done.
 * Changes of tenants themselves are also in tenancy.audit_log with before/after; this log adds the
 * actions that change no tenant (resend, repost, resync, redrive) and the attempts that failed.
 */
export class CreateConsoleSchema1795829900000 implements MigrationInterface {
  name = 'CreateConsoleSchema1795829900000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE SCHEMA IF NOT EXISTS console`);
    // No foreign key to tenancy.tenants: a failed onboarding names a tenant that never existed,
    // and the history must outlive the tenant.
    await q.query(`
      CREATE TABLE console.action_log (
        id           bigserial PRIMARY KEY,
        at           timestamptz NOT NULL DEFAULT now(),
        actor        text NOT NULL CHECK (btrim(actor) <> ''),
        transport    text NOT NULL CHECK (transport IN ('http', 'cli')),
        action       text NOT NULL,
        tenant_id    text,
        target       jsonb NOT NULL DEFAULT '{}'::jsonb,
        result       text NOT NULL CHECK (result IN ('done', 'failed')),
        outcome      jsonb,
        error_code   text,
        error_message text,
        duration_ms  integer NOT NULL CHECK (duration_ms >= 0)
      )`);
    await q.query(`CREATE INDEX action_log_tenant_at_idx ON console.action_log (tenant_id, at DESC, id DESC)`);
    await q.query(`CREATE INDEX action_log_at_idx ON console.action_log (at DESC, id DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS console.action_log`);
  }
}
