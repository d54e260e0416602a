import { SchedulerRegistry } from '@nestjs/schedule';
import { PermanentError } from '@lib/contracts';
import { JsonLogger } from '@lib/platform';
import type { Tenant, TenantService } from '@lib/tenancy';
import type { DataSource } from 'typeorm';
import type { OutcomeOutbox } from '@lib/pipeline';
import { CustomerMappingRepository } from './customer-mapping.repository';
import { CustomerSyncConfig } from './customer-sync.config';
import { PollWatermarkRepository } from './poll-watermark.repository';
import { PowerOfficeCustomerPoll, TenantPollResult } from './poweroffice-customer-poll.job';

/** Which tenants a round visits, and what a failing tenant does to the round (no I/O: the per-tenant poll is stubbed). */
function pollWith(tenants: Partial<Tenant>[], pollTenant: (id: string) => Promise<TenantPollResult>, interval = 0) {
  const marked: string[] = [];
  const directory = {
    list: async () => tenants as Tenant[],
    markNotAuthorised: async (id: string) => {
      marked.push(id);
    },
  } as unknown as TenantService;
  const config = Object.assign(new CustomerSyncConfig(), { CUSTOMER_POLL_INTERVAL_MS: interval });
  const scheduler = new SchedulerRegistry();
  const poll = new PowerOfficeCustomerPoll(
    config,
    directory,
    {} as DataSource,
    {} as OutcomeOutbox,
    new CustomerMappingRepository(),
    new PollWatermarkRepository(),
    scheduler,
    new JsonLogger('test', 'error', {}, () => undefined),
  );
  poll.pollTenant = pollTenant;
  return { poll, marked, scheduler };
}

const polled = async (tenantId: string): Promise<TenantPollResult> => ({ tenantId, status: 'polled', published: 0 });

describe('PowerOfficeCustomerPoll round', () => {
  it('visits every enabled and authorised tenant, and only those', async () => {
    const { poll } = pollWith(
      [
        { id: 'a', enabled: true, authorised: true },
        { id: 'disabled', enabled: false, authorised: true },
        { id: 'refused', enabled: true, authorised: false },
        { id: 'b', enabled: true, authorised: true },
      ],
      polled,
    );
    expect((await poll.pollAll()).map((r) => r.tenantId)).toEqual(['a', 'b']);
  });

  it('a failing tenant does not stop the round; a refused client key marks the tenant not authorised', async () => {
    const { poll, marked } = pollWith(
      [
        { id: 'down', enabled: true, authorised: true },
        { id: 'revoked', enabled: true, authorised: true },
        { id: 'ok', enabled: true, authorised: true },
      ],
      async (id) => {
        if (id === 'down') throw new Error('PowerOffice failed (503)');
        if (id === 'revoked') throw new PermanentError('TENANT_NOT_AUTHORISED', 'client key rejected');
        return polled(id);
      },
    );
    const results = await poll.pollAll();
    expect(results.map((r) => [r.tenantId, r.status])).toEqual([
      ['down', 'failed'],
      ['revoked', 'failed'],
      ['ok', 'polled'],
    ]);
    expect(marked).toEqual(['revoked']);
  });

  it.each([
    [180_000, true],
    [0, false],
  ])('CUSTOMER_POLL_INTERVAL_MS=%i schedules the poll: %s', async (interval, scheduled) => {
    const { poll, scheduler } = pollWith([], polled, interval);
    poll.onApplicationBootstrap();
    expect(scheduler.doesExist('interval', 'poweroffice-customer-poll')).toBe(scheduled);
    await poll.onApplicationShutdown();
    expect(scheduler.doesExist('interval', 'poweroffice-customer-poll')).toBe(false);
  });
});
