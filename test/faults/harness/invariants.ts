import { outcomeId, POS_EVENT_TYPES, type PosEventType } from '@lib/contracts';
import type { ObservedDeadLetter, ObservedOutcome } from './observer';
import type { Ledger, TenantLoad } from './pos-load';

/**
 * The promises of the integration, checked from the outside: from the records on the outcome and
 * dead-letter topics and from PowerOffice's own state. Pure functions over what was observed, so
 * each check can be shown to catch what it claims to (invariants.unit.spec.ts).
 */

/** How a hostile record must be answered. */
export type HostileExpectation =
  /** A failure outcome with this code (and a dead letter). `field`: a problem in `details` names it. */
  | { kind: 'failure'; code: string; field?: string }
  /** No tenant and entity can be read to address an outcome to: parked on the dead-letter topic only. */
  | { kind: 'parked'; code: string }
  /** Valid as the contract says (e.g. extra fields): processed like any event. */
  | { kind: 'success' };

/** One record the suite produced to a POS topic. */
export interface ProducedEvent {
  /** The event id the pipeline uses: the record's ce_id, or the id derived from its position. */
  eventId: string;
  tenantId: string;
  type: PosEventType;
  topic: string;
  partition: number;
  offset: string;
  role: 'load' | 'neighbour' | 'hostile' | 'probe';
  /** For hostile records: the input class (report row) and what must happen. */
  hostileClass?: string;
  expectation?: HostileExpectation;
  /**
   * An older version of a customer or article delivered after a newer one (out of order). It may be
   * answered either way; what counts is that PowerOffice ends with the newest version.
   */
  stale?: boolean;
  /** The very same record (same ce_id) was produced a second time, at a later offset. */
  deliveredTwice?: boolean;
}

export interface CheckResult {
  id: string;
  title: string;
  passed: boolean;
  /** How many things were checked (events, objects, accounts…). */
  checked: number;
  violations: string[];
}

function result(id: string, title: string, checked: number, violations: string[]): CheckResult {
  return { id, title, passed: violations.length === 0, checked, violations };
}

type OutcomeEnvelope = NonNullable<ObservedOutcome['envelope']>;

/** Outcomes of each cause, in the order they were published (one cause's outcomes share a partition). */
export function outcomesByCause(outcomes: readonly ObservedOutcome[]): Map<string, ObservedOutcome[]> {
  const byCause = new Map<string, ObservedOutcome[]>();
  for (const o of outcomes) {
    const cause = o.envelope?.causationId;
    if (!cause) continue;
    const list = byCause.get(cause) ?? [];
    list.push(o);
    byCause.set(cause, list);
  }
  for (const list of byCause.values()) list.sort((a, b) => Number(BigInt(a.record.offset) - BigInt(b.record.offset)));
  return byCause;
}

const SUCCESS_FINAL = new Set(['CustomerSynced', 'ArticleSynced', 'SettlementPosted', 'InvoiceTransferred']);
const FAILURE_FINAL = new Set(['CustomerSyncFailed', 'ArticleSyncFailed', 'SettlementFailed', 'InvoiceRejected']);

/**
 * Whether an outcome ends its event: SettlementScheduled does not, and neither does the Z-gap
 * warning the settlement publishes beside a schedule (a SettlementFailed whose id is derived with
 * the `z-gap` discriminator, also after redrives).
 */
export function isFinal(o: OutcomeEnvelope): boolean {
  if (SUCCESS_FINAL.has(o.type)) return true;
  if (!FAILURE_FINAL.has(o.type)) return false;
  if (o.type === 'SettlementFailed' && o.causationId) {
    for (const d of ['z-gap', 'z-gap/redrive:1', 'z-gap/redrive:2', 'z-gap/redrive:3']) {
      if (o.id === outcomeId(o.causationId, 'SettlementFailed', d)) return false;
    }
  }
  return true;
}

export function isSuccess(o: OutcomeEnvelope): boolean {
  return SUCCESS_FINAL.has(o.type);
}

/** The distinct final outcomes of one cause (a republished outcome has the same id and counts once). */
export function finalOutcomes(list: readonly ObservedOutcome[]): OutcomeEnvelope[] {
  const byId = new Map<string, OutcomeEnvelope>();
  for (const o of list)
    if (o.envelope && isFinal(o.envelope) && !byId.has(o.envelope.id)) byId.set(o.envelope.id, o.envelope);
  return [...byId.values()];
}

/**
 * Every input event has exactly one final outcome per processing of it: one, plus one for each time
 * the suite (as the operator) sent it again after a failure (redrive / resend). Valid events end in
 * success; the outcome answers the event's own tenant.
 */
export function checkOneFinalOutcome(
  produced: readonly ProducedEvent[],
  outcomes: readonly ObservedOutcome[],
  recoveries: ReadonlyMap<string, number>,
): CheckResult {
  const byCause = outcomesByCause(outcomes);
  const violations: string[] = [];
  const events = new Map<string, ProducedEvent>();
  for (const p of produced) if (!events.has(p.eventId)) events.set(p.eventId, p);
  for (const p of events.values()) {
    if (p.expectation?.kind === 'parked') continue; // no tenant to answer: checked by checkHostileAnswered
    const finals = finalOutcomes(byCause.get(p.eventId) ?? []);
    const expected = 1 + (recoveries.get(p.eventId) ?? 0);
    const what = `${p.type} ${p.eventId} (tenant ${p.tenantId}, ${p.role}${p.hostileClass ? ` ${p.hostileClass}` : ''})`;
    if (finals.length !== expected) {
      const why =
        p.deliveredTwice && finals.length > expected && !isSuccess(finals[0]!)
          ? ' — the event was delivered twice (same ce_id) and its first run had failed: the copy was processed again as if redriven'
          : '';
      violations.push(
        `${what}: ${finals.length} final outcome(s) [${finals.map((f) => f.type).join(', ')}], expected ${expected}${why}`,
      );
      continue;
    }
    for (const f of finals) {
      if (f.tenantId !== p.tenantId) violations.push(`${what}: outcome ${f.id} answers tenant ${f.tenantId}`);
      const route = POS_EVENT_TYPES[p.type];
      if (![...route.successTypes, route.failureType].includes(f.type as never))
        violations.push(`${what}: outcome type ${f.type} does not belong to ${p.type}`);
    }
    const last = finals[finals.length - 1]!;
    const mustSucceed = (p.role !== 'hostile' || p.expectation?.kind === 'success') && !p.stale;
    if (mustSucceed && !isSuccess(last)) {
      const error = (last.data as { error?: { code?: string; message?: string } }).error;
      violations.push(`${what}: ends in ${last.type} ${error?.code ?? ''}: ${error?.message ?? ''}`.slice(0, 600));
    }
  }
  return result(
    'one-final-outcome',
    'Every input event has exactly one final outcome (per cause id)',
    events.size,
    violations,
  );
}

/** Every record on the outcome topics keeps the contract and answers an event the suite produced. */
export function checkOutcomesWellFormed(
  outcomes: readonly ObservedOutcome[],
  produced: readonly ProducedEvent[],
): CheckResult {
  const ids = new Set(produced.map((p) => p.eventId));
  const violations: string[] = [];
  let checked = 0;
  for (const o of outcomes) {
    if (o.envelope?.type === 'PowerOfficeCustomerChanged') continue;
    checked++;
    const at = `${o.record.topic}/${o.record.partition}@${o.record.offset}`;
    if (!o.envelope) violations.push(`${at}: breaks the contract: ${o.problem}`);
    else if (!o.envelope.causationId || !ids.has(o.envelope.causationId))
      violations.push(
        `${at}: ${o.envelope.type} answers an event nobody sent (${o.envelope.causationId ?? 'no causation id'})`,
      );
  }
  return result(
    'outcomes-well-formed',
    'Every outcome keeps the contract and answers a real event',
    checked,
    violations,
  );
}

/** What PowerOffice holds for one tenant (the emulator's admin state, as PowerOffice DTOs). */
export interface TenantState {
  customers: Record<string, unknown>[];
  products: Record<string, unknown>[];
  vouchers: Record<string, unknown>[];
  accountTransactions: Record<string, unknown>[];
}

/** What the suite sent for one tenant that must be in PowerOffice (load and hostile neighbours). */
export interface TenantExpectation {
  load: TenantLoad;
  /** Outcomes of this tenant (to map each entity to the PowerOffice object it reports). */
  outcomes: OutcomeEnvelope[];
}

const text = (v: unknown): string => (typeof v === 'string' ? v : '');

/**
 * PowerOffice holds exactly one object per POS customer, article, Z-report and invoice, with the
 * content of the newest version (whatever order the versions arrived in), and nothing else.
 */
export function checkOneObjectPerEntity(
  expectations: ReadonlyMap<string, TenantExpectation>,
  states: ReadonlyMap<string, TenantState>,
): CheckResult {
  const violations: string[] = [];
  let checked = 0;
  for (const [tenantId, { load, outcomes }] of expectations) {
    const state = states.get(tenantId);
    if (!state) {
      violations.push(`${tenantId}: no PowerOffice state read`);
      continue;
    }
    // Customers: one per POS customer, named as its newest version.
    for (const c of load.customers) {
      checked++;
      const newest = c.versions[c.versions.length - 1]!;
      const matches = state.customers.filter((x) => text(x.Name) === newest.name);
      if (matches.length !== 1)
        violations.push(
          `${tenantId} customer ${c.customerId}: ${matches.length} PowerOffice customer(s) named "${newest.name}"`,
        );
      const reported = new Set(
        outcomes
          .filter((o) => o.type === 'CustomerSynced' && (o.data as { customerId?: string }).customerId === c.customerId)
          .map((o) => (o.data as { powerOffice: { customerId: number } }).powerOffice.customerId),
      );
      if (reported.size !== 1)
        violations.push(
          `${tenantId} customer ${c.customerId}: outcomes report ${reported.size} different PowerOffice customers`,
        );
      else if (matches.length === 1 && !reported.has(Number(matches[0]!.Id)))
        violations.push(
          `${tenantId} customer ${c.customerId}: outcome reports PowerOffice customer ${[...reported][0]}, state holds ${String(matches[0]!.Id)}`,
        );
    }
    if (state.customers.length !== load.customers.length)
      violations.push(
        `${tenantId}: ${state.customers.length} customers in PowerOffice, ${load.customers.length} POS customers`,
      );
    // Products: one per article code, named as its newest version.
    for (const a of load.articles) {
      checked++;
      const newest = a.versions[a.versions.length - 1]!;
      const withCode = state.products.filter((x) => text(x.Code) === a.code);
      if (withCode.length !== 1)
        violations.push(
          `${tenantId} article ${a.articleId}: ${withCode.length} PowerOffice product(s) with code ${a.code}`,
        );
      else if (text(withCode[0]!.Name) !== newest.name)
        violations.push(
          `${tenantId} article ${a.articleId}: product is named "${text(withCode[0]!.Name)}", the newest version says "${newest.name}"`,
        );
    }
    if (state.products.length !== load.articles.length)
      violations.push(
        `${tenantId}: ${state.products.length} products in PowerOffice, ${load.articles.length} POS articles`,
      );
    // Vouchers: one cash-journal voucher per Z-report, one outgoing-invoice voucher per invoice, as reported.
    const cash = state.vouchers.filter((v) => text(v.VoucherType) === 'CashJournal');
    const invoices = state.vouchers.filter((v) => text(v.VoucherType) === 'OutgoingInvoice');
    const posted = outcomes.filter((o) => o.type === 'SettlementPosted');
    const transferred = outcomes.filter((o) => o.type === 'InvoiceTransferred');
    for (const z of load.zReports) {
      checked++;
      const ids = new Set(
        posted
          .filter(
            (o) =>
              (o.data as { registerId?: string }).registerId === z.registerId &&
              (o.data as { zNumber?: number }).zNumber === z.zNumber,
          )
          .map((o) => (o.data as { powerOffice: { voucherId: string } }).powerOffice.voucherId),
      );
      if (ids.size !== 1)
        violations.push(`${tenantId} Z ${z.zNumber} of ${z.registerId}: reported as ${ids.size} different vouchers`);
      else if (!cash.some((v) => v.Id === [...ids][0]))
        violations.push(`${tenantId} Z ${z.zNumber} of ${z.registerId}: voucher ${[...ids][0]} is not in PowerOffice`);
    }
    if (cash.length !== load.zReports.length)
      violations.push(
        `${tenantId}: ${cash.length} cash-journal vouchers in PowerOffice for ${load.zReports.length} Z-reports`,
      );
    for (const inv of load.invoices) {
      checked++;
      const ids = new Set(
        transferred
          .filter((o) => (o.data as { invoiceId?: string }).invoiceId === inv.invoiceId)
          .map((o) => (o.data as { powerOffice: { voucherId?: string } }).powerOffice.voucherId),
      );
      if (ids.size !== 1)
        violations.push(`${tenantId} invoice ${inv.invoiceNumber}: reported as ${ids.size} different vouchers`);
      else if (!invoices.some((v) => v.Id === [...ids][0]))
        violations.push(`${tenantId} invoice ${inv.invoiceNumber}: voucher ${[...ids][0]} is not in PowerOffice`);
    }
    if (invoices.length !== load.invoices.length)
      violations.push(
        `${tenantId}: ${invoices.length} invoice vouchers in PowerOffice for ${load.invoices.length} invoices`,
      );
    const reversed = state.vouchers.filter(
      (v) => v.ReversalOfVoucherId || v.ReversedByVoucherId || v.IsReversed === true,
    );
    if (reversed.length > 0)
      violations.push(`${tenantId}: ${reversed.length} reversed voucher(s), though no correction was sent`);
  }
  return result(
    'one-object-per-entity',
    'PowerOffice holds exactly one object per POS customer, article, Z-report and invoice',
    checked,
    violations,
  );
}

const toOre = (nok: unknown): number => Math.round(Number(nok) * 100);

/** Every voucher's lines, and its rows in the ledger, add up to zero. */
export function checkVouchersBalance(states: ReadonlyMap<string, TenantState>): CheckResult {
  const violations: string[] = [];
  let checked = 0;
  for (const [tenantId, state] of states) {
    const ledgerByVoucher = new Map<string, number>();
    for (const t of state.accountTransactions) {
      const id = String(t.VoucherId);
      ledgerByVoucher.set(id, (ledgerByVoucher.get(id) ?? 0) + toOre(t.Amount));
    }
    for (const v of state.vouchers) {
      checked++;
      const lines = (v.VoucherLines as Record<string, unknown>[] | undefined) ?? [];
      const lineSum = lines.reduce((s, l) => s + toOre(l.CurrencyAmount ?? l.Amount), 0);
      if (lines.length > 0 && lineSum !== 0)
        violations.push(`${tenantId} voucher ${String(v.VoucherNo)}: lines add up to ${lineSum} øre`);
      const ledgerSum = ledgerByVoucher.get(String(v.Id));
      if (ledgerSum === undefined) violations.push(`${tenantId} voucher ${String(v.VoucherNo)}: no ledger rows`);
      else if (ledgerSum !== 0)
        violations.push(`${tenantId} voucher ${String(v.VoucherNo)}: ledger rows add up to ${ledgerSum} øre`);
    }
  }
  return result('vouchers-balance', 'Every voucher balances (lines and ledger rows sum to 0 øre)', checked, violations);
}

/** The ledger per tenant, day and account (from AccountTransactions) equals what the Z-reports and invoices imply. */
export function checkLedger(
  expected: ReadonlyMap<string, Ledger>,
  states: ReadonlyMap<string, TenantState>,
): CheckResult {
  const violations: string[] = [];
  let checked = 0;
  for (const [tenantId, want] of expected) {
    const actual: Ledger = new Map();
    for (const t of states.get(tenantId)?.accountTransactions ?? []) {
      const date = text(t.VoucherDate).slice(0, 10);
      const day = actual.get(date) ?? new Map<number, number>();
      day.set(Number(t.AccountNo), (day.get(Number(t.AccountNo)) ?? 0) + toOre(t.Amount));
      actual.set(date, day);
    }
    for (const day of actual.values()) for (const [account, ore] of day) if (ore === 0) day.delete(account);
    const dates = new Set([...want.keys(), ...actual.keys()]);
    for (const date of [...dates].sort()) {
      const w = want.get(date) ?? new Map<number, number>();
      const a = actual.get(date) ?? new Map<number, number>();
      for (const account of [...new Set([...w.keys(), ...a.keys()])].sort((x, y) => x - y)) {
        checked++;
        const exp = w.get(account) ?? 0;
        const got = a.get(account) ?? 0;
        if (exp !== got)
          violations.push(`${tenantId} ${date} account ${account}: ledger ${got} øre, the events imply ${exp} øre`);
      }
    }
  }
  return result(
    'ledger-matches-events',
    "Each day's ledger per tenant equals its Z-reports and invoices (per account, to the øre)",
    checked,
    violations,
  );
}

/**
 * No tenant's data in another tenant's PowerOffice: every customer and product of a tenant carries
 * that tenant's marker, and every voucher there is one its own outcomes reported.
 */
export function checkTenantIsolation(
  expectations: ReadonlyMap<string, TenantExpectation>,
  states: ReadonlyMap<string, TenantState>,
): CheckResult {
  const violations: string[] = [];
  let checked = 0;
  for (const [tenantId, { load, outcomes }] of expectations) {
    const state = states.get(tenantId);
    if (!state) continue;
    const own = (s: string) => s.includes(load.marker);
    for (const c of state.customers) {
      checked++;
      if (!own(text(c.Name))) violations.push(`${tenantId}: customer "${text(c.Name)}" is not this tenant's`);
    }
    for (const p of state.products) {
      checked++;
      if (!own(text(p.Code))) violations.push(`${tenantId}: product ${text(p.Code)} is not this tenant's`);
    }
    const reported = new Set(
      outcomes.map((o) => (o.data as { powerOffice?: { voucherId?: string } }).powerOffice?.voucherId).filter(Boolean),
    );
    for (const v of state.vouchers) {
      checked++;
      if (!reported.has(String(v.Id)))
        violations.push(
          `${tenantId}: voucher ${String(v.VoucherNo)} (${String(v.Id)}) was reported by none of this tenant's outcomes`,
        );
    }
  }
  return result(
    'tenant-isolation',
    "No tenant's data reaches another tenant's PowerOffice client",
    checked,
    violations,
  );
}

/**
 * Each hostile record is answered as its class demands: a clear failure outcome (code, and the
 * offending field named in `details`) and a dead letter; or, with no tenant to answer, a dead letter
 * with the error headers; or, when the contract allows it, normal processing.
 */
export function checkHostileAnswered(
  produced: readonly ProducedEvent[],
  outcomes: readonly ObservedOutcome[],
  deadLetters: readonly ObservedDeadLetter[],
): CheckResult {
  const byCause = outcomesByCause(outcomes);
  const violations: string[] = [];
  const hostile = produced.filter((p) => p.role === 'hostile');
  for (const p of hostile) {
    const what = `${p.hostileClass} (${p.topic.split('.').slice(-3).join('.')}@${p.partition}/${p.offset})`;
    const finals = finalOutcomes(byCause.get(p.eventId) ?? []);
    const dead = deadLetters.filter(
      (d) => d.originalTopic === p.topic && d.originalPartition === p.partition && d.originalOffset === p.offset,
    );
    const e = p.expectation!;
    if (e.kind === 'success') {
      if (finals.length !== 1 || !isSuccess(finals[0]!))
        violations.push(
          `${what}: expected normal processing, got ${finals.map((f) => f.type).join(', ') || 'no outcome'}`,
        );
      if (dead.length > 0) violations.push(`${what}: dead-lettered although valid`);
      continue;
    }
    if (dead.length !== 1) violations.push(`${what}: ${dead.length} dead letter(s), expected 1`);
    else if (dead[0]!.errorCode !== e.code)
      violations.push(`${what}: dead letter says ${dead[0]!.errorCode}, expected ${e.code}`);
    else if (!dead[0]!.errorMessage.trim()) violations.push(`${what}: dead letter without an error message`);
    if (e.kind === 'parked') {
      if (finals.length > 0)
        violations.push(
          `${what}: answered with ${finals.map((f) => `${f.type} for ${f.tenantId}`).join(', ')} although no tenant can be read`,
        );
      continue;
    }
    if (finals.length !== 1) {
      violations.push(`${what}: ${finals.length} final outcome(s), expected one failure`);
      continue;
    }
    const error = (finals[0]!.data as { error?: { code?: string; message?: string; details?: unknown } }).error;
    if (isSuccess(finals[0]!) || error?.code !== e.code)
      violations.push(`${what}: answered ${finals[0]!.type} ${error?.code ?? ''}, expected ${e.code}`);
    else if (!error.message || error.message.length < 10)
      violations.push(`${what}: the failure says nothing useful ("${error.message ?? ''}")`);
    else if (e.field && !JSON.stringify(error.details ?? []).includes(e.field))
      violations.push(`${what}: details do not name ${e.field}: ${JSON.stringify(error.details).slice(0, 300)}`);
  }
  return result(
    'hostile-input-answered',
    'Malformed and hostile input: a clear failure outcome and a dead letter each',
    hostile.length,
    violations,
  );
}
