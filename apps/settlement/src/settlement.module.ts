import { DynamicModule, Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { flowTopicNames, PipelineModule } from '@lib/pipeline';
import { PlatformModule } from '@lib/platform';
import { PowerOfficeModule } from '@lib/poweroffice';
import { TenancyModule } from '@lib/tenancy';
import { SETTLEMENT_CLOCK, systemClock, type SettlementClock } from './clock';
import { MissingSettlementCheck } from './missing-settlement.job';
import { SettlementActions } from './settlement-actions.service';
import { SettlementPoster } from './settlement-posting.job';
import { SettlementConfig, powerOfficeEnv } from './settlement.config';
import { SettlementRepository } from './settlement.repository';
import { VoucherPreparation } from './voucher-preparation';
import { ZReportController } from './z-report.controller';
import { ZReportIntake } from './z-report-intake';

/** The topics the app consumes and produces: Z-reports, their dead letters, the outcomes. */
export function settlementTopics(topicPrefix: string): string[] {
  return flowTopicNames(['zReportClosed'], topicPrefix);
}

export interface SettlementModuleOptions {
  /** The time the schedules, leases and checks go by (tests set the night instead of waiting for it). */
  clock?: SettlementClock;
}

/**
 * The daily settlement: Z-reports arrive (ZReportController → ZReportIntake), wait for the tenant's
 * schedule (settlement.reports), are posted by the nightly job (SettlementPoster), missing days are
 * reported each morning (MissingSettlementCheck), and operators resend or repost (SettlementActions).
 */
@Module({})
export class SettlementModule {
  static register(config: SettlementConfig, options: SettlementModuleOptions = {}): DynamicModule {
    return {
      module: SettlementModule,
      imports: [
        PlatformModule.forApp({ name: 'settlement', configValues: config }),
        PowerOfficeModule.forRoot({ env: powerOfficeEnv(config) }),
        TenancyModule.forRoot(),
        PipelineModule.forFlow({ flow: 'settlement', lane: 'settlement', topics: ['zReportClosed'] }),
        ScheduleModule.forRoot(),
      ],
      controllers: [ZReportController],
      providers: [
        { provide: SettlementConfig, useValue: config },
        { provide: SETTLEMENT_CLOCK, useValue: options.clock ?? systemClock },
        SettlementRepository,
        VoucherPreparation,
        ZReportIntake,
        SettlementPoster,
        MissingSettlementCheck,
        SettlementActions,
      ],
      exports: [SettlementActions, SettlementPoster, MissingSettlementCheck],
    };
  }
}
