import { DynamicModule, Module } from '@nestjs/common';
import { PlatformModule } from '@lib/platform';
import { SettlementConfig } from './settlement.config';

@Module({})
export class SettlementModule {
  static register(config: SettlementConfig): DynamicModule {
    return {
      module: SettlementModule,
      imports: [PlatformModule.forApp({ name: 'settlement', configValues: config })],
    };
  }
}
