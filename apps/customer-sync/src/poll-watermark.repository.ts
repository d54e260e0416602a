import { Injectable } from '@nestjs/common';
import type { Sql } from './customer-mapping.repository';
import type { PollState } from './domain/poll-plan';

/** Arbitrary, fixed first key of the advisory locks that keep two instances off one tenant's poll. */
export const POLL_LOCK_SPACE = 0x0c5_0011;

/** customer_sync.poll_watermarks: where each tenant's poll resumes, also after a restart. */
@Injectable()
export class PollWatermarkRepository {
  /**
   * Takes the tenant's poll lock for the rest of the transaction, or answers false at once when
   * another instance holds it (that instance is polling the tenant right now).
   */
  async tryLock(tx: Sql, tenantId: string): Promise<boolean> {
    const [row]: { locked: boolean }[] = await tx.query(
      `SELECT pg_try_advisory_xact_lock($1, hashtext($2)) AS locked`,
      [POLL_LOCK_SPACE, tenantId],
    );
    return row.locked;
  }

  async find(db: Sql, tenantId: string): Promise<PollState | null> {
    const rows: { watermark: string | null; recent_changes: string[] }[] = await db.query(
      `SELECT watermark, recent_changes FROM customer_sync.poll_watermarks WHERE tenant_id = $1`,
      [tenantId],
    );
    return rows[0] ? { watermark: rows[0].watermark, recent: rows[0].recent_changes ?? [] } : null;
  }

  async save(tx: Sql, tenantId: string, state: PollState): Promise<void> {
    await tx.query(
      `INSERT INTO customer_sync.poll_watermarks (tenant_id, watermark, recent_changes, updated_at)
       VALUES ($1, $2, $3::jsonb, now())
       ON CONFLICT (tenant_id) DO UPDATE SET watermark = EXCLUDED.watermark, recent_changes = EXCLUDED.recent_changes, updated_at = now()`,
      [tenantId, state.watermark, JSON.stringify(state.recent)],
    );
  }
}
