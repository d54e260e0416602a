import { bootstrapApp } from '@lib/platform';
import { SettlementConfig } from './settlement.config';
import { SettlementModule } from './settlement.module';

void bootstrapApp({ name: 'settlement', config: SettlementConfig, module: (config) => SettlementModule.register(config) });
