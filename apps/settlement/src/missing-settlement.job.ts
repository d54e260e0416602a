import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CronJob } from 'cron';
import { DataSource } from 'typeorm';
import { buildOutcome, entityKey, zReportEntityId } from '@lib/contracts';
import { FlowRuntime, OutcomeOutbox } from '@lib/pipeline';
import { JsonLogger } from '@lib/platform';
import { SETTLEMENT_CLOCK, type SettlementClock } from './clock';
import { expectedZNumber, missingDayCauseId, missingDayFailure, type MissingDay } from './domain/missing-day';
import { OSLO_ZONE, addDays, osloDateOf } from './domain/oslo-time';
import { missingBusinessDays } from './domain/schedule';
import { SettlementConfig } from './settlement.config';
import { SettlementRepository } from './settlement.repository';

const CRON_NAME = 'settlement-missing-check';

/**
 * The morning check: a register that has sent Z-reports before but none for a business day gets
 * one SettlementFailed (SETTLEMENT_MISSING) for that day. Recorded in settlement.missing_days with
 * the outcome in one transaction, so however many instances run the check, each register-day is
 * reported once. A register silent for longer than the look-back is taken to be out of use.
 */
@Injectable()
export class MissingSettlementCheck implements OnApplicationBootstrap {
  private readonly log: JsonLogger;

  constructor(
    private readonly config: SettlementConfig,
    private readonly dataSource: DataSource,
    private readonly repo: SettlementRepository,
    private readonly outbox: OutcomeOutbox,
    private readonly runtime: FlowRuntime,
    private readonly scheduler: SchedulerRegistry,
    @Inject(SETTLEMENT_CLOCK) private readonly clock: SettlementClock,
    log: JsonLogger,
  ) {
    this.log = log.child({ component: 'settlement-missing-check' });
  }

  onApplicationBootstrap(): void {
    const cron = this.config.SETTLEMENT_MISSING_CHECK_CRON;
    if (cron === 'off') return;
    const job = CronJob.from({
      cronTime: cron,
      timeZone: OSLO_ZONE,
      start: false,
      onTick: () => {
        this.checkMissing().catch((err: Error) =>
          this.log.error('missing-settlement check failed', { reason: err.message }),
        );
      },
    });
    this.scheduler.addCronJob(CRON_NAME, job);
    job.start();
  }

  /** Reports every register-day missing as of `now` that was not reported before; returns those. */
  async checkMissing(now: Date = this.clock.now()): Promise<MissingDay[]> {
    const lookback = this.config.SETTLEMENT_MISSING_LOOKBACK_DAYS;
    const cutoff = this.config.SETTLEMENT_MISSING_CUTOFF;
    // The window ends at the latest day whose Z is overdue; two days back covers "before the cutoff".
    const since = addDays(osloDateOf(now), -(lookback + 1));
    const registers = await this.repo.recentRegisters(this.runtime.flow.topicPrefix, since);
    const reported: MissingDay[] = [];
    for (const register of registers) {
      const days = missingBusinessDays({
        postedBusinessDates: [register.firstBusinessDate, ...register.businessDates],
        now,
        cutoff,
        lookbackDays: lookback,
      });
      for (const businessDate of days) {
        const last = await this.repo.lastReportBefore(register.tenantId, register.registerId, businessDate);
        if (!last) continue;
        const day: MissingDay = {
          tenantId: register.tenantId,
          registerId: register.registerId,
          businessDate,
          lastReceived: last,
        };
        if (await this.report(day, cutoff, now)) reported.push(day);
      }
    }
    if (reported.length > 0) {
      this.outbox.nudge();
      this.log.warn('registers without a Z-report for a business day', {
        missing: reported.map((d) => `${d.tenantId}/${d.registerId}/${d.businessDate}`),
      });
    }
    return reported;
  }

  private async report(day: MissingDay, cutoff: string, now: Date): Promise<boolean> {
    const expected = expectedZNumber(day);
    const error = missingDayFailure(day, cutoff);
    const outcome = buildOutcome(
      {
        id: missingDayCauseId(day),
        tenantId: day.tenantId,
        key: entityKey(day.tenantId, zReportEntityId(day.registerId, expected)),
      },
      'SettlementFailed',
      { registerId: day.registerId, zNumber: expected, businessDate: day.businessDate, error },
      this.runtime.flow.source,
      undefined,
      now,
    );
    return this.dataSource.transaction(async (tx) => {
      const recorded = await this.repo.recordMissingDay(tx, {
        tenantId: day.tenantId,
        registerId: day.registerId,
        businessDate: day.businessDate,
        topicPrefix: this.runtime.flow.topicPrefix,
        expectedZNumber: expected,
        last: day.lastReceived,
        message: error.message,
        outcomeId: outcome.id,
      });
      if (recorded) await this.outbox.add(tx, [outcome]);
      return recorded;
    });
  }
}
