import { topicName } from '@lib/contracts';
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
    // The pipeline creates the topics it consumes and answers on; the PowerOffice → Open One topic
    // is this app's own, and Open One subscribes to it before the first change is published.
    await ensureTopics(app.get<Kafka>(KAFKA), [topicName('powerOfficeCustomerChanged', config.TOPIC_PREFIX)]);
    connectPipeline(app);
  },
});
