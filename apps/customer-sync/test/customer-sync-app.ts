import { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { buildEvent, CustomerChanged, Envelope, topicName } from '@lib/contracts';
import { CustomerSyncConfig } from '../src/customer-sync.config';
import { CustomerSyncModule } from '../src/customer-sync.module';
import { PowerOfficeCustomerPoll } from '../src/poweroffice-customer-poll.job';
import {
  createWorld,
  flowConfig,
  FlowWorld,
  onboardTenant,
  powerOfficeEnv,
  produce,
  RequestCounter,
  startFlowApp,
  testDatabase,
  TopicRecorder,
} from './flow-harness';

/** customer-sync booted against its own emulator client, tenant, topics and consumer group. */
export class CustomerSyncWorld {
  app!: INestApplication;
  outcomes!: TopicRecorder;
  changes!: TopicRecorder;
  db!: DataSource;
  readonly requests: RequestCounter;
  private version = new Map<string, number>();

  private constructor(
    readonly world: FlowWorld,
    private readonly extraConfig: Record<string, string>,
  ) {
    this.requests = new RequestCounter(world);
  }

  static async start(name: string, extraConfig: Record<string, string> = {}): Promise<CustomerSyncWorld> {
    const world = await createWorld(name, ['customerChanged', 'customerSyncOutcomes', 'powerOfficeCustomerChanged']);
    const w = new CustomerSyncWorld(world, extraConfig);
    await w.startApp();
    await onboardTenant(w.app, world);
    w.db = await testDatabase();
    w.outcomes = await TopicRecorder.start(
      world.kafka,
      topicName('customerSyncOutcomes', world.topicPrefix),
      `${world.topicPrefix}outcomes-reader`,
    );
    w.changes = await TopicRecorder.start(
      world.kafka,
      topicName('powerOfficeCustomerChanged', world.topicPrefix),
      `${world.topicPrefix}changes-reader`,
    );
    return w;
  }

  get tenantId(): string {
    return this.world.tenantId;
  }

  /** (Re)starts the app: the poll is only run by the tests (interval 0), unless configured otherwise. */
  async startApp(): Promise<void> {
    const config = flowConfig(CustomerSyncConfig, this.world, { CUSTOMER_POLL_INTERVAL_MS: '0', ...this.extraConfig });
    this.app = await startFlowApp(CustomerSyncModule.register(config, { powerOfficeEnv: powerOfficeEnv(this.world) }));
  }

  async stopApp(): Promise<void> {
    await this.app.close();
  }

  get poll(): PowerOfficeCustomerPoll {
    return this.app.get(PowerOfficeCustomerPoll);
  }

  /** A CustomerChanged for the tenant; the version counts up per customer unless given. */
  customerChanged(data: Partial<CustomerChanged> & { customerId: string }): Envelope<CustomerChanged> {
    const version = data.version ?? (this.version.get(data.customerId) ?? 0) + 1;
    this.version.set(data.customerId, Math.max(version, this.version.get(data.customerId) ?? 0));
    const full: CustomerChanged = {
      isPerson: false,
      name: `Customer ${data.customerId}`,
      active: true,
      changedAt: new Date().toISOString(),
      ...data,
      version,
    };
    return buildEvent({
      type: 'CustomerChanged',
      tenantId: this.tenantId,
      entityId: data.customerId,
      source: 'open-one',
      data: full,
    });
  }

  async produce(...events: Envelope[]): Promise<void> {
    await produce(this.world.kafka, topicName('customerChanged', this.world.topicPrefix), events);
  }

  /** Sends one event and waits for its outcome; returns the PowerOffice requests it cost. */
  async send(event: Envelope<CustomerChanged>) {
    const mark = await this.requests.mark();
    await this.produce(event);
    const outcome = await this.outcomes.waitForCause(event.id);
    const requests = await this.requests.since(mark);
    return { outcome, requests };
  }

  /** The emulator's customers of this client, as PowerOffice DTOs. */
  async poCustomers(): Promise<Record<string, unknown>[]> {
    return (await this.world.emulator.admin.state(this.world.clientKey)).customers;
  }

  async mapping(customerId: string): Promise<Record<string, unknown> | undefined> {
    const rows = await this.db.query(
      `SELECT * FROM customer_sync.customers WHERE tenant_id = $1 AND customer_id = $2`,
      [this.tenantId, customerId],
    );
    return rows[0];
  }

  async close(): Promise<void> {
    await this.outcomes?.stop().catch(() => undefined);
    await this.changes?.stop().catch(() => undefined);
    await this.app?.close().catch(() => undefined);
    await this.db?.destroy().catch(() => undefined);
    await this.world.close();
  }
}
