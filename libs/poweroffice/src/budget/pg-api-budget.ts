import { SqlQueryable } from '../db';
import { secretFingerprint } from '../secrets';
import { SlotBudget, SlotBudgetOptions, SlotClaim, SlotLedger } from './slot-budget';

/**
 * The reservation timeline as one row of `poweroffice.api_budget` per subscription key.
 *
 * A claim is a single statement: lock the row, and if the next free slot starts within the lane's
 * horizon, move it one interval on and return when the reserved slot starts. All instants are the
 * database's clock, and only durations travel to the caller, so processes on different hosts
 * never compare their own clocks. The row lock is held for microseconds, and no one polls faster
 * than slots become free.
 */
const CLAIM_SQL = `
WITH claimed AS (
  UPDATE poweroffice.api_budget
     SET next_slot = greatest(clock_timestamp(), next_slot) + $2::float8 * interval '1 millisecond',
         updated_at = clock_timestamp()
   WHERE subscription_key_hash = $1
     AND ($3::float8 IS NULL OR next_slot <= clock_timestamp() + $3::float8 * interval '1 millisecond')
  RETURNING next_slot
)
SELECT (SELECT extract(epoch FROM (c.next_slot - clock_timestamp())) * 1000 - $2::float8 FROM claimed c) AS starts_in_ms,
       extract(epoch FROM (b.next_slot - clock_timestamp())) * 1000 AS free_in_ms
  FROM poweroffice.api_budget b
 WHERE b.subscription_key_hash = $1`;

const ENSURE_ROW_SQL = `
INSERT INTO poweroffice.api_budget (subscription_key_hash, next_slot, updated_at)
VALUES ($1, clock_timestamp(), clock_timestamp())
ON CONFLICT (subscription_key_hash) DO NOTHING`;

class PgSlotLedger implements SlotLedger {
  private rowReady?: Promise<void>;

  constructor(
    private readonly db: SqlQueryable,
    private readonly keyHash: string,
  ) {}

  async claim(intervalMs: number, horizonMs: number | null): Promise<SlotClaim> {
    await (this.rowReady ??= this.ensureRow());
    const rows = (await this.db.query(CLAIM_SQL, [this.keyHash, intervalMs, horizonMs])) as Array<{
      starts_in_ms: string | number | null;
      free_in_ms: string | number;
    }>;
    if (rows.length === 0) {
      // The row was deleted under us (a test truncating the table): create it again.
      this.rowReady = undefined;
      return { granted: false, freeInMs: 0 };
    }
    const { starts_in_ms, free_in_ms } = rows[0];
    return starts_in_ms === null
      ? { granted: false, freeInMs: Number(free_in_ms) }
      : { granted: true, startsInMs: Number(starts_in_ms) };
  }

  private async ensureRow(): Promise<void> {
    try {
      await this.db.query(ENSURE_ROW_SQL, [this.keyHash]);
    } catch (err) {
      this.rowReady = undefined;
      throw err;
    }
  }
}

export interface PgApiBudgetOptions extends SlotBudgetOptions {
  /** The budget is per subscription key; only its SHA-256 is stored. */
  subscriptionKey: string;
}

/** The API budget shared by every process through PostgreSQL (table `poweroffice.api_budget`). */
export class PgApiBudget extends SlotBudget {
  constructor(db: SqlQueryable, options: PgApiBudgetOptions) {
    super(new PgSlotLedger(db, secretFingerprint(options.subscriptionKey)), options);
  }
}
