import { Controller, Global, INestApplication, Inject, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EventPattern } from '@nestjs/microservices';
import type { CustomerChanged } from '@lib/contracts';
import { BaseConfig, PlatformModule } from '@lib/platform';
import type { HandlerContext, HandlerResult } from '../handler';
import { FaultPlan, syncCustomerHandler, ExternalClient } from '../testing/test-flow';
import { PipelineTestBed } from '../testing/test-bed';
import { connectPipeline } from './connect-pipeline';
import { PipelineModule } from './pipeline.module';

const TEST_TENANTS = Symbol('TEST_TENANTS');
const FAULTS = Symbol('FAULTS');

/** A flow written the way the apps write theirs: an @EventPattern method on a controller. */
@Controller()
class TestSyncController {
  private readonly sync: (ctx: HandlerContext<CustomerChanged, ExternalClient>) => Promise<HandlerResult>;

  constructor(@Inject(FAULTS) faults: FaultPlan) {
    this.sync = syncCustomerHandler(faults);
  }

  @EventPattern('CustomerChanged')
  customerChanged(ctx: HandlerContext<CustomerChanged, ExternalClient>): Promise<HandlerResult> {
    return this.sync(ctx);
  }
}

describe('PipelineModule + PipelineTransport in a Nest app', () => {
  let bed: PipelineTestBed;
  let app: INestApplication;

  beforeAll(async () => {
    bed = await PipelineTestBed.create('nest');
    const config = Object.assign(new BaseConfig(), {
      KAFKA_BROKERS: bed.settings.kafkaBrokers,
      DATABASE_URL: bed.settings.databaseUrl,
      TOPIC_PREFIX: bed.prefix,
      DB_MIGRATE_ON_START: false,
      LOG_LEVEL: 'error',
    });

    @Global()
    @Module({
      providers: [
        { provide: TEST_TENANTS, useValue: bed.tenants },
        { provide: FAULTS, useValue: bed.faults },
      ],
      exports: [TEST_TENANTS, FAULTS],
    })
    class TestDependenciesModule {}

    @Module({
      imports: [
        PlatformModule.forApp({ name: 'pipeline-nest-test', configValues: config }),
        TestDependenciesModule,
        PipelineModule.forFlow({
          flow: 'nest-customer-sync',
          lane: 'customer',
          topics: ['customerChanged'],
          groupId: bed.groupId(),
          tenants: TEST_TENANTS,
          retry: { initialDelayMs: 10, maxDelayMs: 50 },
        }),
      ],
      controllers: [TestSyncController],
    })
    class TestAppModule {}

    app = await NestFactory.create(TestAppModule, { logger: false });
    connectPipeline(app);
    await app.startAllMicroservices();
    await app.listen(0, '127.0.0.1');
  });
  afterAll(async () => {
    await app?.close();
    await bed?.close();
  });

  it('feeds @EventPattern handlers, passes their IntegrationErrors through intact, and reports health', async () => {
    const t = bed.tenant('nest');
    bed.tenants.add(t);
    bed.faults.set('n2', { kind: 'permanent' });
    const events = [bed.customerChanged(t, 'n1'), bed.customerChanged(t, 'n2')];
    await bed.produce(events);
    await bed.settled();

    const outcomes = await bed.outcomes();
    expect(outcomes.find((o) => o.causationId === events[0].id)).toMatchObject({
      type: 'CustomerSynced',
      source: 'open-one-poweroffice/nest-customer-sync',
    });
    // Not Nest's "Internal server error": the handler's own code and PowerOffice's words.
    expect(outcomes.find((o) => o.causationId === events[1].id)?.data.error).toMatchObject({
      code: 'POWEROFFICE_REJECTED',
      powerOffice: { detail: 'Name is too long' },
    });
    expect(bed.faults.callsOf('n2')).toBe(1);

    const health = await fetch(`${await app.getUrl()}/health`.replace('[::1]', '127.0.0.1'));
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ details: { 'pipeline-nest-customer-sync': { status: 'up' } } });
    const metrics = await (await fetch(`${await app.getUrl()}/metrics`)).text();
    expect(metrics).toMatch(/pipeline_events_total\{[^}]*result="succeeded"[^}]*\} 1/);
  });
});
