import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * libs/tenancy: tenants (shops) with their encrypted PowerOffice client keys, account mappings,
 * the audit log of every change, and the cached PowerOffice reference data.
 */
export class CreateTenancySchema1795829205691 implements MigrationInterface {
  name = 'CreateTenancySchema1795829205691';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE SCHEMA IF NOT EXISTS tenancy`);

    await q.query(`
      CREATE TABLE tenancy.tenants (
        id                      text PRIMARY KEY CHECK (id ~ '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$'),
        name                    text NOT NULL CHECK (btrim(name) <> ''),
        organization_number     text NOT NULL CHECK (organization_number ~ '^[0-9]{9}$'),
        client_key_ciphertext   text NOT NULL CHECK (client_key_ciphertext LIKE 'v1:%'),
        client_key_fingerprint  text NOT NULL,
        enabled                 boolean NOT NULL DEFAULT true,
        authorised              boolean NOT NULL DEFAULT true,
        not_authorised_reason   text,
        invoice_mode            text NOT NULL DEFAULT 'voucher' CHECK (invoice_mode IN ('voucher', 'salesOrder')),
        settlement_schedule     jsonb NOT NULL DEFAULT '{"mode":"afterEndOfDay"}'::jsonb
                                CHECK (settlement_schedule->>'mode' IN ('afterEndOfDay', 'at')),
        customer_number_series  jsonb,
        privileges              jsonb NOT NULL DEFAULT '[]'::jsonb,
        created_at              timestamptz NOT NULL DEFAULT now(),
        updated_at              timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX tenants_organization_number_idx ON tenancy.tenants (organization_number)`);
    await q.query(
      `COMMENT ON COLUMN tenancy.tenants.client_key_ciphertext IS 'AES-256-GCM, v1:<keyId>:<iv>:<tag>:<ciphertext>; never the clear key'`,
    );

    await q.query(`
      CREATE TABLE tenancy.account_mappings (
        tenant_id   text PRIMARY KEY REFERENCES tenancy.tenants (id) ON DELETE CASCADE,
        mapping     jsonb NOT NULL,
        version     integer NOT NULL CHECK (version > 0),
        updated_at  timestamptz NOT NULL DEFAULT now(),
        updated_by  text NOT NULL
      )`);

    // No foreign key: the history of a tenant must outlive the tenant.
    await q.query(`
      CREATE TABLE tenancy.audit_log (
        id         bigserial PRIMARY KEY,
        tenant_id  text NOT NULL,
        actor      text NOT NULL,
        action     text NOT NULL,
        before     jsonb,
        after      jsonb,
        at         timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX audit_log_tenant_at_idx ON tenancy.audit_log (tenant_id, at DESC, id DESC)`);

    await q.query(`
      CREATE TABLE tenancy.reference_data (
        tenant_id   text NOT NULL REFERENCES tenancy.tenants (id) ON DELETE CASCADE,
        kind        text NOT NULL CHECK (kind IN ('accounts', 'vatCodes', 'numberSeries', 'departments', 'lockDate')),
        data        jsonb NOT NULL,
        fetched_at  timestamptz NOT NULL,
        PRIMARY KEY (tenant_id, kind)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS tenancy.reference_data`);
    await q.query(`DROP TABLE IF EXISTS tenancy.audit_log`);
    await q.query(`DROP TABLE IF EXISTS tenancy.account_mappings`);
    await q.query(`DROP TABLE IF EXISTS tenancy.tenants`);
  }
}
