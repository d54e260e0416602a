import { bootstrapApp } from '@lib/platform';
import { CustomerSyncConfig } from './customer-sync.config';
import { CustomerSyncModule } from './customer-sync.module';

void bootstrapApp({ name: 'customer-sync', config: CustomerSyncConfig, module: (config) => CustomerSyncModule.register(config) });
