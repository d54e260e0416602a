import { dlqTopic, topicName } from '@lib/contracts';
import { connectPipeline } from '@lib/pipeline';
import { bootstrapApp, ensureTopics, KAFKA } from '@lib/platform';
import { Kafka } from 'kafkajs';
import { CustomerSyncConfig } from './customer-sync.config';
import { CustomerSyncModule } from './customer-sync.module';

void bootstrapApp({
  name: 'customer-sync',
  config: CustomerSyncConfig,
  module: (config) => CustomerSyncModule.register(config),
  configure: async (app, config) => {
    // The consumer cannot subscribe to a topic that does not exist yet (fresh broker, new prefix).
    const input = topicName('customerChanged', config.TOPIC_PREFIX);
    await ensureTopics(app.get<Kafka>(KAFKA), [
      input,
      dlqTopic(input),
      topicName('customerSyncOutcomes', config.TOPIC_PREFIX),
      topicName('powerOfficeCustomerChanged', config.TOPIC_PREFIX),
    ]);
    connectPipeline(app);
  },
});
