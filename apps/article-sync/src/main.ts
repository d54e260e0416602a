import type { Kafka } from 'kafkajs';
import { connectPipeline } from '@lib/pipeline';
import { bootstrapApp, ensureTopics, KAFKA } from '@lib/platform';
import { ArticleSyncConfig } from './article-sync.config';
import { articleSyncTopics, ArticleSyncModule } from './article-sync.module';

void bootstrapApp({
  name: 'article-sync',
  config: ArticleSyncConfig,
  module: (config) => ArticleSyncModule.register(config),
  configure: async (app, config) => {
    // A consumer cannot join a topic that does not exist yet (a new environment, a new prefix).
    await ensureTopics(app.get<Kafka>(KAFKA), articleSyncTopics(config.TOPIC_PREFIX));
    connectPipeline(app);
  },
});
