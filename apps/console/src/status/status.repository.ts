import { DataSource } from 'typeorm';
import { countStates, SettlementEntry, StateCounts } from '../domain/status';

/**
 * Reads what the flows recorded, through their agreed read-only views (settlement.status_view,
 * invoice.status_view, customer_sync.status_view, article_sync.status_view) and the libraries'
 * tables the console may read (pipeline.inbox for parked events, poweroffice.api_calls). Never a
 * flow's own tables: the views are the contract. A view that is not there (a flow not deployed, a
 * database not migrated) makes that part "unavailable" instead of failing the whole status.
 */

/** A part of a status: there, or unavailable with the reason. */
export type Part<T> = ({ available: true } & T) | { available: false; reason: string };

export const STATUS_VIEWS = {
  settlement: 'settlement.status_view',
  invoice: 'invoice.status_view',
  customer: 'customer_sync.status_view',
  article: 'article_sync.status_view',
} as const;
type ViewName = (typeof STATUS_VIEWS)[keyof typeof STATUS_VIEWS];

export interface InvoiceEntry {
  invoiceId: string;
  invoiceNumber: string | null;
  kind: string | null;
  state: string;
  voucherId: string | null;
  salesOrderId: string | null;
  customerNumber: string | null;
  errorCode: string | null;
  errorMessage: string | null;
  updatedAt: string | null;
}

export interface CustomerEntry {
  customerId: string;
  state: string;
  powerOfficeCustomerId: string | null;
  powerOfficeCustomerNumber: string | null;
  errorCode: string | null;
  errorMessage: string | null;
  updatedAt: string | null;
}

export interface ArticleEntry {
  articleId: string;
  articleNumber: string | null;
  state: string;
  powerOfficeProductId: string | null;
  errorCode: string | null;
  errorMessage: string | null;
  updatedAt: string | null;
}

export interface ParkedEvent {
  eventId: string;
  eventType: string | null;
  consumerGroup: string;
  topic: string;
  partition: number;
  offset: string;
  attempts: number;
  errorCode: string | null;
  errorMessage: string | null;
  failedAt: string;
  /** Sent back to its topic and not processed again yet. */
  redrivenAt: string | null;
}

export interface ApiCallSummary {
  since: string;
  total: number;
  byStatus: { status: string; count: number }[];
  lastErrors: {
    at: string;
    lane: string;
    method: string;
    path: string;
    status: number | null;
    errorTitle: string | null;
    errorDetail: string | null;
  }[];
}

export interface SettlementCounts {
  failed: number;
  missing: number;
  pending: number;
  posted: number;
}

const iso = (v: Date | string | null | undefined): string | null =>
  v === null || v === undefined ? null : v instanceof Date ? v.toISOString() : String(v);

const FAILING_SQL = `lower(state) IN ('failed', 'rejected', 'error')`;

export class StatusRepository {
  constructor(private readonly db: DataSource) {}

  /** Whether a view exists, asked every time: a flow deployed after the console starts is seen at once. */
  private async exists(view: ViewName): Promise<boolean> {
    const [row] = await this.db.query(`SELECT to_regclass($1) IS NOT NULL AS present`, [view]);
    return row?.present === true;
  }

  private async read<T>(view: ViewName, work: () => Promise<T>): Promise<Part<T>> {
    if (!(await this.exists(view))) return { available: false, reason: `${view} does not exist (is the flow deployed and migrated?)` };
    try {
      return { available: true, ...(await work()) };
    } catch (err) {
      return { available: false, reason: `${view} could not be read: ${(err as Error).message}` };
    }
  }

  /**
   * A tenant's settlements of the last `days` business days it has data for, plus every day still
   * failed, missing or pending whatever its age: a failure never scrolls out of view.
   */
  settlements(tenantId: string, days = 31): Promise<Part<{ entries: SettlementEntry[] }>> {
    return this.read(STATUS_VIEWS.settlement, async () => {
      const rows: {
        register_id: string;
        z_number: number | null;
        business_date: string;
        state: string;
        post_at: Date | null;
        po_voucher_id: string | null;
        po_voucher_no: string | null;
        error_code: string | null;
        error_message: string | null;
        updated_at: Date | null;
      }[] = await this.db.query(
        `SELECT register_id::text, z_number::int, business_date::text, state::text, post_at, po_voucher_id::text,
                po_voucher_no::text, error_code::text, error_message::text, updated_at
           FROM settlement.status_view
          WHERE tenant_id = $1
            AND (state::text IN ('failed', 'missing', 'scheduled', 'posting')
                 OR business_date >= (SELECT max(business_date) FROM settlement.status_view WHERE tenant_id = $1) - $2::int)
          ORDER BY business_date DESC, register_id, z_number DESC NULLS LAST
          LIMIT 2000`,
        [tenantId, days],
      );
      return {
        entries: rows.map((r) => ({
          registerId: r.register_id,
          zNumber: r.z_number,
          businessDate: r.business_date,
          state: r.state,
          postAt: iso(r.post_at),
          voucherId: r.po_voucher_id,
          voucherNo: r.po_voucher_no,
          errorCode: r.error_code,
          errorMessage: r.error_message,
          updatedAt: iso(r.updated_at),
        })),
      };
    });
  }

  /** One settlement row (the newest of a register and Z number), or null. */
  async settlement(tenantId: string, registerId: string, zNumber: number): Promise<SettlementEntry | null> {
    const part = await this.read(STATUS_VIEWS.settlement, async () => {
      const rows: { state: string; business_date: string; error_code: string | null; error_message: string | null; po_voucher_no: string | null }[] =
        await this.db.query(
          `SELECT state::text, business_date::text, error_code::text, error_message::text, po_voucher_no::text
             FROM settlement.status_view WHERE tenant_id = $1 AND register_id = $2 AND z_number = $3 LIMIT 1`,
          [tenantId, registerId, zNumber],
        );
      return { row: rows[0] ?? null };
    });
    if (!part.available || !part.row) return null;
    const r = part.row;
    return {
      registerId,
      zNumber,
      businessDate: r.business_date,
      state: r.state,
      postAt: null,
      voucherId: null,
      voucherNo: r.po_voucher_no,
      errorCode: r.error_code,
      errorMessage: r.error_message,
      updatedAt: null,
    };
  }

  invoices(tenantId: string, limit = 200): Promise<Part<{ counts: StateCounts; items: InvoiceEntry[] }>> {
    return this.read(STATUS_VIEWS.invoice, async () => {
      const counts = countStates(await this.stateCounts('invoice.status_view', tenantId));
      const rows: Record<string, string | Date | null>[] = await this.db.query(
        `SELECT invoice_id::text, invoice_number::text, kind::text, state::text, po_voucher_id::text, po_sales_order_id::text,
                customer_number::text, error_code::text, error_message::text, updated_at
           FROM invoice.status_view WHERE tenant_id = $1
          ORDER BY (${FAILING_SQL}) DESC, updated_at DESC NULLS LAST, invoice_id LIMIT $2`,
        [tenantId, limit],
      );
      return {
        counts,
        items: rows.map((r) => ({
          invoiceId: String(r.invoice_id),
          invoiceNumber: r.invoice_number as string | null,
          kind: r.kind as string | null,
          state: String(r.state),
          voucherId: r.po_voucher_id as string | null,
          salesOrderId: r.po_sales_order_id as string | null,
          customerNumber: r.customer_number as string | null,
          errorCode: r.error_code as string | null,
          errorMessage: r.error_message as string | null,
          updatedAt: iso(r.updated_at as Date | null),
        })),
      };
    });
  }

  /** An invoice's row, or null. */
  async invoice(tenantId: string, invoiceId: string): Promise<InvoiceEntry | null> {
    const part = await this.read(STATUS_VIEWS.invoice, async () => {
      const rows: Record<string, string | null>[] = await this.db.query(
        `SELECT invoice_number::text, state::text, error_code::text, error_message::text
           FROM invoice.status_view WHERE tenant_id = $1 AND invoice_id::text = $2 LIMIT 1`,
        [tenantId, invoiceId],
      );
      return { row: rows[0] ?? null };
    });
    if (!part.available || !part.row) return null;
    return {
      invoiceId,
      invoiceNumber: part.row.invoice_number,
      kind: null,
      state: String(part.row.state),
      voucherId: null,
      salesOrderId: null,
      customerNumber: null,
      errorCode: part.row.error_code,
      errorMessage: part.row.error_message,
      updatedAt: null,
    };
  }

  customers(tenantId: string, limit = 100): Promise<Part<{ counts: StateCounts; failing: CustomerEntry[] }>> {
    return this.read(STATUS_VIEWS.customer, async () => {
      const counts = countStates(await this.stateCounts('customer_sync.status_view', tenantId));
      const rows: Record<string, string | Date | null>[] = await this.db.query(
        `SELECT customer_id::text, state::text, po_customer_id::text, po_customer_number::text, error_code::text,
                error_message::text, updated_at
           FROM customer_sync.status_view WHERE tenant_id = $1 AND ${FAILING_SQL}
          ORDER BY updated_at DESC NULLS LAST, customer_id LIMIT $2`,
        [tenantId, limit],
      );
      return {
        counts,
        failing: rows.map((r) => ({
          customerId: String(r.customer_id),
          state: String(r.state),
          powerOfficeCustomerId: r.po_customer_id as string | null,
          powerOfficeCustomerNumber: r.po_customer_number as string | null,
          errorCode: r.error_code as string | null,
          errorMessage: r.error_message as string | null,
          updatedAt: iso(r.updated_at as Date | null),
        })),
      };
    });
  }

  articles(tenantId: string, limit = 100): Promise<Part<{ counts: StateCounts; failing: ArticleEntry[] }>> {
    return this.read(STATUS_VIEWS.article, async () => {
      const counts = countStates(await this.stateCounts('article_sync.status_view', tenantId));
      const rows: Record<string, string | Date | null>[] = await this.db.query(
        `SELECT article_id::text, article_number::text, state::text, po_product_id::text, error_code::text,
                error_message::text, updated_at
           FROM article_sync.status_view WHERE tenant_id = $1 AND ${FAILING_SQL}
          ORDER BY updated_at DESC NULLS LAST, article_id LIMIT $2`,
        [tenantId, limit],
      );
      return {
        counts,
        failing: rows.map((r) => ({
          articleId: String(r.article_id),
          articleNumber: r.article_number as string | null,
          state: String(r.state),
          powerOfficeProductId: r.po_product_id as string | null,
          errorCode: r.error_code as string | null,
          errorMessage: r.error_message as string | null,
          updatedAt: iso(r.updated_at as Date | null),
        })),
      };
    });
  }

  private stateCounts(view: ViewName, tenantId: string): Promise<{ state: string; count: number }[]> {
    return this.db.query(`SELECT state::text AS state, count(*)::int AS count FROM ${view} WHERE tenant_id = $1 GROUP BY 1 ORDER BY 1`, [
      tenantId,
    ]);
  }

  /** Events whose last processing failed (parked in a dead-letter topic), newest first. */
  async parkedEvents(tenantId: string, limit = 200): Promise<{ count: number; items: ParkedEvent[] }> {
    const [{ count }] = await this.db.query(
      `SELECT count(*)::int AS count FROM pipeline.inbox WHERE tenant_id = $1 AND status = 'failed'`,
      [tenantId],
    );
    const rows: {
      event_id: string;
      event_type: string | null;
      consumer_group: string;
      topic: string;
      partition: number;
      offset: string;
      attempts: number;
      error_code: string | null;
      error_message: string | null;
      processed_at: Date;
      redriven_at: Date | null;
    }[] = await this.db.query(
      `SELECT event_id, event_type, consumer_group, topic, partition, "offset"::text AS offset, attempts, error_code,
              error_message, processed_at, redriven_at
         FROM pipeline.inbox WHERE tenant_id = $1 AND status = 'failed'
        ORDER BY processed_at DESC LIMIT $2`,
      [tenantId, limit],
    );
    return {
      count,
      items: rows.map((r) => ({
        eventId: r.event_id,
        eventType: r.event_type,
        consumerGroup: r.consumer_group,
        topic: r.topic,
        partition: r.partition,
        offset: r.offset,
        attempts: r.attempts,
        errorCode: r.error_code,
        errorMessage: r.error_message,
        failedAt: iso(r.processed_at)!,
        redrivenAt: iso(r.redriven_at),
      })),
    };
  }

  /** The tenant's PowerOffice calls of the last `hours`: counts per HTTP status and the latest errors. */
  async apiCalls(tenantId: string, hours = 24): Promise<ApiCallSummary> {
    const since = new Date(Date.now() - hours * 3600_000);
    const byStatus: { status: string; count: number }[] = await this.db.query(
      `SELECT coalesce(status::text, 'no answer') AS status, count(*)::int AS count
         FROM poweroffice.api_calls WHERE tenant_id = $1 AND at >= $2 GROUP BY 1 ORDER BY 1`,
      [tenantId, since],
    );
    const errors: {
      at: Date;
      lane: string;
      method: string;
      path_template: string;
      status: number | null;
      error_title: string | null;
      error_detail: string | null;
    }[] = await this.db.query(
      `SELECT at, lane, method, path_template, status, error_title, error_detail
         FROM poweroffice.api_calls WHERE tenant_id = $1 AND (status IS NULL OR status >= 400)
        ORDER BY at DESC, id DESC LIMIT 10`,
      [tenantId],
    );
    return {
      since: since.toISOString(),
      total: byStatus.reduce((n, s) => n + s.count, 0),
      byStatus,
      // The path template, not the path: the path of a lookup may carry a customer's e-mail or name.
      lastErrors: errors.map((e) => ({
        at: iso(e.at)!,
        lane: e.lane,
        method: e.method,
        path: e.path_template,
        status: e.status,
        errorTitle: e.error_title,
        errorDetail: e.error_detail,
      })),
    };
  }

  // ------------------------------------------------------------ the overview: one query per source

  async settlementCountsByTenant(): Promise<Map<string, SettlementCounts> | null> {
    if (!(await this.exists(STATUS_VIEWS.settlement))) return null;
    try {
      const rows: { tenant_id: string; failed: number; missing: number; pending: number; posted: number }[] = await this.db.query(
        `SELECT tenant_id,
                count(*) FILTER (WHERE state = 'failed')::int AS failed,
                count(*) FILTER (WHERE state = 'missing')::int AS missing,
                count(*) FILTER (WHERE state NOT IN ('failed', 'missing', 'posted'))::int AS pending,
                count(*) FILTER (WHERE state = 'posted')::int AS posted
           FROM settlement.status_view GROUP BY tenant_id`,
      );
      return new Map(rows.map((r) => [r.tenant_id, { failed: r.failed, missing: r.missing, pending: r.pending, posted: r.posted }]));
    } catch {
      return null;
    }
  }

  async failingCountsByTenant(view: 'invoice' | 'customer' | 'article'): Promise<Map<string, number> | null> {
    const name = STATUS_VIEWS[view];
    if (!(await this.exists(name))) return null;
    try {
      const rows: { tenant_id: string; failing: number }[] = await this.db.query(
        `SELECT tenant_id, count(*) FILTER (WHERE ${FAILING_SQL})::int AS failing FROM ${name} GROUP BY tenant_id`,
      );
      return new Map(rows.map((r) => [r.tenant_id, r.failing]));
    } catch {
      return null;
    }
  }

  async parkedCountsByTenant(): Promise<Map<string, number>> {
    const rows: { tenant_id: string; count: number }[] = await this.db.query(
      `SELECT tenant_id, count(*)::int AS count FROM pipeline.inbox WHERE status = 'failed' AND tenant_id IS NOT NULL GROUP BY tenant_id`,
    );
    return new Map(rows.map((r) => [r.tenant_id, r.count]));
  }

  async apiErrorCountsByTenant(hours = 24): Promise<Map<string, number>> {
    const rows: { tenant_id: string; count: number }[] = await this.db.query(
      `SELECT tenant_id, count(*)::int AS count FROM poweroffice.api_calls
        WHERE at >= $1 AND (status IS NULL OR status >= 400) GROUP BY tenant_id`,
      [new Date(Date.now() - hours * 3600_000)],
    );
    return new Map(rows.map((r) => [r.tenant_id, r.count]));
  }

  async tenantsWithMapping(): Promise<Set<string>> {
    const rows: { tenant_id: string }[] = await this.db.query(`SELECT tenant_id FROM tenancy.account_mappings`);
    return new Set(rows.map((r) => r.tenant_id));
  }
}
