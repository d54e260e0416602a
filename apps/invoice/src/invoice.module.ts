import { DynamicModule, Module } from '@nestjs/common';
import { PlatformModule } from '@lib/platform';
import { InvoiceConfig } from './invoice.config';

@Module({})
export class InvoiceModule {
  static register(config: InvoiceConfig): DynamicModule {
    return {
      module: InvoiceModule,
      imports: [PlatformModule.forApp({ name: 'invoice', configValues: config })],
    };
  }
}
