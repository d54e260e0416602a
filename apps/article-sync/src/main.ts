import { connectPipeline } from '@lib/pipeline';
import { bootstrapApp } from '@lib/platform';
import { ArticleSyncConfig } from './article-sync.config';
import { ArticleSyncModule } from './article-sync.module';

void bootstrapApp({
  name: 'article-sync',
  config: ArticleSyncConfig,
  module: (config) => ArticleSyncModule.register(config),
  configure: (app) => void connectPipeline(app),
});
