import { IntegrationError } from '@lib/contracts';
import type { DeadLetter } from '@lib/pipeline';
import type { Tenant } from '@lib/tenancy';
import { ConsoleError } from '../domain/console-errors';
import { errorResponse } from '../http/error-response';
import type { MappingCheck } from '../use-cases/account-mapping';
import type { StatusOverview, TenantStatus } from '../use-cases/read-status';
import type { ResyncProgress, ResyncReport } from '../use-cases/resync-tenant';

/** How the CLI writes: stdout for what the command did, stderr for progress and errors. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** Whether stderr is a terminal (progress redraws in place) or a log (one line per step). */
  interactive: boolean;
}

/** An error in words for the terminal, with each problem on its own line. */
export function describeError(err: unknown): string {
  const known = errorResponse(err);
  if (!known) return err instanceof Error ? err.message : String(err);
  const lines = [`${known.code ? `${known.code}: ` : ''}${known.message}`];
  for (const p of (known.problems ?? []) as Record<string, unknown>[]) {
    const where = p.key ?? p.field;
    const text = `  - ${where ?? ''}${p.account ? ` → ${p.account}` : ''}: ${p.problem ?? JSON.stringify(p)}`;
    if (!known.message.includes(text.slice(4))) lines.push(text);
  }
  const missing = (known.details as { missingPrivileges?: string[] } | undefined)?.missingPrivileges;
  if (missing?.length) lines.push(`  missing privileges: ${missing.join(', ')}`);
  return lines.join('\n');
}

export function isOperatorError(err: unknown): boolean {
  return err instanceof ConsoleError || err instanceof IntegrationError;
}

export function describeTenant(t: Tenant): string {
  return [
    `${t.id} — ${t.name} (org. no. ${t.organizationNumber})`,
    `  ${t.enabled ? 'enabled' : 'DISABLED'}, ${t.authorised ? 'authorised in PowerOffice' : `NOT AUTHORISED: ${t.notAuthorisedReason ?? ''}`}`,
    `  settlement ${t.settlementSchedule.mode === 'at' ? `at ${t.settlementSchedule.time} (Europe/Oslo)` : 'after end of day'}, invoices as ${t.invoiceMode}`,
    `  customer numbers: ${t.customerNumberSeries ? `${t.customerNumberSeries.name} ${t.customerNumberSeries.from}–${t.customerNumberSeries.to}` : 'no series'}`,
  ].join('\n');
}

export function describeMappingCheck(check: MappingCheck): string {
  const what = check.checked === 'stored' ? `the stored mapping${check.version ? ` (version ${check.version})` : ''}` : 'the given mapping';
  if (check.ok) return `${check.tenantId}: ${what} fits the PowerOffice chart of accounts.`;
  return [`${check.tenantId}: ${what} has ${check.problems.length} problem(s):`, ...check.problems.map((p) => `  - ${p.text}`)].join('\n');
}

const pad = (s: string, n: number) => (s.length >= n ? s : s + ' '.repeat(n - s.length));

export function describeOverview(o: StatusOverview): string {
  if (!o.tenants.length) return 'No tenants yet (add one: cli tenant add --id … --name … --org … --client-key …).';
  const missing = Object.entries(o.available).filter(([, ok]) => !ok).map(([k]) => k);
  const lines = o.tenants.map(
    (t) => `${pad(t.needsAttention ? 'ATTENTION' : 'ok', 10)}${pad(t.tenantId, 28)}${pad(t.name, 32)}${t.reasons.join('; ')}${t.enabled ? '' : ' [disabled]'}`,
  );
  if (missing.length) lines.push(`(not available — flow not deployed: ${missing.join(', ')})`);
  return lines.join('\n');
}

export function describeTenantStatus(s: TenantStatus): string {
  const lines = [describeTenant(s.tenant), `  mapping: ${s.mapping ? `version ${s.mapping.version} by ${s.mapping.updatedBy}` : 'NOT SET'}`, ''];
  lines.push('Settlements:');
  if (!s.settlements.available) lines.push(`  not available: ${s.settlements.reason}`);
  else if (!s.settlements.days.length) lines.push('  no Z-reports yet');
  else
    for (const day of s.settlements.days) {
      lines.push(`  ${day.businessDate}  ${day.health.toUpperCase()}`);
      for (const r of day.registers) {
        const detail = r.state === 'posted' ? `voucher ${r.voucherNo ?? r.voucherId ?? ''}` : r.state === 'scheduled' ? `posts ${r.postAt ?? ''}` : (r.errorMessage ?? '');
        lines.push(`    ${pad(r.registerId, 10)} Z ${pad(String(r.zNumber ?? '-'), 8)} ${pad(r.state, 10)} ${r.errorCode && r.state !== 'posted' ? `${r.errorCode}: ` : ''}${detail}`);
      }
    }
  lines.push('Invoices:');
  if (!s.invoices.available) lines.push(`  not available: ${s.invoices.reason}`);
  else {
    lines.push(`  ${Object.entries(s.invoices.counts.byState).map(([k, v]) => `${k} ${v}`).join(', ') || 'none'}`);
    for (const i of s.invoices.items.filter((x) => x.errorCode)) lines.push(`    ${i.invoiceNumber ?? i.invoiceId} ${i.state}: ${i.errorCode} ${i.errorMessage ?? ''}`);
  }
  for (const [title, part] of [['Customers', s.customers], ['Articles', s.articles]] as const) {
    lines.push(`${title}:`);
    if (!part.available) lines.push(`  not available: ${part.reason}`);
    else {
      lines.push(`  ${Object.entries(part.counts.byState).map(([k, v]) => `${k} ${v}`).join(', ') || 'none'}`);
      for (const f of part.failing as { customerId?: string; articleId?: string; errorCode: string | null; errorMessage: string | null }[])
        lines.push(`    ${f.customerId ?? f.articleId}: ${f.errorCode ?? ''} ${f.errorMessage ?? ''}`);
    }
  }
  lines.push(`Parked events: ${s.parkedEvents.count}`);
  for (const p of s.parkedEvents.items) lines.push(`  ${p.eventType ?? '?'} ${p.eventId} on ${p.topic}${p.redrivenAt ? ' (redriven)' : ''}: ${p.errorCode ?? ''} ${p.errorMessage ?? ''}`);
  lines.push(`PowerOffice calls since ${s.apiCalls.since}: ${s.apiCalls.total} (${s.apiCalls.byStatus.map((b) => `${b.status}: ${b.count}`).join(', ') || 'none'})`);
  for (const e of s.apiCalls.lastErrors) lines.push(`  ${e.at} ${e.method} ${e.path} → ${e.status ?? 'no answer'} ${e.errorTitle ?? ''} ${e.errorDetail ?? ''}`);
  return lines.join('\n');
}

export function describeDeadLetters(letters: DeadLetter[]): string {
  if (!letters.length) return 'No dead letters.';
  return letters
    .map((l) => `${pad(l.status, 11)}${l.eventId}  ${l.eventType ?? '?'}  ${l.key ?? ''}  ${l.errorCode}: ${l.errorMessage}  (${l.failedAt}, ${l.attempts} attempt(s))`)
    .join('\n');
}

/** `[███░░░░░░░] 3/10`: a bar for work whose size is known. */
export function bar(done: number, total: number, width = 24): string {
  const filled = total > 0 ? Math.round((Math.min(done, total) / total) * width) : 0;
  return `[${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${done}/${total}`;
}

/** Progress of a resync on stderr: redrawn in place on a terminal, one line per finished flow otherwise. */
export function resyncProgressPrinter(io: CliIo): (p: ResyncProgress) => void {
  return (p) => {
    const line = `${bar(p.finished ? p.step : p.step - 1, p.steps)} flows · ${p.flow}: seen ${p.seen}, changed ${p.changed}, unchanged ${p.unchanged}, failed ${p.failed}`;
    if (io.interactive) io.err(`\r${line}\x1b[K${p.finished && p.step === p.steps ? '\n' : ''}`);
    else if (p.finished) io.err(`${line}\n`);
  };
}

export function describeResync(r: ResyncReport): string {
  const lines = [
    `${r.mode === 'dry-run' ? 'Dry run (nothing changed)' : 'Resync'} of ${r.tenantId} since ${r.since}: seen ${r.seen}, changed ${r.changed}, unchanged ${r.unchanged}, failed ${r.failed}`,
  ];
  for (const f of r.flows) {
    lines.push(`  ${pad(f.flow, 14)} ${f.topics.join(', ')}: seen ${f.seen}, changed ${f.changed}, unchanged ${f.unchanged}, failed ${f.failed}${f.aborted ? ' (stopped)' : ''}`);
    for (const c of f.changes.slice(0, 20)) lines.push(`    ${r.mode === 'dry-run' ? 'would change' : 'changed'} ${c.eventType ?? ''} ${c.eventId}${c.change !== undefined ? ` ${JSON.stringify(c.change)}` : ''}`);
    for (const x of f.failures.slice(0, 20)) lines.push(`    failed ${x.eventType ?? ''} ${x.eventId}: ${x.error?.code ?? ''} ${x.error?.message ?? ''}`);
  }
  return lines.join('\n');
}
