import type { ErrorCode, OutcomeError } from '@lib/contracts';
import type { CashJournalVoucherDraft, CashJournalVoucherLine } from './cash-journal-voucher';
import { formatNok } from './money';
import type { ZReportProblem } from './z-report-check';
import type { ZReportClosed } from './z-report';

/**
 * Where one Z-report is on its way into the books:
 * - `scheduled`: checked, voucher built, waiting for `postAt`;
 * - `posting`: a poster has claimed it and is talking to PowerOffice;
 * - `posted`: its voucher is in PowerOffice (`poVoucherId`);
 * - `failed`: it cannot be posted until someone acts (mapping, lock date, PowerOffice's rejection);
 * - `reversed`: the voucher that was in the books for this Z was reversed to make room for a
 *   correction or repost, and the replacement was then rejected: nothing is in the books for it now.
 */
export type SettlementState = 'scheduled' | 'posting' | 'posted' | 'failed' | 'reversed';

/** A voucher line with the tenant's PowerOffice ids resolved. */
export interface ResolvedVoucherLine extends CashJournalVoucherLine {
  accountId: number;
  vatId: number;
  departmentId?: number;
}

/** The voucher as it is sent: the domain's draft with PowerOffice ids. */
export interface ResolvedCashJournalVoucher extends Omit<CashJournalVoucherDraft, 'lines'> {
  lines: ResolvedVoucherLine[];
}

/** A voucher in PowerOffice. */
export interface VoucherRef {
  voucherId: string;
  voucherNo?: number;
}

/** What the decisions here need to know about a stored settlement. */
export interface SettlementSnapshot {
  state: SettlementState;
  contentHash: string;
  registerId: string;
  zNumber: number;
  businessDate: string;
  postAt: Date | null;
  voucher: ResolvedCashJournalVoucher | null;
  /** The voucher in the books for this Z now. */
  posted: VoucherRef | null;
  /** The voucher the latest posting reversed (a correction or repost), if any. */
  reversed: VoucherRef | null;
  error: OutcomeError | null;
}

/**
 * How a Z-report that arrives relates to what is stored under the same tenant, register and Z:
 * - `new`: nothing stored;
 * - `repeat`: the same content again (a resend by the POS, a second import): nothing changes;
 * - `busy`: a corrected report while the stored one is being posted: wait for that post to end;
 * - `correction`: different content under the same Z number.
 */
export type Arrival<S extends SettlementSnapshot = SettlementSnapshot> =
  { kind: 'new' } | { kind: 'repeat'; stored: S } | { kind: 'busy'; stored: S } | { kind: 'correction'; stored: S };

export function classifyArrival<S extends SettlementSnapshot>(stored: S | null, contentHash: string): Arrival<S> {
  if (!stored) return { kind: 'new' };
  if (stored.contentHash === contentHash) return { kind: 'repeat', stored };
  if (stored.state === 'posting') return { kind: 'busy', stored };
  return { kind: 'correction', stored };
}

/** An outcome of this flow, as a handler returns it or a job publishes it. */
export type SettlementOutcome =
  | { type: 'SettlementScheduled'; data: ScheduledData }
  | { type: 'SettlementPosted'; data: PostedData }
  | { type: 'SettlementFailed'; data: FailedData };

interface ReportIds {
  registerId: string;
  zNumber: number;
  businessDate: string;
}

export interface ScheduledData extends ReportIds {
  postAt: string;
  /** A correction or repost: the voucher now in the books, to be reversed before the new one is posted. */
  replaces?: VoucherRef;
}

export interface PostedData extends ReportIds {
  powerOffice: VoucherRef;
  totals: { debit: number; credit: number };
  /** The voucher replaced an earlier one for the same Z (a correction or repost). */
  corrected?: true;
  reversedVoucherId?: string;
  reversedVoucherNo?: number;
}

export interface FailedData extends ReportIds {
  error: OutcomeError;
}

function idsOf(s: Pick<SettlementSnapshot, 'registerId' | 'zNumber' | 'businessDate'>): ReportIds {
  return { registerId: s.registerId, zNumber: s.zNumber, businessDate: s.businessDate };
}

export function scheduledOutcome(
  s: Pick<SettlementSnapshot, 'registerId' | 'zNumber' | 'businessDate' | 'posted'>,
  postAt: Date,
): SettlementOutcome {
  const data: ScheduledData = { ...idsOf(s), postAt: postAt.toISOString() };
  if (s.posted) data.replaces = { ...s.posted };
  return { type: 'SettlementScheduled', data };
}

export function postedOutcome(
  s: Pick<SettlementSnapshot, 'registerId' | 'zNumber' | 'businessDate' | 'reversed'>,
  voucher: VoucherRef,
  totals: { debit: number; credit: number },
): SettlementOutcome {
  const data: PostedData = { ...idsOf(s), powerOffice: compactRef(voucher), totals: { ...totals } };
  if (s.reversed) {
    data.corrected = true;
    data.reversedVoucherId = s.reversed.voucherId;
    if (s.reversed.voucherNo !== undefined) data.reversedVoucherNo = s.reversed.voucherNo;
  }
  return { type: 'SettlementPosted', data };
}

export function failedOutcome(
  s: Pick<SettlementSnapshot, 'registerId' | 'zNumber' | 'businessDate'>,
  error: OutcomeError,
): SettlementOutcome {
  return { type: 'SettlementFailed', data: { ...idsOf(s), error } };
}

/**
 * The answer to a report that arrives again unchanged: where the earlier one is. Posting in
 * progress reads as scheduled (the SettlementPosted follows).
 */
export function answerForStoredState(s: SettlementSnapshot): SettlementOutcome {
  switch (s.state) {
    case 'scheduled':
    case 'posting':
      return scheduledOutcome(s, s.postAt ?? new Date(0));
    case 'posted':
      if (!s.posted || !s.voucher)
        throw new Error(`settlement Z ${s.zNumber} of ${s.registerId} is posted without a voucher`);
      return postedOutcome(s, s.posted, s.voucher.totals);
    case 'failed':
    case 'reversed':
      return failedOutcome(
        s,
        s.error ?? {
          code: 'POWEROFFICE_REJECTED',
          message: `Z ${s.zNumber} of register ${s.registerId} failed earlier.`,
          retryable: false,
        },
      );
  }
}

function compactRef(ref: VoucherRef): VoucherRef {
  return ref.voucherNo === undefined
    ? { voucherId: ref.voucherId }
    : { voucherId: ref.voucherId, voucherNo: ref.voucherNo };
}

/**
 * The failure for a report whose own numbers disagree (pos-domain §9): every error-level problem,
 * with the numbers in `details` so the accountant can compare with the printed Z. Null when the
 * report may be posted (warnings only).
 */
export function identityFailure(report: ZReportClosed, problems: readonly ZReportProblem[]): OutcomeError | null {
  const errors = problems.filter((p) => p.severity === 'error');
  if (errors.length === 0) return null;
  return {
    code: 'IDENTITY_MISMATCH',
    message:
      `Z ${report.zNumber} of register ${report.registerId} (${report.businessDate}) is not posted: ` +
      `${errors.map((p) => p.message).join('; ')}. ` +
      'Correct the Z-report in the POS and send it again; nothing was booked for this day.',
    retryable: false,
    details: errors.map(({ message: _message, severity: _severity, ...numbers }) => numbers),
  };
}

/**
 * The warning for Z numbers missing before this report. The report itself is still posted: its
 * voucher is right on its own, and holding it back would only add a second missing day to the
 * books. The failure outcome makes the missing Z visible to Open One and the operators.
 */
export function zGapFailure(report: ZReportClosed, problems: readonly ZReportProblem[]): OutcomeError | null {
  const gap = problems.find((p) => p.kind === 'Z_NUMBER_GAP');
  if (!gap || gap.kind !== 'Z_NUMBER_GAP') return null;
  const count = gap.missingTo - gap.missingFrom + 1;
  return {
    code: 'Z_NUMBER_GAP',
    message:
      `${gap.message} (${count} Z-report${count === 1 ? '' : 's'} never arrived). Z ${report.zNumber} itself is posted as usual; ` +
      'send the missing Z-report(s) from the POS so their days reach the books too.',
    retryable: false,
    details: {
      registerId: report.registerId,
      previousZNumber: gap.previousZNumber,
      zNumber: gap.zNumber,
      missingFrom: gap.missingFrom,
      missingTo: gap.missingTo,
    },
  };
}

/** An account, VAT code or department the voucher needs but the tenant's PowerOffice lacks (or a key nobody mapped). */
export interface MappingGap {
  key: string;
  account: number | null;
  problem: string;
}

/** MAPPING_MISSING naming every gap at once, so the operator fixes the mapping in one go. */
export function mappingFailure(
  tenantId: string,
  report: Pick<ZReportClosed, 'registerId' | 'zNumber' | 'businessDate'>,
  gaps: readonly MappingGap[],
): OutcomeError {
  const described = gaps.map((g) =>
    g.account === null ? `${g.key}: ${g.problem}` : `${g.key} ${g.account}: ${g.problem}`,
  );
  return {
    code: 'MAPPING_MISSING',
    message:
      `Z ${report.zNumber} of register ${report.registerId} (${report.businessDate}) cannot be posted for tenant ${tenantId}: ` +
      `${described.join('; ')}. Fix the account mapping (or create the account in PowerOffice and refresh the reference data), ` +
      'then resend the settlement.',
    retryable: false,
    details: gaps.map((g) => ({ ...g })),
  };
}

export function unbalancedFailure(
  report: Pick<ZReportClosed, 'registerId' | 'zNumber' | 'businessDate'>,
  debit: number,
  credit: number,
  message: string,
): OutcomeError {
  return {
    code: 'UNBALANCED',
    message: `${message}. Nothing was posted; correct the Z-report in the POS and send it again.`,
    retryable: false,
    details: { debit, credit, difference: debit - credit, debitNok: formatNok(debit), creditNok: formatNok(credit) },
  };
}

/** How the poster retries a settlement PowerOffice could not take right now. */
export interface PostingRetryPolicy {
  /** Posting attempts in all, the first included. */
  maxAttempts: number;
  /** Wait after the first failed attempt; doubles with each further one. */
  baseDelayMs: number;
  maxDelayMs: number;
}

/**
 * When to try a settlement again after a transient failure (`attempts` made so far), or null when
 * the attempts are used up. No jitter: the shared API budget already spreads a night's retries.
 */
export function nextPostingAttempt(
  attempts: number,
  now: Date,
  policy: PostingRetryPolicy,
  retryAfterMs?: number,
): Date | null {
  if (attempts >= policy.maxAttempts) return null;
  const backoff = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempts - 1));
  return new Date(now.getTime() + Math.max(backoff, retryAfterMs ?? 0));
}

/** The failure once the attempts are used up, keeping PowerOffice's last words. */
export function retriesExhausted(
  s: Pick<SettlementSnapshot, 'registerId' | 'zNumber' | 'businessDate'>,
  attempts: number,
  last: OutcomeError,
): OutcomeError {
  const error: OutcomeError = {
    code: 'RETRIES_EXHAUSTED',
    message:
      `Z ${s.zNumber} of register ${s.registerId} (${s.businessDate}) was not posted after ${attempts} attempt(s). ` +
      `Last error: ${last.message} Resend the settlement once PowerOffice answers again.`,
    retryable: true,
    details: { attempts, lastErrorCode: last.code },
  };
  if (last.powerOffice) error.powerOffice = last.powerOffice;
  return error;
}

/** Failure codes the poster reports as they are; anything else PowerOffice refuses is POWEROFFICE_REJECTED. */
const POSTING_FAILURE_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'PERIOD_LOCKED',
  'POWEROFFICE_REJECTED',
  'TENANT_NOT_AUTHORISED',
  'TENANT_UNKNOWN',
  'MAPPING_MISSING',
  'UNBALANCED',
]);

/** A permanent error from posting, as the outcome reports it (PowerOffice's message kept verbatim). */
export function postingFailure(error: OutcomeError): OutcomeError {
  return POSTING_FAILURE_CODES.has(error.code) ? error : { ...error, code: 'POWEROFFICE_REJECTED' };
}

/** The ledger rows the lookup reads: enough to recognise our voucher by its reference. */
export interface LedgerRow {
  voucherId: string;
  voucherNo: number;
  amount: number;
  externalImportReference?: string | null;
  isReversed?: boolean | null;
}

export type VoucherLookup =
  | { found: false }
  | { found: true; voucher: VoucherRef }
  | { found: true; mismatch: { voucherId: string; voucherNo: number; debit: number; expectedDebit: number } };

/**
 * Finds the voucher an earlier attempt posted under `reference` among a day's ledger rows. Rows of
 * reversed vouchers do not count (their reference is free again). The voucher must carry the
 * debit total we meant to post: PowerOffice splits credit lines into net + VAT, but the debit
 * side (payment lines, VAT code 0) stays as sent, so its total identifies the content.
 */
export function findPostedVoucher(rows: readonly LedgerRow[], reference: string, expectedDebit: number): VoucherLookup {
  const ours = rows.filter((r) => r.externalImportReference === reference && !r.isReversed);
  if (ours.length === 0) return { found: false };
  const { voucherId, voucherNo } = ours[0]!;
  const debit = ours.filter((r) => r.voucherId === voucherId && r.amount > 0).reduce((sum, r) => sum + r.amount, 0);
  if (debit !== expectedDebit) return { found: true, mismatch: { voucherId, voucherNo, debit, expectedDebit } };
  return { found: true, voucher: { voucherId, voucherNo } };
}
