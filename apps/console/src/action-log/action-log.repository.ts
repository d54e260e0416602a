import { DataSource } from 'typeorm';

export type Transport = 'http' | 'cli';

/** Who asks, and through which door: the HTTP API (operator token's name) or the CLI (`cli:<os user>`). */
export interface Caller {
  actor: string;
  transport: Transport;
}

export interface ActionRecord {
  id: number;
  at: Date;
  actor: string;
  transport: Transport;
  action: string;
  tenantId: string | null;
  target: Record<string, unknown>;
  result: 'done' | 'failed';
  outcome: unknown;
  errorCode: string | null;
  errorMessage: string | null;
  durationMs: number;
}

export type NewActionRecord = Omit<ActionRecord, 'id' | 'at'>;

interface ActionRow {
  id: string;
  at: Date;
  actor: string;
  transport: Transport;
  action: string;
  tenant_id: string | null;
  target: Record<string, unknown>;
  result: 'done' | 'failed';
  outcome: unknown;
  error_code: string | null;
  error_message: string | null;
  duration_ms: number;
}

const COLUMNS = 'id, at, actor, transport, action, tenant_id, target, result, outcome, error_code, error_message, duration_ms';

function toRecord(r: ActionRow): ActionRecord {
  return {
    id: Number(r.id),
    at: r.at,
    actor: r.actor,
    transport: r.transport,
    action: r.action,
    tenantId: r.tenant_id,
    target: r.target,
    result: r.result,
    outcome: r.outcome,
    errorCode: r.error_code,
    errorMessage: r.error_message,
    durationMs: r.duration_ms,
  };
}

/** console.action_log: append-only. */
export class ActionLogRepository {
  constructor(private readonly db: DataSource) {}

  async append(entry: NewActionRecord): Promise<ActionRecord> {
    const rows: ActionRow[] = await this.db.query(
      `INSERT INTO console.action_log (actor, transport, action, tenant_id, target, result, outcome, error_code, error_message, duration_ms)
       VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7::jsonb, $8, $9, $10)
       RETURNING ${COLUMNS}`,
      [
        entry.actor,
        entry.transport,
        entry.action,
        entry.tenantId,
        JSON.stringify(entry.target ?? {}),
        entry.result,
        entry.outcome === undefined ? null : JSON.stringify(entry.outcome),
        entry.errorCode,
        entry.errorMessage,
        Math.max(0, Math.round(entry.durationMs)),
      ],
    );
    return toRecord(rows[0]);
  }

  /** Newest first; one tenant's, or every one. */
  async recent(options: { tenantId?: string; limit?: number } = {}): Promise<ActionRecord[]> {
    const limit = Math.max(1, Math.min(options.limit ?? 50, 500));
    const rows: ActionRow[] = await this.db.query(
      `SELECT ${COLUMNS} FROM console.action_log
        WHERE ($1::text IS NULL OR tenant_id = $1)
        ORDER BY at DESC, id DESC LIMIT $2`,
      [options.tenantId ?? null, limit],
    );
    return rows.map(toRecord);
  }
}
