/**
 * How the console reads what the flows recorded: which states are failures, how a business day of
 * several registers adds up, which tenants need someone first. Pure: the repository feeds it rows
 * from the flows' status views, the HTTP API, the web page and the CLI show what it decides.
 */

export type SettlementState = 'scheduled' | 'posting' | 'posted' | 'failed' | 'reversed' | 'missing';

/** One row of settlement.status_view, as the console shows it. */
export interface SettlementEntry {
  registerId: string;
  /** Null for a missing day (nothing arrived, so there is no Z number). */
  zNumber: number | null;
  businessDate: string;
  state: SettlementState | string;
  postAt: string | null;
  voucherId: string | null;
  voucherNo: string | null;
  errorCode: string | null;
  errorMessage: string | null;
  updatedAt: string | null;
}

/** A business day at a glance: red when any register failed or is missing, amber while pending. */
export type DayHealth = 'failed' | 'missing' | 'pending' | 'posted';

export interface SettlementDay {
  businessDate: string;
  health: DayHealth;
  registers: SettlementEntry[];
}

/** failed and missing need someone; scheduled/posting/reversed are on their way; posted is done. */
export function settlementHealth(state: string): DayHealth {
  switch (state) {
    case 'failed':
      return 'failed';
    case 'missing':
      return 'missing';
    case 'posted':
      return 'posted';
    default:
      // scheduled, posting, reversed (a corrected report is on its way), and states added later.
      return 'pending';
  }
}

const DAY_SEVERITY: Record<DayHealth, number> = { failed: 3, missing: 2, pending: 1, posted: 0 };

export function worstOf(healths: readonly DayHealth[]): DayHealth {
  return healths.reduce<DayHealth>((worst, h) => (DAY_SEVERITY[h] > DAY_SEVERITY[worst] ? h : worst), 'posted');
}

/** Rows grouped per business day, newest day first, registers in id order, Z numbers descending. */
export function settlementDays(entries: readonly SettlementEntry[]): SettlementDay[] {
  const byDate = new Map<string, SettlementEntry[]>();
  for (const e of entries) {
    const list = byDate.get(e.businessDate) ?? [];
    list.push(e);
    byDate.set(e.businessDate, list);
  }
  return [...byDate.entries()]
    .sort(([a], [b]) => (a < b ? 1 : a > b ? -1 : 0))
    .map(([businessDate, registers]) => ({
      businessDate,
      health: worstOf(registers.map((r) => settlementHealth(r.state))),
      registers: [...registers].sort(
        (a, b) => a.registerId.localeCompare(b.registerId) || (b.zNumber ?? 0) - (a.zNumber ?? 0),
      ),
    }));
}

/** For invoices, customers and articles, whose flows name their states themselves. */
export type SyncHealth = 'failing' | 'pending' | 'ok';

const FAILING_STATES = new Set(['failed', 'rejected', 'error']);
const PENDING_STATES = new Set(['pending', 'attempting', 'scheduled', 'processing', 'posting', 'received', 'waiting', 'retrying']);

export function syncHealth(state: string): SyncHealth {
  const s = state.toLowerCase();
  if (FAILING_STATES.has(s)) return 'failing';
  if (PENDING_STATES.has(s)) return 'pending';
  return 'ok';
}

/** Counts per state plus the failing total, e.g. {byState: {synced: 40, failed: 2}, failing: 2, total: 42}. */
export interface StateCounts {
  byState: Record<string, number>;
  failing: number;
  pending: number;
  total: number;
}

export function countStates(rows: readonly { state: string; count: number }[]): StateCounts {
  const counts: StateCounts = { byState: {}, failing: 0, pending: 0, total: 0 };
  for (const { state, count } of rows) {
    counts.byState[state] = (counts.byState[state] ?? 0) + count;
    counts.total += count;
    const health = syncHealth(state);
    if (health === 'failing') counts.failing += count;
    else if (health === 'pending') counts.pending += count;
  }
  return counts;
}

/** What the overview knows of one tenant. A part is null when its flow's status view is not there. */
export interface TenantSummary {
  tenantId: string;
  name: string;
  enabled: boolean;
  authorised: boolean;
  notAuthorisedReason: string | null;
  hasMapping: boolean;
  settlements: { failed: number; missing: number; pending: number; posted: number } | null;
  invoicesFailing: number | null;
  customersFailing: number | null;
  articlesFailing: number | null;
  parkedEvents: number;
  apiErrorsLastDay: number;
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** Why a tenant needs someone, most urgent first; empty when nothing failed and nothing is missing. */
export function attentionReasons(s: TenantSummary): string[] {
  const reasons: string[] = [];
  if (!s.authorised)
    reasons.push(`not authorised in PowerOffice${s.notAuthorisedReason ? `: ${s.notAuthorisedReason}` : ''}`);
  if (s.settlements?.failed) reasons.push(plural(s.settlements.failed, 'settlement failed', 'settlements failed'));
  if (s.settlements?.missing) reasons.push(plural(s.settlements.missing, 'settlement missing', 'settlements missing'));
  if (s.invoicesFailing) reasons.push(plural(s.invoicesFailing, 'invoice rejected', 'invoices rejected'));
  if (s.customersFailing) reasons.push(plural(s.customersFailing, 'customer failing', 'customers failing'));
  if (s.articlesFailing) reasons.push(plural(s.articlesFailing, 'article failing', 'articles failing'));
  if (s.parkedEvents) reasons.push(plural(s.parkedEvents, 'parked event', 'parked events'));
  if (!s.hasMapping) reasons.push('no account mapping');
  return reasons;
}

/** How much is wrong, for ordering: failures and missing days weigh most. */
function problemWeight(s: TenantSummary): number {
  return (
    (s.authorised ? 0 : 1000) +
    10 * ((s.settlements?.failed ?? 0) + (s.settlements?.missing ?? 0) + (s.invoicesFailing ?? 0)) +
    (s.customersFailing ?? 0) +
    (s.articlesFailing ?? 0) +
    s.parkedEvents +
    (s.hasMapping ? 0 : 1)
  );
}

export interface OverviewEntry extends TenantSummary {
  needsAttention: boolean;
  reasons: string[];
}

/** The shop-wide overview: tenants with anything failed or missing first (worst first), then by name. */
export function overview(summaries: readonly TenantSummary[]): OverviewEntry[] {
  return summaries
    .map((s) => {
      const reasons = attentionReasons(s);
      return { ...s, needsAttention: reasons.length > 0, reasons, weight: problemWeight(s) };
    })
    .sort(
      (a, b) =>
        Number(b.needsAttention) - Number(a.needsAttention) ||
        b.weight - a.weight ||
        a.name.localeCompare(b.name, 'nb') ||
        a.tenantId.localeCompare(b.tenantId),
    )
    .map(({ weight: _weight, ...entry }) => entry);
}
