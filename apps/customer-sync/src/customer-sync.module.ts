import { DynamicModule, Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { PipelineModule } from '@lib/pipeline';
import { PlatformModule } from '@lib/platform';
import { PowerOfficeModule } from '@lib/poweroffice';
import { TenancyModule } from '@lib/tenancy';
import { CustomerChangedController } from './customer-changed.controller';
import { CustomerMappingRepository } from './customer-mapping.repository';
import { CustomerSyncConfig } from './customer-sync.config';
import { PollWatermarkRepository } from './poll-watermark.repository';
import { PowerOfficeCustomerPoll } from './poweroffice-customer-poll.job';
import { SyncCustomerToPowerOffice } from './sync-customer-to-poweroffice';

export interface CustomerSyncModuleOptions {
  /** Where POWEROFFICE_* are read from; default process.env. */
  powerOfficeEnv?: NodeJS.ProcessEnv;
}

/**
 * Customers both ways: CustomerChanged → PowerOffice (pipeline flow in the `customer` lane) and
 * PowerOffice → PowerOfficeCustomerChanged (the scheduled poll).
 */
@Module({})
export class CustomerSyncModule {
  static register(config: CustomerSyncConfig, options: CustomerSyncModuleOptions = {}): DynamicModule {
    return {
      module: CustomerSyncModule,
      imports: [
        PlatformModule.forApp({ name: 'customer-sync', configValues: config }),
        PowerOfficeModule.forRoot({ env: options.powerOfficeEnv }),
        TenancyModule.forRoot(),
        PipelineModule.forFlow({ flow: 'customer-sync', lane: 'customer', topics: ['customerChanged'] }),
        ScheduleModule.forRoot(),
      ],
      controllers: [CustomerChangedController],
      providers: [
        CustomerMappingRepository,
        PollWatermarkRepository,
        SyncCustomerToPowerOffice,
        PowerOfficeCustomerPoll,
      ],
    };
  }
}
