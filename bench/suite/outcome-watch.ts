import type { Consumer, Kafka } from 'kafkajs';

/** One outcome as seen on its topic. */
export interface SeenOutcome {
  type: string;
  /** Kafka key, `<tenantId>:<entityId>`: the same key as the event it answers. */
  key: string;
  /** The record's timestamp (set by the producing app when it sent the outcome). */
  producedAtMs: number;
  /** When this process consumed it (performance.now()). */
  consumedAt: number;
}

/**
 * Follows outcome topics from their beginning and keeps, per Kafka key, the outcomes seen. Only
 * headers are read: the benchmark needs the type and the time, not the data.
 */
export class OutcomeWatch {
  readonly byKey = new Map<string, SeenOutcome[]>();
  count = 0;

  private constructor(private readonly consumer: Consumer) {}

  static async start(kafka: Kafka, topics: readonly string[], groupId: string): Promise<OutcomeWatch> {
    const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 100, allowAutoTopicCreation: false });
    const watch = new OutcomeWatch(consumer);
    let joined = false;
    consumer.on(consumer.events.GROUP_JOIN, () => (joined = true));
    await consumer.connect();
    await consumer.subscribe({ topics: [...topics], fromBeginning: true });
    await consumer.run({
      eachBatch: async ({ batch }) => {
        const consumedAt = performance.now();
        for (const m of batch.messages) {
          const seen: SeenOutcome = {
            type: m.headers?.ce_type?.toString() ?? '?',
            key: m.key?.toString() ?? '',
            producedAtMs: Number(m.timestamp),
            consumedAt,
          };
          const list = watch.byKey.get(seen.key);
          if (list) list.push(seen);
          else watch.byKey.set(seen.key, [seen]);
          watch.count++;
        }
      },
    });
    const deadline = Date.now() + 30_000;
    while (!joined) {
      if (Date.now() > deadline) throw new Error(`outcome watch ${groupId} did not join its group within 30 s`);
      await new Promise((r) => setTimeout(r, 50));
    }
    return watch;
  }

  /** The first outcome of `key` whose type is one of `types`. */
  first(key: string, types: readonly string[]): SeenOutcome | undefined {
    return this.byKey.get(key)?.find((o) => types.includes(o.type));
  }

  /** How many of `keys` have an outcome of one of `types`. */
  answered(keys: readonly string[], types: readonly string[]): number {
    let n = 0;
    for (const k of keys) if (this.first(k, types)) n++;
    return n;
  }

  /**
   * Waits until every key has an outcome of one of `types`, printing progress every 15 s.
   * Throws after `timeoutMs` without one arriving, naming how many are missing.
   */
  async waitForAll(
    keys: readonly string[],
    types: readonly string[],
    what: string,
    stallTimeoutMs: number,
  ): Promise<void> {
    let last = -1;
    let lastChange = Date.now();
    let lastPrint = Date.now();
    for (;;) {
      const done = this.answered(keys, types);
      if (done === keys.length) return;
      if (done !== last) {
        last = done;
        lastChange = Date.now();
      }
      if (Date.now() - lastPrint > 15_000) {
        console.log(`    … ${what}: ${done} of ${keys.length} answered`);
        lastPrint = Date.now();
      }
      if (Date.now() - lastChange > stallTimeoutMs)
        throw new Error(
          `${what}: ${keys.length - done} of ${keys.length} events unanswered; none answered in the last ${Math.round(stallTimeoutMs / 1000)} s`,
        );
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  all(): SeenOutcome[] {
    return [...this.byKey.values()].flat();
  }

  stop(): Promise<void> {
    return this.consumer.disconnect();
  }
}
