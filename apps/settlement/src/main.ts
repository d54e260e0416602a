import type { Kafka } from 'kafkajs';
import { connectPipeline } from '@lib/pipeline';
import { bootstrapApp, ensureTopics, KAFKA } from '@lib/platform';
import { SettlementConfig } from './settlement.config';
import { SettlementModule, settlementTopics } from './settlement.module';

void bootstrapApp({
  name: 'settlement',
  config: SettlementConfig,
  module: (config) => SettlementModule.register(config),
  configure: async (app, config) => {
    // The consumer cannot subscribe to a topic that does not exist yet (fresh broker, new prefix).
    await ensureTopics(app.get<Kafka>(KAFKA), settlementTopics(config.TOPIC_PREFIX));
    connectPipeline(app);
  },
});
