import { connectPipeline } from '@lib/pipeline';
import { bootstrapApp } from '@lib/platform';
import { InvoiceConfig } from './invoice.config';
import { InvoiceModule } from './invoice.module';

void bootstrapApp({
  name: 'invoice',
  config: InvoiceConfig,
  module: (config) => InvoiceModule.register(config),
  configure: (app) => void connectPipeline(app),
});
