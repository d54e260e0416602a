/**
 * The yardstick of the throughput benchmark: a plain kafkajs consume → produce loop, run as its own
 * process like the apps. Each consumed record is produced to the output topic (acks from all
 * replicas, one send per record, as a handler answers one event with one outcome); offsets are
 * auto-committed. No decoding, no database, no PowerOffice: what the broker and kafkajs cost alone.
 *
 *   LOOP_INPUT=… LOOP_OUTPUT=… LOOP_GROUP=… [LOOP_CONCURRENCY=3] KAFKA_BROKERS=… node dist/bench/suite/plain-kafkajs-loop.js
 */
import { createKafka } from '@lib/platform';

async function main(): Promise<void> {
  const need = (name: string): string => {
    const v = process.env[name];
    if (!v) throw new Error(`${name} is required`);
    return v;
  };
  const kafka = createKafka({
    brokers: process.env.KAFKA_BROKERS ?? '127.0.0.1:9092',
    clientId: 'plain-kafkajs-loop',
    log: (level, message) => console.error(`${level}: ${message}`),
  });
  const output = need('LOOP_OUTPUT');
  const producer = kafka.producer();
  const consumer = kafka.consumer({ groupId: need('LOOP_GROUP') });
  await producer.connect();
  await consumer.connect();
  await consumer.subscribe({ topics: [need('LOOP_INPUT')], fromBeginning: true });
  await consumer.run({
    // The apps' pipeline works on three partitions at once by default; so does the yardstick.
    partitionsConsumedConcurrently: Number(process.env.LOOP_CONCURRENCY ?? 3),
    eachMessage: async ({ message }) => {
      await producer.send({
        topic: output,
        acks: -1,
        messages: [{ key: message.key, value: message.value, headers: message.headers }],
      });
    },
  });
  const stop = () => {
    void Promise.allSettled([consumer.disconnect(), producer.disconnect()]).then(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  console.log('plain kafkajs loop running');
}

main().catch((err: Error) => {
  console.error(`plain kafkajs loop failed: ${err.stack ?? err.message}`);
  process.exit(1);
});
