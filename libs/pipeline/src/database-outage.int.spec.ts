import { createDataSource } from '@lib/platform';
import type { DataSource } from 'typeorm';
import { TcpProxy } from './testing/tcp-proxy';
import { PipelineTestBed } from './testing/test-bed';

describe('PostgreSQL unavailable', () => {
  let bed: PipelineTestBed;
  let proxy: TcpProxy;
  let flowDb: DataSource;

  beforeAll(async () => {
    bed = await PipelineTestBed.create('db-outage');
    const url = new URL(bed.settings.databaseUrl);
    proxy = new TcpProxy(url.hostname, Number(url.port || 5432));
    await proxy.up();
    url.host = `127.0.0.1:${proxy.port}`;
    // The flow reaches the database only through the proxy; the test's own checks go direct.
    flowDb = createDataSource(url.toString(), { extra: { max: 4, connectionTimeoutMillis: 1000 } });
    await flowDb.initialize();
  });
  afterAll(async () => {
    await proxy?.up();
    await bed?.close();
    await flowDb?.destroy().catch(() => undefined);
    await proxy?.down();
  });

  it('holds the events (no failure outcome, no dead letter) and processes them once it is back', async () => {
    const t = bed.tenant('o');
    bed.tenants.add(t);
    await bed.startFlow({}, flowDb);
    const before = bed.customerChanged(t, 'before');
    await bed.produce([before]);
    await bed.settled();

    await proxy.down();
    const during = Array.from({ length: 6 }, (_, i) => bed.customerChanged(t, `during${i}`));
    await bed.produce(during);
    // The consumer meets the outage (its own reads and writes fail) and hands the error to kafkajs,
    // which retries: the events wait, none is answered as failed.
    await new Promise((r) => setTimeout(r, 3000));
    expect((await bed.outcomes()).map((o) => o.causationId)).toEqual([before.id]);
    await proxy.up();
    await bed.settled();

    const outcomes = await bed.outcomes();
    expect(outcomes.map((o) => o.type)).toEqual(Array(7).fill('CustomerSynced'));
    expect(new Set(outcomes.map((o) => o.causationId))).toEqual(new Set([before, ...during].map((e) => e.id)));
    expect(await bed.readTopic(bed.dlq)).toHaveLength(0);
    expect(await bed.externalObjects(t)).toHaveLength(7);
  });
});
