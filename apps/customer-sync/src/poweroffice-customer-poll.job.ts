import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { DataSource } from 'typeorm';
import { buildEvent, Envelope, IntegrationError } from '@lib/contracts';
import { OutcomeOutbox } from '@lib/pipeline';
import { APP_CONFIG, JsonLogger } from '@lib/platform';
import type { Customer } from '@lib/poweroffice';
import { TenantService } from '@lib/tenancy';
import { CustomerMappingRepository } from './customer-mapping.repository';
import { CustomerSyncConfig } from './customer-sync.config';
import { contentFromPowerOffice, contentHash } from './domain/customer-content';
import { requireInstant, ticksFromDate, ticksFromMs } from './domain/instant';
import { MappedCustomer, planPoll, pollSince } from './domain/poll-plan';
import { powerOfficeChangeData, powerOfficeChangeEventId } from './domain/poweroffice-customer-changed';
import { PollWatermarkRepository } from './poll-watermark.repository';

const SOURCE = 'open-one-poweroffice/customer-sync';
const INTERVAL_NAME = 'poweroffice-customer-poll';

export interface TenantPollResult {
  tenantId: string;
  /** `busy`: another instance is polling this tenant right now. */
  status: 'polled' | 'busy' | 'failed';
  /** The `lastChangedDateTimeOffsetGreaterThan` asked for. */
  since?: string;
  fetched?: number;
  published?: number;
  /** Our own writes and creates, not echoed back. */
  echoesSuppressed?: number;
  /** Seen in an earlier round (overlap window). */
  alreadyPublished?: number;
  /** Customers PowerOffice holds in a shape the contract cannot carry (named in the log). */
  unpublishable?: number;
  watermark?: string | null;
  error?: string;
}

/**
 * PowerOffice → Open One: every CUSTOMER_POLL_INTERVAL_MS, each enabled and authorised tenant's
 * PowerOffice customers changed since the tenant's watermark are read (customer lane of the API
 * budget, page by page) and published as PowerOfficeCustomerChanged through the transactional
 * outbox, in the transaction that moves the watermark: a crash publishes nothing twice and loses
 * nothing. Our own writes are not echoed. An advisory lock per tenant keeps two instances from
 * polling the same tenant at once.
 */
@Injectable()
export class PowerOfficeCustomerPoll implements OnApplicationBootstrap, OnApplicationShutdown {
  private round?: Promise<unknown>;
  private readonly log: JsonLogger;

  constructor(
    @Inject(APP_CONFIG) private readonly config: CustomerSyncConfig,
    private readonly tenants: TenantService,
    private readonly dataSource: DataSource,
    private readonly outbox: OutcomeOutbox,
    private readonly mappings: CustomerMappingRepository,
    private readonly watermarks: PollWatermarkRepository,
    private readonly scheduler: SchedulerRegistry,
    log: JsonLogger,
  ) {
    this.log = log.child({ component: 'poweroffice-customer-poll' });
  }

  onApplicationBootstrap(): void {
    const every = this.config.CUSTOMER_POLL_INTERVAL_MS;
    if (every <= 0) {
      this.log.info('PowerOffice customer poll is off (CUSTOMER_POLL_INTERVAL_MS=0)');
      return;
    }
    const timer = setInterval(() => this.tick(), every);
    this.scheduler.addInterval(INTERVAL_NAME, timer);
  }

  /** Lets a round in progress finish (its transaction commits or rolls back as a whole anyway). */
  async onApplicationShutdown(): Promise<void> {
    if (this.scheduler.doesExist('interval', INTERVAL_NAME)) this.scheduler.deleteInterval(INTERVAL_NAME);
    await this.round;
  }

  /** A tick while the previous round still runs is skipped, not queued. */
  private tick(): void {
    if (this.round) return;
    this.round = this.pollAll()
      .catch((err: Error) => this.log.error('customer poll round failed', { reason: err.message }))
      .finally(() => {
        this.round = undefined;
      });
  }

  /** One round over every enabled, authorised tenant; a failing tenant does not stop the others. */
  async pollAll(): Promise<TenantPollResult[]> {
    const results: TenantPollResult[] = [];
    for (const tenant of await this.tenants.list()) {
      if (!tenant.enabled || !tenant.authorised) continue;
      try {
        results.push(await this.pollTenant(tenant.id));
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        this.log.warn('customer poll failed for a tenant; it is tried again next round', {
          tenantId: tenant.id,
          reason: message,
        });
        if (err instanceof IntegrationError && err.code === 'TENANT_NOT_AUTHORISED') {
          await this.tenants.markNotAuthorised(tenant.id, message).catch(() => undefined);
        }
        results.push({ tenantId: tenant.id, status: 'failed', error: message });
      }
    }
    return results;
  }

  async pollTenant(tenantId: string): Promise<TenantPollResult> {
    const tenant = await this.tenants.get(tenantId);
    if (!tenant) throw new Error(`customer poll: tenant ${tenantId} is not onboarded`);
    const overlapTicks = ticksFromMs(this.config.CUSTOMER_POLL_OVERLAP_MS);

    const result = await this.dataSource.transaction(async (tx): Promise<TenantPollResult> => {
      if (!(await this.watermarks.tryLock(tx, tenantId))) return { tenantId, status: 'busy' };
      const state = (await this.watermarks.find(tx, tenantId)) ?? { watermark: null, recent: [] };
      // The first round starts where the tenant was onboarded: changes since the integration was connected.
      const since = pollSince(state, ticksFromDate(tenant.createdAt), overlapTicks);

      const client = await this.tenants.clientFor(tenantId, 'customer');
      const customers: Customer[] = [];
      // Ordered by Id, so a customer changed while we page stays on its page.
      for await (const c of client.customers.iterate(
        { lastChangedAfter: since },
        { pageSize: this.config.CUSTOMER_POLL_PAGE_SIZE, orderBy: 'Id' },
      )) {
        customers.push(c);
      }

      const rows = await this.mappings.findByPowerOfficeIds(
        tx,
        tenantId,
        customers.map((c) => c.id),
      );
      const mapped = new Map<number, MappedCustomer>(
        [...rows].map(([id, r]) => [
          id,
          { customerId: r.customerId, poLastChanged: r.poLastChanged, poEditedAt: r.poEditedAt },
        ]),
      );
      const plan = planPoll({ customers, mapped, state, overlapTicks });

      const events: Envelope[] = [];
      const counts = { published: 0, echoesSuppressed: 0, alreadyPublished: 0, unpublishable: 0 };
      for (const { customer, verdict, posCustomerId } of plan.changes) {
        if (verdict === 'own-write' || verdict === 'own-create') counts.echoesSuppressed++;
        if (verdict === 'already-published') counts.alreadyPublished++;
        if (verdict !== 'publish') continue;
        const built = powerOfficeChangeData(customer, posCustomerId);
        if (!built.ok) {
          counts.unpublishable++;
          this.log.warn(
            'a PowerOffice customer change cannot be published: the customer does not satisfy the contract',
            {
              tenantId,
              poCustomerId: customer.id,
              problems: built.problems,
            },
          );
          continue;
        }
        if (built.dropped.length > 0) {
          this.log.info('published without fields the contract cannot carry', {
            tenantId,
            poCustomerId: customer.id,
            dropped: built.dropped,
          });
        }
        const changedAt = customer.lastChangedDateTimeOffset as string;
        events.push(
          buildEvent({
            type: 'PowerOfficeCustomerChanged',
            tenantId,
            entityId: String(customer.id),
            data: built.data,
            source: SOURCE,
            id: powerOfficeChangeEventId(tenantId, customer.id, changedAt),
            time: new Date(Number(requireInstant(changedAt, 'LastChangedDateTimeOffset') / 10_000n)),
          }),
        );
        counts.published++;
        if (posCustomerId !== undefined) {
          const content = contentFromPowerOffice(customer);
          await this.mappings.adoptPowerOfficeChange(tx, {
            tenantId,
            poCustomerId: customer.id,
            poCustomerNumber: customer.number ?? 0,
            state: content.active ? 'synced' : 'archived',
            content,
            contentHash: contentHash(content),
            poEditedAt: changedAt,
          });
        }
      }
      await this.outbox.add(tx, events);
      await this.watermarks.save(tx, tenantId, plan.next);
      return {
        tenantId,
        status: 'polled',
        since,
        fetched: customers.length,
        ...counts,
        watermark: plan.next.watermark,
      };
    });

    if ((result.published ?? 0) > 0) this.outbox.nudge();
    if (result.status === 'polled' && (result.fetched ?? 0) > 0)
      this.log.info('customer poll round done', { ...result });
    return result;
  }
}
