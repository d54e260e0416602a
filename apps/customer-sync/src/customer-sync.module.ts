import { DynamicModule, Module } from '@nestjs/common';
import { PlatformModule } from '@lib/platform';
import { CustomerSyncConfig } from './customer-sync.config';

@Module({})
export class CustomerSyncModule {
  static register(config: CustomerSyncConfig): DynamicModule {
    return {
      module: CustomerSyncModule,
      imports: [PlatformModule.forApp({ name: 'customer-sync', configValues: config })],
    };
  }
}
