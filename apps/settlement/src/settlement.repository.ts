import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import type { OutcomeError } from '@lib/contracts';
import type { ResolvedCashJournalVoucher, SettlementSnapshot, SettlementState, VoucherRef } from './domain/settlement';
import type { GrandTotals, ZReportClosed } from './domain/z-report';

/** Anything that runs SQL: the DataSource, or the EntityManager of a transaction. */
type Sql = Pick<DataSource, 'query'> | Pick<EntityManager, 'query'>;

export interface SettlementKey {
  tenantId: string;
  registerId: string;
  zNumber: number;
}

/** A row of settlement.reports. */
export interface StoredSettlement extends SettlementSnapshot, SettlementKey {
  report: ZReportClosed;
  sourceEventId: string;
  sourceKey: string;
  correlationId: string | null;
  topicPrefix: string;
  attempts: number;
  generation: number;
  version: number;
  claimId: string | null;
  leaseUntil: Date | null;
  updatedAt: Date;
}

/** A row a poster has claimed, and what it was before: `posting` means an earlier poster crashed. */
export interface ClaimedSettlement extends StoredSettlement {
  claimId: string;
  claimedFrom: 'scheduled' | 'posting';
}

/** What a report (re)arrival or resend writes: the report as the POS sent it and where it is now. */
export interface SettlementWrite {
  report: ZReportClosed;
  contentHash: string;
  voucher: ResolvedCashJournalVoucher | null;
  state: 'scheduled' | 'failed';
  postAt: Date | null;
  error: OutcomeError | null;
  sourceEventId: string;
  sourceKey: string;
  correlationId: string | null;
  topicPrefix: string;
  generation: number;
}

/** The register's Z-report just before a given one (for the continuity checks). */
export interface PreviousReport {
  zNumber: number;
  grandTotals?: GrandTotals;
}

/** A register that has sent Z-reports recently, with its days in the window. */
export interface RecentRegister {
  tenantId: string;
  registerId: string;
  firstBusinessDate: string;
  businessDates: string[];
}

/** Thrown when a row changed between reading and writing it: the caller reads again. */
export class SettlementChangedMeanwhile extends Error {
  constructor(key: SettlementKey) {
    super(
      `Z ${key.zNumber} of register ${key.registerId} (tenant ${key.tenantId}) changed while it was being processed`,
    );
    this.name = 'SettlementChangedMeanwhile';
  }
}

interface Row {
  tenant_id: string;
  register_id: string;
  z_number: string;
  business_date: string;
  content_hash: string;
  report: ZReportClosed;
  voucher: ResolvedCashJournalVoucher | null;
  state: SettlementState;
  post_at: Date | null;
  source_event_id: string;
  source_key: string;
  correlation_id: string | null;
  topic_prefix: string;
  po_voucher_id: string | null;
  po_voucher_no: string | null;
  reversed_voucher_id: string | null;
  reversed_voucher_no: string | null;
  error: OutcomeError | null;
  attempts: number;
  generation: number;
  version: number;
  claim_id: string | null;
  lease_until: Date | null;
  updated_at: Date;
  claimed_from?: 'scheduled' | 'posting';
}

const COLUMNS = (
  t: string,
) => `${t}.tenant_id, ${t}.register_id, ${t}.z_number, to_char(${t}.business_date, 'YYYY-MM-DD') AS business_date,
  ${t}.content_hash, ${t}.report, ${t}.voucher, ${t}.state, ${t}.post_at, ${t}.source_event_id, ${t}.source_key,
  ${t}.correlation_id, ${t}.topic_prefix, ${t}.po_voucher_id, ${t}.po_voucher_no, ${t}.reversed_voucher_id,
  ${t}.reversed_voucher_no, ${t}.error, ${t}.attempts, ${t}.generation, ${t}.version, ${t}.claim_id, ${t}.lease_until, ${t}.updated_at`;

const KEY = `tenant_id = $1 AND register_id = $2 AND z_number = $3`;

function ref(id: string | null, no: string | null): VoucherRef | null {
  if (id === null) return null;
  return no === null ? { voucherId: id } : { voucherId: id, voucherNo: Number(no) };
}

function toStored(r: Row): StoredSettlement {
  return {
    tenantId: r.tenant_id,
    registerId: r.register_id,
    zNumber: Number(r.z_number),
    businessDate: r.business_date,
    contentHash: r.content_hash,
    report: r.report,
    voucher: r.voucher,
    state: r.state,
    postAt: r.post_at,
    sourceEventId: r.source_event_id,
    sourceKey: r.source_key,
    correlationId: r.correlation_id,
    topicPrefix: r.topic_prefix,
    posted: ref(r.po_voucher_id, r.po_voucher_no),
    reversed: ref(r.reversed_voucher_id, r.reversed_voucher_no),
    error: r.error,
    attempts: r.attempts,
    generation: r.generation,
    version: r.version,
    claimId: r.claim_id,
    leaseUntil: r.lease_until,
    updatedAt: r.updated_at,
  };
}

/** Rows of an UPDATE … RETURNING: TypeORM answers UPDATEs with [rows, affected count]. */
async function update<T = unknown>(sql: Sql, query: string, params: unknown[]): Promise<T[]> {
  const [rows] = (await sql.query(query, params)) as [T[], number];
  return rows;
}

function keyParams(k: SettlementKey): unknown[] {
  return [k.tenantId, k.registerId, k.zNumber];
}

/**
 * SQL of the settlement schema. Every state change is guarded by what the writer saw (`version`
 * for arrivals and operator actions, `claim_id` for a poster), so two writers that race never both
 * win: the loser reads again or, for a poster, leaves the outcome to the winner.
 */
@Injectable()
export class SettlementRepository {
  constructor(private readonly db: DataSource) {}

  async find(key: SettlementKey, sql: Sql = this.db): Promise<StoredSettlement | null> {
    const rows: Row[] = await sql.query(
      `SELECT ${COLUMNS('r')} FROM settlement.reports r WHERE ${KEY}`,
      keyParams(key),
    );
    return rows[0] ? toStored(rows[0]) : null;
  }

  /** The register's report with the highest Z number below `key.zNumber`. */
  async findPrevious(key: SettlementKey): Promise<PreviousReport | null> {
    const rows: { z_number: string; grand_totals: GrandTotals | null }[] = await this.db.query(
      `SELECT z_number, report -> 'grandTotals' AS grand_totals FROM settlement.reports
        WHERE tenant_id = $1 AND register_id = $2 AND z_number < $3 ORDER BY z_number DESC LIMIT 1`,
      keyParams(key),
    );
    const row = rows[0];
    if (!row) return null;
    return row.grand_totals
      ? { zNumber: Number(row.z_number), grandTotals: row.grand_totals }
      : { zNumber: Number(row.z_number) };
  }

  /** Stores a report seen for the first time; false when another writer stored the same Z first. */
  async insert(tx: EntityManager, key: SettlementKey, w: SettlementWrite): Promise<boolean> {
    const rows: unknown[] = await tx.query(
      `INSERT INTO settlement.reports (tenant_id, register_id, z_number, business_date, content_hash, report, voucher, state,
         post_at, error_code, error_message, error, source_event_id, source_key, correlation_id, topic_prefix, generation)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
       ON CONFLICT (tenant_id, register_id, z_number) DO NOTHING
       RETURNING 1`,
      [...keyParams(key), ...writeParams(w)],
    );
    return rows.length === 1;
  }

  /**
   * Replaces the report and its state (a correction, a resend, a repost), if the row is still at
   * `expectedVersion`. The voucher in the books (`po_voucher_*`) is kept: a scheduled row that has
   * one replaces it when it is posted.
   */
  async replace(tx: EntityManager, key: SettlementKey, expectedVersion: number, w: SettlementWrite): Promise<void> {
    const rows = await update(
      tx,
      `UPDATE settlement.reports SET business_date = $4, content_hash = $5, report = $6, voucher = $7, state = $8, post_at = $9,
              error_code = $10, error_message = $11, error = $12, source_event_id = $13, source_key = $14, correlation_id = $15,
              topic_prefix = $16, generation = $17, attempts = 0, reversed_voucher_id = NULL, reversed_voucher_no = NULL,
              claim_id = NULL, lease_until = NULL, version = version + 1, updated_at = now()
        WHERE ${KEY} AND version = $18 AND state <> 'posting'
        RETURNING 1`,
      [...keyParams(key), ...writeParams(w), expectedVersion],
    );
    if (rows.length !== 1) throw new SettlementChangedMeanwhile(key);
  }

  /**
   * Claims one due settlement for posting: scheduled and due, or stuck in `posting` past its lease
   * (its poster crashed). SKIP LOCKED lets any number of posters claim side by side, never the same
   * row. Tenants that are disabled keep their settlements waiting.
   */
  async claimDue(now: Date, leaseMs: number, topicPrefix: string): Promise<ClaimedSettlement | null> {
    const claimId = randomUUID();
    const rows = await update<Row>(
      this.db,
      `WITH due AS (
         SELECT r.tenant_id, r.register_id, r.z_number, r.state AS claimed_from
           FROM settlement.reports r
           JOIN tenancy.tenants t ON t.id = r.tenant_id AND t.enabled
          WHERE r.topic_prefix = $3
            AND ((r.state = 'scheduled' AND r.post_at <= $1) OR (r.state = 'posting' AND r.lease_until <= $1))
          ORDER BY r.post_at
          LIMIT 1
          FOR UPDATE OF r SKIP LOCKED
       )
       UPDATE settlement.reports r
          SET state = 'posting', claim_id = $4, lease_until = $1::timestamptz + $2::float8 * interval '1 millisecond',
              attempts = r.attempts + 1, version = r.version + 1, updated_at = now()
         FROM due
        WHERE r.tenant_id = due.tenant_id AND r.register_id = due.register_id AND r.z_number = due.z_number
       RETURNING ${COLUMNS('r')}, due.claimed_from`,
      [now, leaseMs, topicPrefix, claimId],
    );
    const row = rows[0];
    if (!row) return null;
    return { ...toStored(row), claimId, claimedFrom: row.claimed_from ?? 'scheduled' };
  }

  /** The voucher in the books was reversed (first half of a correction or repost). */
  async markReversed(claim: ClaimedSettlement, reversed: VoucherRef): Promise<boolean> {
    const rows = await update(
      this.db,
      `UPDATE settlement.reports SET po_voucher_id = NULL, po_voucher_no = NULL, reversed_voucher_id = $5, reversed_voucher_no = $6,
              version = version + 1, updated_at = now()
        WHERE ${KEY} AND claim_id = $4 AND state = 'posting'
        RETURNING 1`,
      [...keyParams(claim), claim.claimId, reversed.voucherId, reversed.voucherNo ?? null],
    );
    return rows.length === 1;
  }

  async markPosted(tx: EntityManager, claim: ClaimedSettlement, voucher: VoucherRef, postedAt: Date): Promise<boolean> {
    const rows = await update(
      tx,
      `UPDATE settlement.reports SET state = 'posted', po_voucher_id = $5, po_voucher_no = $6, error_code = NULL, error_message = NULL,
              error = NULL, claim_id = NULL, lease_until = NULL, posted_at = $7, version = version + 1, updated_at = now()
        WHERE ${KEY} AND claim_id = $4 AND state = 'posting'
        RETURNING 1`,
      [...keyParams(claim), claim.claimId, voucher.voucherId, voucher.voucherNo ?? null, postedAt],
    );
    return rows.length === 1;
  }

  async markFailed(
    tx: EntityManager,
    claim: ClaimedSettlement,
    state: 'failed' | 'reversed',
    error: OutcomeError,
  ): Promise<boolean> {
    const rows = await update(
      tx,
      `UPDATE settlement.reports SET state = $5, error_code = $6, error_message = $7, error = $8, claim_id = NULL, lease_until = NULL,
              version = version + 1, updated_at = now()
        WHERE ${KEY} AND claim_id = $4 AND state = 'posting'
        RETURNING 1`,
      [...keyParams(claim), claim.claimId, state, error.code, error.message, JSON.stringify(error)],
    );
    return rows.length === 1;
  }

  /**
   * Back to `scheduled` for a later attempt. The last error stays visible as a message (no error
   * code: the settlement has not failed, it waits).
   */
  async reschedule(claim: ClaimedSettlement, postAt: Date, lastError: OutcomeError): Promise<boolean> {
    const note = `Attempt ${claim.attempts} failed; trying again at ${postAt.toISOString()}. ${lastError.message}`;
    const rows = await update(
      this.db,
      `UPDATE settlement.reports SET state = 'scheduled', post_at = $5, error_code = NULL, error_message = $6, error = $7,
              claim_id = NULL, lease_until = NULL, version = version + 1, updated_at = now()
        WHERE ${KEY} AND claim_id = $4 AND state = 'posting'
        RETURNING 1`,
      [...keyParams(claim), claim.claimId, postAt, note, JSON.stringify(lastError)],
    );
    return rows.length === 1;
  }

  /**
   * Registers of this environment with a Z-report on or after `since`, each with its days from
   * `since` on and the first day it ever reported (a register did not exist before that).
   */
  async recentRegisters(topicPrefix: string, since: string): Promise<RecentRegister[]> {
    const rows: { tenant_id: string; register_id: string; first_day: string; days: string[] }[] = await this.db.query(
      `SELECT r.tenant_id, r.register_id,
              array_agg(DISTINCT to_char(r.business_date, 'YYYY-MM-DD')) AS days,
              (SELECT to_char(min(f.business_date), 'YYYY-MM-DD') FROM settlement.reports f
                WHERE f.tenant_id = r.tenant_id AND f.register_id = r.register_id) AS first_day
         FROM settlement.reports r
        WHERE r.topic_prefix = $1 AND r.business_date >= $2::date
        GROUP BY r.tenant_id, r.register_id
        ORDER BY r.tenant_id, r.register_id`,
      [topicPrefix, since],
    );
    return rows.map((r) => ({
      tenantId: r.tenant_id,
      registerId: r.register_id,
      firstBusinessDate: r.first_day,
      businessDates: [...r.days].sort(),
    }));
  }

  /** The register's latest Z-report before a day. */
  async lastReportBefore(
    tenantId: string,
    registerId: string,
    businessDate: string,
  ): Promise<{ zNumber: number; businessDate: string } | null> {
    const rows: { z_number: string; business_date: string }[] = await this.db.query(
      `SELECT z_number, to_char(business_date, 'YYYY-MM-DD') AS business_date FROM settlement.reports
        WHERE tenant_id = $1 AND register_id = $2 AND business_date < $3::date
        ORDER BY business_date DESC, z_number DESC LIMIT 1`,
      [tenantId, registerId, businessDate],
    );
    return rows[0] ? { zNumber: Number(rows[0].z_number), businessDate: rows[0].business_date } : null;
  }

  /** Records a missing register-day once; false when it was recorded before (by any instance). */
  async recordMissingDay(
    tx: EntityManager,
    day: {
      tenantId: string;
      registerId: string;
      businessDate: string;
      topicPrefix: string;
      expectedZNumber: number;
      last: { zNumber: number; businessDate: string };
      message: string;
      outcomeId: string;
    },
  ): Promise<boolean> {
    const rows: unknown[] = await tx.query(
      `INSERT INTO settlement.missing_days (tenant_id, register_id, business_date, topic_prefix, expected_z_number, last_z_number,
         last_business_date, message, outcome_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (tenant_id, register_id, business_date) DO NOTHING
       RETURNING 1`,
      [
        day.tenantId,
        day.registerId,
        day.businessDate,
        day.topicPrefix,
        day.expectedZNumber,
        day.last.zNumber,
        day.last.businessDate,
        day.message,
        day.outcomeId,
      ],
    );
    return rows.length === 1;
  }
}

function writeParams(w: SettlementWrite): unknown[] {
  return [
    w.report.businessDate,
    w.contentHash,
    JSON.stringify(w.report),
    w.voucher === null ? null : JSON.stringify(w.voucher),
    w.state,
    w.postAt,
    w.error?.code ?? null,
    w.error?.message ?? null,
    w.error === null ? null : JSON.stringify(w.error),
    w.sourceEventId,
    w.sourceKey,
    w.correlationId,
    w.topicPrefix,
    w.generation,
  ];
}
