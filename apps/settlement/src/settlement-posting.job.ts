import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { DataSource, type EntityManager } from 'typeorm';
import { buildOutcome, PermanentError, type OutcomeError } from '@lib/contracts';
import { classifyFailure, FlowRuntime, OutcomeOutbox } from '@lib/pipeline';
import { JsonLogger } from '@lib/platform';
import { PowerOfficeRejectedError, type NewCashVoucher, type PowerOfficeClient } from '@lib/poweroffice';
import { TenantService } from '@lib/tenancy';
import { installAfterCommit } from './after-commit';
import { SETTLEMENT_CLOCK, type SettlementClock } from './clock';
import {
  failedOutcome,
  findPostedVoucher,
  nextPostingAttempt,
  postedOutcome,
  postingFailure,
  retriesExhausted,
  type PostingRetryPolicy,
  type ResolvedCashJournalVoucher,
  type SettlementOutcome,
  type VoucherRef,
} from './domain/settlement';
import { SettlementConfig } from './settlement.config';
import { SettlementRepository, type ClaimedSettlement } from './settlement.repository';

/** What one `postDue` run did. */
export interface PostingSummary {
  posted: number;
  failed: number;
  /** Put back for a later attempt (PowerOffice unavailable, throttled …). */
  retrying: number;
  /** Claimed from a poster that had crashed, and looked up before posting again. */
  recovered: number;
}

const INTERVAL_NAME = 'settlement-post-due';

/**
 * The nightly job: posts every settlement that is due, through the tenant's PowerOffice client in
 * the settlement lane. Several instances may run it at once; each settlement is claimed by exactly
 * one (SELECT … FOR UPDATE SKIP LOCKED). Within an instance a few settlements are posted side by
 * side; the shared API budget paces the actual calls.
 *
 * Effectively once: the voucher carries a deterministic ExternalImportReference. A settlement
 * whose poster crashed mid-way is claimed again after its lease and looked up in PowerOffice
 * before it is created; a create that PowerOffice refuses because the reference is already in use
 * is looked up too. The state change and its outcome are committed together (OutcomeOutbox).
 */
@Injectable()
export class SettlementPoster implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly log: JsonLogger;
  private readonly policy: PostingRetryPolicy;
  private chain: Promise<unknown> = Promise.resolve();
  private busy = false;
  private stopped = false;
  private nudged = false;

  constructor(
    private readonly config: SettlementConfig,
    private readonly dataSource: DataSource,
    private readonly repo: SettlementRepository,
    private readonly tenants: TenantService,
    private readonly outbox: OutcomeOutbox,
    private readonly runtime: FlowRuntime,
    private readonly scheduler: SchedulerRegistry,
    @Inject(SETTLEMENT_CLOCK) private readonly clock: SettlementClock,
    log: JsonLogger,
  ) {
    this.log = log.child({ component: 'settlement-poster' });
    this.policy = {
      maxAttempts: config.SETTLEMENT_MAX_ATTEMPTS,
      baseDelayMs: config.SETTLEMENT_RETRY_BASE_MS,
      maxDelayMs: config.SETTLEMENT_RETRY_MAX_MS,
    };
    installAfterCommit(dataSource);
  }

  onApplicationBootstrap(): void {
    const every = this.config.SETTLEMENT_POLL_INTERVAL_MS;
    if (every > 0)
      this.scheduler.addInterval(
        INTERVAL_NAME,
        setInterval(() => this.tick(), every),
      );
  }

  /** Before the pipeline's relay and the database go: postings in flight finish and record their outcome. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.scheduler.doesExist('interval', INTERVAL_NAME)) this.scheduler.deleteInterval(INTERVAL_NAME);
    await this.chain.catch(() => undefined);
  }

  /** Something became due now (a report for an "after end of day" tenant, a resend): post it without waiting for the poll. */
  nudge(): void {
    if (this.busy) {
      this.nudged = true;
      return;
    }
    this.tick();
  }

  /**
   * Posts every settlement due at `now` (default: the clock's now). Runs one at a time per
   * instance; a call made while another runs waits for it, then runs with its own `now`.
   */
  postDue(now: Date = this.clock.now()): Promise<PostingSummary> {
    const run = this.chain.then(() => this.run(now));
    this.chain = run.catch(() => undefined);
    return run;
  }

  private tick(): void {
    if (this.busy || this.stopped) return;
    this.postDue().catch((err: Error) =>
      this.log.error('posting due settlements failed; the next poll tries again', {
        reason: err.message,
        stack: err.stack,
      }),
    );
  }

  private async run(now: Date): Promise<PostingSummary> {
    this.busy = true;
    const summary: PostingSummary = { posted: 0, failed: 0, retrying: 0, recovered: 0 };
    try {
      const workers = Array.from({ length: this.config.SETTLEMENT_POST_CONCURRENCY }, () => this.work(now, summary));
      await Promise.all(workers);
    } finally {
      this.busy = false;
    }
    if (summary.posted + summary.failed + summary.retrying > 0)
      this.log.info('due settlements processed', { ...summary });
    if (this.nudged && !this.stopped) {
      this.nudged = false;
      this.tick();
    }
    return summary;
  }

  /** One worker: claims and posts due settlements until none is left. */
  private async work(now: Date, summary: PostingSummary): Promise<void> {
    while (!this.stopped) {
      const claim = await this.repo.claimDue(
        now,
        this.config.SETTLEMENT_POSTING_LEASE_MS,
        this.runtime.flow.topicPrefix,
      );
      if (!claim) return;
      if (claim.claimedFrom === 'posting') summary.recovered++;
      const result = await this.post(claim, now);
      summary[result]++;
    }
  }

  private async post(claim: ClaimedSettlement, now: Date): Promise<'posted' | 'failed' | 'retrying'> {
    const log = this.log.child({
      tenantId: claim.tenantId,
      registerId: claim.registerId,
      zNumber: claim.zNumber,
      attempt: claim.attempts,
    });
    try {
      if (!claim.voucher)
        throw new Error(`settlement Z ${claim.zNumber} of ${claim.registerId} is scheduled without a voucher`);
      const client = await this.tenants.clientFor(claim.tenantId, 'settlement');
      if (claim.posted) await this.reverseStanding(client, claim);
      const voucher = await this.createOnce(client, claim, claim.voucher);
      await this.finish(claim, 'posted', postedOutcome(claim, voucher, claim.voucher.totals), (tx) =>
        this.repo.markPosted(tx, claim, voucher, this.clock.now()),
      );
      log.info('settlement posted', {
        voucherId: voucher.voucherId,
        voucherNo: voucher.voucherNo,
        corrected: claim.reversed !== null,
      });
      return 'posted';
    } catch (err) {
      return this.failed(claim, err, now, log);
    }
  }

  /** A correction or repost: the voucher in the books goes first, which also frees its reference. */
  private async reverseStanding(client: PowerOfficeClient, claim: ClaimedSettlement): Promise<void> {
    const standing = claim.posted!;
    try {
      await client.vouchers.reverse(standing.voucherId);
    } catch (err) {
      // A poster that crashed after reversing: it is reversed already, which is what we want.
      if (!(err instanceof PowerOfficeRejectedError && /already reversed/i.test(err.powerOffice.detail ?? '')))
        throw err;
    }
    await this.repo.markReversed(claim, standing);
    claim.reversed = standing;
    claim.posted = null;
  }

  /** Creates the voucher unless an earlier attempt already did; either way returns the one in PowerOffice. */
  private async createOnce(
    client: PowerOfficeClient,
    claim: ClaimedSettlement,
    voucher: ResolvedCashJournalVoucher,
  ): Promise<VoucherRef> {
    if (claim.claimedFrom === 'posting') {
      const found = await this.lookUp(client, voucher);
      if (found) return found;
    }
    try {
      const created = await client.cashJournals.create(toNewCashVoucher(voucher));
      return { voucherId: created.id, voucherNo: created.voucherNo };
    } catch (err) {
      if (!(
        err instanceof PowerOfficeRejectedError &&
        /ExternalImportReference is already in use/i.test(
          `${err.powerOffice.detail ?? ''} ${err.powerOffice.title ?? ''}`,
        )
      ))
        throw err;
      const found = await this.lookUp(client, voucher);
      if (found) return found;
      throw err;
    }
  }

  /** The voucher carrying our reference on the voucher date, found through the ledger (AccountTransactions). */
  private async lookUp(client: PowerOfficeClient, voucher: ResolvedCashJournalVoucher): Promise<VoucherRef | null> {
    const rows = await client.accountTransactions.listAll({
      fromDate: voucher.voucherDate,
      toDate: voucher.voucherDate,
    });
    const found = findPostedVoucher(rows, voucher.externalImportReference, voucher.totals.debit);
    if (!found.found) return null;
    if ('mismatch' in found) {
      const m = found.mismatch;
      throw new PermanentError(
        'POWEROFFICE_REJECTED',
        `PowerOffice already has voucher ${m.voucherNo} (${m.voucherId}) with reference ${voucher.externalImportReference}, ` +
          `but its debit total ${m.debit / 100} NOK differs from this settlement's ${m.expectedDebit / 100} NOK. ` +
          'Check it in PowerOffice Go; reverse it there if it is wrong, then resend the settlement.',
        { details: { ...m, externalImportReference: voucher.externalImportReference } },
      );
    }
    return found.voucher;
  }

  private async failed(
    claim: ClaimedSettlement,
    err: unknown,
    now: Date,
    log: JsonLogger,
  ): Promise<'failed' | 'retrying'> {
    const failure = classifyFailure(err);
    if (failure.kind !== 'permanent') {
      const at = nextPostingAttempt(claim.attempts, now, this.policy, failure.retryAfterMs);
      if (at) {
        (failure.kind === 'unexpected' ? log.error : log.warn).call(log, 'posting failed; trying again later', {
          code: failure.error.code,
          reason: failure.error.message,
          nextAttemptAt: at.toISOString(),
          ...(failure.kind === 'unexpected' && err instanceof Error ? { stack: err.stack } : {}),
        });
        await this.repo.reschedule(claim, at, failure.error);
        return 'retrying';
      }
      const error = retriesExhausted(claim, claim.attempts, failure.error);
      log.error('giving up on the settlement', { code: failure.error.code, reason: failure.error.message });
      await this.finishFailed(claim, error);
      return 'failed';
    }
    const error = postingFailure(failure.error);
    if (error.code === 'TENANT_NOT_AUTHORISED')
      await this.tenants.markNotAuthorised(claim.tenantId, error.message).catch(() => undefined);
    log.warn('PowerOffice refused the settlement', { code: error.code, reason: error.message });
    await this.finishFailed(claim, error);
    return 'failed';
  }

  private finishFailed(claim: ClaimedSettlement, error: OutcomeError): Promise<void> {
    // Reversed to make room for a replacement that was then refused: nothing stands in the books.
    const state = claim.reversed && !claim.posted ? 'reversed' : 'failed';
    return this.finish(claim, state, failedOutcome(claim, error), (tx) =>
      this.repo.markFailed(tx, claim, state, error),
    );
  }

  /** The state change and its outcome in one transaction; a poster that lost its claim publishes nothing. */
  private async finish(
    claim: ClaimedSettlement,
    what: string,
    outcome: SettlementOutcome,
    update: (tx: EntityManager) => Promise<boolean>,
  ): Promise<void> {
    const envelope = buildOutcome(
      {
        id: claim.sourceEventId,
        tenantId: claim.tenantId,
        key: claim.sourceKey,
        ...(claim.correlationId ? { correlationId: claim.correlationId } : {}),
      },
      outcome.type,
      outcome.data as never,
      this.runtime.flow.source,
      `post:${claim.generation}`,
      this.clock.now(),
    );
    const recorded = await this.dataSource.transaction(async (tx) => {
      if (!(await update(tx))) return false;
      await this.outbox.add(tx, [envelope]);
      return true;
    });
    if (recorded) this.outbox.nudge();
    else
      this.log.warn(
        `settlement ${what} by this poster, but another one had taken it over meanwhile; leaving the outcome to it`,
        { tenantId: claim.tenantId, registerId: claim.registerId, zNumber: claim.zNumber },
      );
  }
}

function toNewCashVoucher(v: ResolvedCashJournalVoucher): NewCashVoucher {
  return {
    voucherDate: v.voucherDate,
    currencyCode: v.currency,
    description: v.description,
    externalImportReference: v.externalImportReference,
    importedVoucherNo: v.importedVoucherNo,
    voucherLines: v.lines.map((l) => ({
      accountId: l.accountId,
      postingDate: v.voucherDate,
      vatId: l.vatId,
      currencyAmount: l.amount,
      description: l.description,
      ...(l.departmentId === undefined ? {} : { departmentId: l.departmentId }),
    })),
  };
}
