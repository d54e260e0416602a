import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { TransientError, type OutcomeError } from '@lib/contracts';
import { FlowRuntime, type HandlerContext, type HandlerResult, type OutcomeSpec } from '@lib/pipeline';
import { afterCommit } from './after-commit';
import { SETTLEMENT_CLOCK, type SettlementClock } from './clock';
import { contentHash } from './domain/cash-journal-voucher';
import { settlementDueAt } from './domain/schedule';
import {
  answerForStoredState,
  classifyArrival,
  failedOutcome,
  identityFailure,
  scheduledOutcome,
  zGapFailure,
  type SettlementOutcome,
} from './domain/settlement';
import { checkZReport } from './domain/z-report-check';
import type { ZReportClosed } from './domain/z-report';
import { SettlementPoster } from './settlement-posting.job';
import {
  SettlementChangedMeanwhile,
  SettlementRepository,
  type SettlementKey,
  type SettlementWrite,
  type StoredSettlement,
} from './settlement.repository';
import { VoucherPreparation } from './voucher-preparation';

/**
 * Where a Z-report arrives: checked against itself and the register's previous Z, turned into the
 * tenant's voucher, stored, and scheduled by the tenant's settlement schedule. Posting happens
 * later, in the poster. A report that cannot be posted (numbers that disagree, a mapping gap) is
 * stored as failed and answered at once; the stored row is where it waits for a resend, so the
 * event itself ends successfully (nothing is dead-lettered for it).
 */
@Injectable()
export class ZReportIntake {
  constructor(
    private readonly repo: SettlementRepository,
    private readonly preparation: VoucherPreparation,
    private readonly poster: SettlementPoster,
    private readonly runtime: FlowRuntime,
    @Inject(SETTLEMENT_CLOCK) private readonly clock: SettlementClock,
  ) {}

  async receive(ctx: HandlerContext<ZReportClosed>): Promise<HandlerResult> {
    const { envelope, tenant } = ctx;
    const report = envelope.data;
    const key: SettlementKey = { tenantId: tenant.id, registerId: report.registerId, zNumber: report.zNumber };
    const hash = contentHash(report);
    const stored = await this.repo.find(key);
    const arrival = classifyArrival(stored, hash);

    if (arrival.kind === 'repeat') {
      ctx.log.info('Z-report arrived again unchanged; answered with its current state', {
        state: arrival.stored.state,
      });
      return {
        outcomes: [spec(answerForStoredState(arrival.stored))],
        changed: false,
        change: { action: 'unchanged', state: arrival.stored.state },
      };
    }
    if (arrival.kind === 'busy') {
      throw new TransientError(
        `A corrected Z ${report.zNumber} of register ${report.registerId} arrived while the earlier one is being posted; ` +
          'it is processed once that post has finished.',
      );
    }

    const write = (
      state: SettlementWrite['state'],
      fields: Pick<SettlementWrite, 'voucher' | 'postAt' | 'error'>,
    ): SettlementWrite => ({
      report,
      contentHash: hash,
      state,
      ...fields,
      sourceEventId: envelope.id,
      sourceKey: envelope.key,
      correlationId: envelope.correlationId ?? null,
      topicPrefix: this.runtime.flow.topicPrefix,
      generation: stored ? stored.generation + 1 : 1,
    });
    const correction = arrival.kind === 'correction' ? arrival.stored : null;

    const problems = checkZReport(report, (await this.repo.findPrevious(key)) ?? undefined);
    const identity = identityFailure(report, problems);
    if (identity) {
      // A broken correction of a day already in the books leaves the books alone: the POS must send a
      // valid one. Anything not yet in the books is replaced by the (failed) newer report.
      if (correction?.posted)
        return { outcomes: [spec(failedOutcome(report, identity))], changed: false, change: { action: 'rejected' } };
      return this.fail(key, correction, write('failed', { voucher: null, postAt: null, error: identity }));
    }

    const prepared = await this.preparation.prepare(tenant.id, report);
    if (!prepared.ok)
      return this.fail(key, correction, write('failed', { voucher: null, postAt: null, error: prepared.error }));

    const now = this.clock.now();
    const postAt = settlementDueAt(report, tenant.settlementSchedule, now);
    const outcomes: OutcomeSpec[] = [];
    const gap = zGapFailure(report, problems);
    // First, so a consumer that keeps the latest outcome per Z ends at the schedule/post of this Z.
    if (gap) outcomes.push({ ...spec(failedOutcome(report, gap)), discriminator: 'z-gap' });
    outcomes.push(spec(scheduledOutcome({ ...report, posted: correction?.posted ?? null }, postAt)));
    const due = postAt.getTime() <= now.getTime();
    return {
      outcomes,
      change: {
        action: correction ? 'correct' : 'schedule',
        postAt: postAt.toISOString(),
        replaces: correction?.posted ?? null,
      },
      persist: async (tx) => {
        await this.store(tx, key, correction, write('scheduled', { voucher: prepared.voucher, postAt, error: null }));
        if (due) afterCommit(tx, () => this.poster.nudge());
      },
    };
  }

  private fail(key: SettlementKey, correction: StoredSettlement | null, w: SettlementWrite): HandlerResult {
    const error = w.error as OutcomeError;
    return {
      outcomes: [spec(failedOutcome(w.report, error))],
      change: { action: 'failed', code: error.code },
      persist: (tx) => this.store(tx, key, correction, w),
    };
  }

  /** Insert or replace; a row that changed since it was read makes the pipeline run the event again. */
  private async store(
    tx: EntityManager,
    key: SettlementKey,
    seen: StoredSettlement | null,
    w: SettlementWrite,
  ): Promise<void> {
    try {
      if (seen) await this.repo.replace(tx, key, seen.version, w);
      else if (!(await this.repo.insert(tx, key, w))) throw new SettlementChangedMeanwhile(key);
    } catch (err) {
      if (err instanceof SettlementChangedMeanwhile)
        throw new TransientError(`${err.message}; processing the report again`, { cause: err });
      throw err;
    }
  }
}

function spec(outcome: SettlementOutcome): OutcomeSpec {
  // The domain's outcome data are the contract's, plus optional fields the contract allows to be added.
  return outcome as unknown as OutcomeSpec;
}
