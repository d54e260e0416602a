import { DataSource, EntityManager } from 'typeorm';
import { AccountMapping } from './account-mapping';
import { ReferenceDataKind } from './domain/reference-data';
import { CustomerNumberSeries, InvoiceMode, SettlementSchedule, Tenant } from './domain/tenant';

/**
 * SQL for the tenancy schema. Plain parameterised SQL rather than TypeORM entities: the tables are
 * shared read-mostly by every app, and this way any DataSource (the platform's, a script's, a
 * test's) works without registering entity metadata.
 */

/** A tenants row as stored, including the ciphertext; never leaves tenancy. */
export interface TenantRecord extends Tenant {
  clientKeyCiphertext: string;
}

export interface AccountMappingRecord {
  tenantId: string;
  mapping: AccountMapping;
  version: number;
  updatedAt: Date;
  updatedBy: string;
}

export interface AuditEntry {
  id: number;
  tenantId: string;
  actor: string;
  action: string;
  before: unknown;
  after: unknown;
  at: Date;
}

export interface ReferenceDataRecord {
  kind: ReferenceDataKind;
  data: unknown;
  fetchedAt: Date;
}

interface TenantRow {
  id: string;
  name: string;
  organization_number: string;
  client_key_ciphertext: string;
  client_key_fingerprint: string;
  enabled: boolean;
  authorised: boolean;
  not_authorised_reason: string | null;
  invoice_mode: InvoiceMode;
  settlement_schedule: SettlementSchedule;
  customer_number_series: CustomerNumberSeries | null;
  privileges: string[];
  created_at: Date;
  updated_at: Date;
}

const TENANT_COLUMNS = `id, name, organization_number, client_key_ciphertext, client_key_fingerprint, enabled, authorised,
  not_authorised_reason, invoice_mode, settlement_schedule, customer_number_series, privileges, created_at, updated_at`;

function toTenantRecord(r: TenantRow): TenantRecord {
  return {
    id: r.id,
    name: r.name,
    organizationNumber: r.organization_number,
    clientKeyCiphertext: r.client_key_ciphertext,
    clientKeyFingerprint: r.client_key_fingerprint,
    enabled: r.enabled,
    authorised: r.authorised,
    notAuthorisedReason: r.not_authorised_reason,
    invoiceMode: r.invoice_mode,
    settlementSchedule: r.settlement_schedule,
    customerNumberSeries: r.customer_number_series,
    privileges: r.privileges ?? [],
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** The public view of a tenant: the record without the ciphertext. */
export function withoutKey(record: TenantRecord): Tenant {
  const { clientKeyCiphertext: _omitted, ...tenant } = record;
  return tenant;
}

/** Columns `updateTenant` may change, by their domain names. */
export interface TenantChanges {
  name?: string;
  clientKeyCiphertext?: string;
  clientKeyFingerprint?: string;
  enabled?: boolean;
  authorised?: boolean;
  notAuthorisedReason?: string | null;
  invoiceMode?: InvoiceMode;
  settlementSchedule?: SettlementSchedule;
  customerNumberSeries?: CustomerNumberSeries | null;
  privileges?: string[];
}

const COLUMN_OF: Record<keyof TenantChanges, { column: string; json?: boolean }> = {
  name: { column: 'name' },
  clientKeyCiphertext: { column: 'client_key_ciphertext' },
  clientKeyFingerprint: { column: 'client_key_fingerprint' },
  enabled: { column: 'enabled' },
  authorised: { column: 'authorised' },
  notAuthorisedReason: { column: 'not_authorised_reason' },
  invoiceMode: { column: 'invoice_mode' },
  settlementSchedule: { column: 'settlement_schedule', json: true },
  customerNumberSeries: { column: 'customer_number_series', json: true },
  privileges: { column: 'privileges', json: true },
};

const json = (value: unknown) => (value === undefined ? null : JSON.stringify(value));

/** Rows of a statement run on a transaction's query runner (UPDATE … RETURNING included). */
async function rowsOf<T>(em: EntityManager, sql: string, params: unknown[]): Promise<T[]> {
  if (!em.queryRunner) throw new Error('tenancy: writes must run inside TenantRepository.transaction');
  const result = await em.queryRunner.query(sql, params, true);
  return result.records as T[];
}

export class TenantRepository {
  constructor(private readonly dataSource: DataSource) {}

  transaction<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  async findTenant(id: string, em?: EntityManager, forUpdate = false): Promise<TenantRecord | null> {
    const sql = `SELECT ${TENANT_COLUMNS} FROM tenancy.tenants WHERE id = $1${forUpdate ? ' FOR UPDATE' : ''}`;
    const rows: TenantRow[] = em ? await rowsOf<TenantRow>(em, sql, [id]) : await this.dataSource.query(sql, [id]);
    return rows.length ? toTenantRecord(rows[0]) : null;
  }

  async listTenants(): Promise<TenantRecord[]> {
    const rows: TenantRow[] = await this.dataSource.query(`SELECT ${TENANT_COLUMNS} FROM tenancy.tenants ORDER BY id`);
    return rows.map(toTenantRecord);
  }

  /** Inserts a new tenant; returns null when the id is taken. */
  async insertTenant(
    em: EntityManager,
    t: Omit<TenantRecord, 'createdAt' | 'updatedAt'>,
  ): Promise<TenantRecord | null> {
    const rows = await rowsOf<TenantRow>(
      em,
      `INSERT INTO tenancy.tenants (id, name, organization_number, client_key_ciphertext, client_key_fingerprint, enabled,
         authorised, not_authorised_reason, invoice_mode, settlement_schedule, customer_number_series, privileges)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb, $11::jsonb, $12::jsonb)
       ON CONFLICT (id) DO NOTHING
       RETURNING ${TENANT_COLUMNS}`,
      [
        t.id,
        t.name,
        t.organizationNumber,
        t.clientKeyCiphertext,
        t.clientKeyFingerprint,
        t.enabled,
        t.authorised,
        t.notAuthorisedReason,
        t.invoiceMode,
        json(t.settlementSchedule),
        json(t.customerNumberSeries),
        json(t.privileges),
      ],
    );
    return rows.length ? toTenantRecord(rows[0]) : null;
  }

  async updateTenant(em: EntityManager, id: string, changes: TenantChanges): Promise<TenantRecord | null> {
    const sets: string[] = [];
    const params: unknown[] = [id];
    for (const [name, value] of Object.entries(changes) as [keyof TenantChanges, unknown][]) {
      if (value === undefined) continue;
      const { column, json: isJson } = COLUMN_OF[name];
      params.push(isJson ? json(value) : value);
      sets.push(`${column} = $${params.length}${isJson ? '::jsonb' : ''}`);
    }
    sets.push('updated_at = now()');
    const rows = await rowsOf<TenantRow>(
      em,
      `UPDATE tenancy.tenants SET ${sets.join(', ')} WHERE id = $1 RETURNING ${TENANT_COLUMNS}`,
      params,
    );
    return rows.length ? toTenantRecord(rows[0]) : null;
  }

  async findMapping(tenantId: string, em?: EntityManager, forUpdate = false): Promise<AccountMappingRecord | null> {
    const sql = `SELECT tenant_id, mapping, version, updated_at, updated_by FROM tenancy.account_mappings WHERE tenant_id = $1${forUpdate ? ' FOR UPDATE' : ''}`;
    const rows: {
      tenant_id: string;
      mapping: AccountMapping;
      version: number;
      updated_at: Date;
      updated_by: string;
    }[] = em ? await rowsOf(em, sql, [tenantId]) : await this.dataSource.query(sql, [tenantId]);
    if (!rows.length) return null;
    const r = rows[0];
    return {
      tenantId: r.tenant_id,
      mapping: r.mapping,
      version: r.version,
      updatedAt: r.updated_at,
      updatedBy: r.updated_by,
    };
  }

  async saveMapping(
    em: EntityManager,
    tenantId: string,
    mapping: AccountMapping,
    actor: string,
  ): Promise<AccountMappingRecord> {
    const rows = await rowsOf<{ version: number; updated_at: Date }>(
      em,
      `INSERT INTO tenancy.account_mappings (tenant_id, mapping, version, updated_at, updated_by)
       VALUES ($1, $2::jsonb, 1, now(), $3)
       ON CONFLICT (tenant_id) DO UPDATE
         SET mapping = EXCLUDED.mapping, version = tenancy.account_mappings.version + 1,
             updated_at = now(), updated_by = EXCLUDED.updated_by
       RETURNING version, updated_at`,
      [tenantId, json(mapping), actor],
    );
    return { tenantId, mapping, version: rows[0].version, updatedAt: rows[0].updated_at, updatedBy: actor };
  }

  async insertAudit(
    em: EntityManager,
    e: { tenantId: string; actor: string; action: string; before?: unknown; after?: unknown },
  ): Promise<void> {
    await rowsOf(
      em,
      `INSERT INTO tenancy.audit_log (tenant_id, actor, action, before, after) VALUES ($1, $2, $3, $4::jsonb, $5::jsonb)`,
      [e.tenantId, e.actor, e.action, json(e.before ?? null), json(e.after ?? null)],
    );
  }

  async listAudit(tenantId: string, limit: number): Promise<AuditEntry[]> {
    const rows: {
      id: string;
      tenant_id: string;
      actor: string;
      action: string;
      before: unknown;
      after: unknown;
      at: Date;
    }[] = await this.dataSource.query(
      `SELECT id, tenant_id, actor, action, before, after, at FROM tenancy.audit_log
          WHERE tenant_id = $1 ORDER BY at DESC, id DESC LIMIT $2`,
      [tenantId, limit],
    );
    return rows.map((r) => ({
      id: Number(r.id),
      tenantId: r.tenant_id,
      actor: r.actor,
      action: r.action,
      before: r.before,
      after: r.after,
      at: r.at,
    }));
  }

  async findReferenceData(tenantId: string): Promise<ReferenceDataRecord[]> {
    const rows: { kind: ReferenceDataKind; data: unknown; fetched_at: Date }[] = await this.dataSource.query(
      `SELECT kind, data, fetched_at FROM tenancy.reference_data WHERE tenant_id = $1`,
      [tenantId],
    );
    return rows.map((r) => ({ kind: r.kind, data: r.data, fetchedAt: r.fetched_at }));
  }

  async saveReferenceKind(
    em: EntityManager,
    tenantId: string,
    kind: ReferenceDataKind,
    data: unknown,
    fetchedAt: Date,
  ): Promise<void> {
    await rowsOf(
      em,
      `INSERT INTO tenancy.reference_data (tenant_id, kind, data, fetched_at) VALUES ($1, $2, $3::jsonb, $4)
       ON CONFLICT (tenant_id, kind) DO UPDATE SET data = EXCLUDED.data, fetched_at = EXCLUDED.fetched_at`,
      [tenantId, kind, json(data), fetchedAt],
    );
  }

  /** Every stored client key, for re-encryption under a new key. */
  async listCiphertexts(): Promise<{ id: string; ciphertext: string }[]> {
    const rows: { id: string; client_key_ciphertext: string }[] = await this.dataSource.query(
      `SELECT id, client_key_ciphertext FROM tenancy.tenants ORDER BY id`,
    );
    return rows.map((r) => ({ id: r.id, ciphertext: r.client_key_ciphertext }));
  }

  /** Compare-and-set: replaces the ciphertext only if nobody changed it meanwhile. */
  async replaceCiphertext(em: EntityManager, id: string, expected: string, next: string): Promise<boolean> {
    const rows = await rowsOf(
      em,
      `UPDATE tenancy.tenants SET client_key_ciphertext = $3 WHERE id = $1 AND client_key_ciphertext = $2 RETURNING id`,
      [id, expected, next],
    );
    return rows.length === 1;
  }
}
