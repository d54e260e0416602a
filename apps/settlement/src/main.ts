import { connectPipeline } from '@lib/pipeline';
import { bootstrapApp } from '@lib/platform';
import { SettlementConfig } from './settlement.config';
import { SettlementModule } from './settlement.module';

void bootstrapApp({
  name: 'settlement',
  config: SettlementConfig,
  module: (config) => SettlementModule.register(config),
  configure: (app) => void connectPipeline(app),
});
