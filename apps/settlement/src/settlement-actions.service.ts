import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { buildOutcome, type OutcomeError } from '@lib/contracts';
import { FlowRuntime, OutcomeOutbox } from '@lib/pipeline';
import { TenantService } from '@lib/tenancy';
import { afterCommit } from './after-commit';
import { SETTLEMENT_CLOCK, type SettlementClock } from './clock';
import {
  failedOutcome,
  identityFailure,
  scheduledOutcome,
  type SettlementOutcome,
  type SettlementState,
} from './domain/settlement';
import { checkZReport } from './domain/z-report-check';
import { SettlementPoster } from './settlement-posting.job';
import {
  SettlementChangedMeanwhile,
  SettlementRepository,
  type SettlementKey,
  type SettlementWrite,
  type StoredSettlement,
} from './settlement.repository';
import { VoucherPreparation } from './voucher-preparation';

/** Why an operator action was refused. */
export type SettlementActionRefusal = 'not-found' | 'wrong-state' | 'rejected';

/** An operator action that cannot be done as asked; `message` says why and what to do instead. */
export class SettlementActionError extends Error {
  constructor(
    readonly reason: SettlementActionRefusal,
    message: string,
    readonly error?: OutcomeError,
  ) {
    super(message);
    this.name = 'SettlementActionError';
  }
}

/** Where a settlement is after an action. */
export interface SettlementActionResult {
  tenantId: string;
  registerId: string;
  zNumber: number;
  businessDate: string;
  state: SettlementState;
  postAt?: string;
  error?: OutcomeError;
}

/**
 * What operators do to a settlement (the console calls these):
 * - `resend`: a failed settlement, after the cause was fixed (mapping, lock date, PowerOffice):
 *   the report is checked and its voucher rebuilt with the tenant's current mapping, and it is
 *   scheduled for now; if it still cannot be posted it stays failed with the new reason.
 * - `repost`: a posted settlement whose voucher must be redone (e.g. the mapping was wrong): the
 *   voucher is rebuilt, the one in the books reversed and the new one posted.
 * Both answer with outcomes like the flow's own, caused by the Z-report's event.
 */
@Injectable()
export class SettlementActions {
  constructor(
    private readonly dataSource: DataSource,
    private readonly repo: SettlementRepository,
    private readonly preparation: VoucherPreparation,
    private readonly tenants: TenantService,
    private readonly poster: SettlementPoster,
    private readonly outbox: OutcomeOutbox,
    private readonly runtime: FlowRuntime,
    @Inject(SETTLEMENT_CLOCK) private readonly clock: SettlementClock,
  ) {}

  async resend(tenantId: string, registerId: string, zNumber: number): Promise<SettlementActionResult> {
    const stored = await this.load({ tenantId, registerId, zNumber });
    if (stored.state !== 'failed' && stored.state !== 'reversed') {
      throw new SettlementActionError(
        'wrong-state',
        `Z ${zNumber} of register ${registerId} (tenant ${tenantId}) is ${stored.state}; only a failed settlement can be resent` +
          (stored.state === 'posted' ? ' (use repost to redo a posted one)' : ''),
      );
    }
    // The operator has just fixed the mapping, perhaps in another process: read it fresh.
    this.tenants.invalidate(tenantId);
    const previous = await this.repo.findPrevious(stored);
    const identity = identityFailure(stored.report, checkZReport(stored.report, previous ?? undefined));
    const prepared = identity
      ? { ok: false as const, error: identity }
      : await this.preparation.prepare(tenantId, stored.report);
    const generation = stored.generation + 1;
    if (!prepared.ok) {
      await this.apply(stored, `resend:${generation}`, failedOutcome(stored, prepared.error), {
        voucher: null,
        state: 'failed',
        postAt: null,
        error: prepared.error,
        generation,
      });
      return { ...idsOf(stored), state: 'failed', error: prepared.error };
    }
    const now = this.clock.now();
    await this.apply(stored, `resend:${generation}`, scheduledOutcome(stored, now), {
      voucher: prepared.voucher,
      state: 'scheduled',
      postAt: now,
      error: null,
      generation,
    });
    return { ...idsOf(stored), state: 'scheduled', postAt: now.toISOString() };
  }

  async repost(tenantId: string, registerId: string, zNumber: number): Promise<SettlementActionResult> {
    const stored = await this.load({ tenantId, registerId, zNumber });
    if (stored.state !== 'posted' || !stored.posted) {
      throw new SettlementActionError(
        'wrong-state',
        `Z ${zNumber} of register ${registerId} (tenant ${tenantId}) is ${stored.state}; only a posted settlement can be reposted` +
          (stored.state === 'failed' || stored.state === 'reversed' ? ' (use resend for a failed one)' : ''),
      );
    }
    this.tenants.invalidate(tenantId);
    const prepared = await this.preparation.prepare(tenantId, stored.report);
    if (!prepared.ok) {
      // The voucher in the books stays: a repost that cannot be built must not take it away.
      throw new SettlementActionError(
        'rejected',
        `Z ${zNumber} of register ${registerId} was not reposted, voucher ${stored.posted.voucherNo ?? stored.posted.voucherId} stays: ${prepared.error.message}`,
        prepared.error,
      );
    }
    const now = this.clock.now();
    const generation = stored.generation + 1;
    await this.apply(stored, `repost:${generation}`, scheduledOutcome(stored, now), {
      voucher: prepared.voucher,
      state: 'scheduled',
      postAt: now,
      error: null,
      generation,
    });
    return { ...idsOf(stored), state: 'scheduled', postAt: now.toISOString() };
  }

  private async load(key: SettlementKey): Promise<StoredSettlement> {
    const stored = await this.repo.find(key);
    if (!stored) {
      throw new SettlementActionError(
        'not-found',
        `No Z-report ${key.zNumber} of register ${key.registerId} has been received for tenant ${key.tenantId}`,
      );
    }
    return stored;
  }

  /** The new state and its outcome in one transaction, guarded against a concurrent change. */
  private async apply(
    stored: StoredSettlement,
    discriminator: string,
    outcome: SettlementOutcome,
    change: Pick<SettlementWrite, 'voucher' | 'state' | 'postAt' | 'error' | 'generation'>,
  ): Promise<void> {
    const envelope = buildOutcome(
      {
        id: stored.sourceEventId,
        tenantId: stored.tenantId,
        key: stored.sourceKey,
        ...(stored.correlationId ? { correlationId: stored.correlationId } : {}),
      },
      outcome.type,
      outcome.data as never,
      this.runtime.flow.source,
      discriminator,
      this.clock.now(),
    );
    const write: SettlementWrite = {
      report: stored.report,
      contentHash: stored.contentHash,
      sourceEventId: stored.sourceEventId,
      sourceKey: stored.sourceKey,
      correlationId: stored.correlationId,
      topicPrefix: stored.topicPrefix,
      ...change,
    };
    try {
      await this.dataSource.transaction(async (tx) => {
        await this.repo.replace(tx, stored, stored.version, write);
        await this.outbox.add(tx, [envelope]);
        if (change.state === 'scheduled') afterCommit(tx, () => this.poster.nudge());
      });
    } catch (err) {
      if (err instanceof SettlementChangedMeanwhile) {
        throw new SettlementActionError(
          'wrong-state',
          `${err.message}; look at its state again and retry if still needed`,
        );
      }
      throw err;
    }
    this.outbox.nudge();
  }
}

function idsOf(
  s: StoredSettlement,
): Pick<SettlementActionResult, 'tenantId' | 'registerId' | 'zNumber' | 'businessDate'> {
  return { tenantId: s.tenantId, registerId: s.registerId, zNumber: s.zNumber, businessDate: s.businessDate };
}
