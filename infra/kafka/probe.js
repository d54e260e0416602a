// Exits 0 when a Kafka broker answers a metadata request at the given address (used by kafka.sh).
const { Kafka, logLevel } = require('kafkajs');
const broker = process.argv[2] || '127.0.0.1:9092';
const admin = new Kafka({ clientId: 'kafka-probe', brokers: [broker], logLevel: logLevel.NOTHING,
  connectionTimeout: 2000, requestTimeout: 4000, retry: { retries: 0 } }).admin();
admin.connect()
  .then(() => admin.describeCluster())
  .then(() => admin.disconnect())
  .then(() => process.exit(0), () => process.exit(1));
setTimeout(() => process.exit(1), 8000).unref();
