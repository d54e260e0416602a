import type { Tenant } from '@lib/tenancy';
import type { TenantDirectory } from '../tenants';

/** A tenant directory for tests: tenants by id, and a client factory of the test's choosing. */
export class InMemoryTenants<TClient> implements TenantDirectory<TClient> {
  private readonly tenants = new Map<string, Tenant>();
  readonly notAuthorisedMarks: { tenantId: string; reason: string }[] = [];

  constructor(private readonly clientFactory: (tenantId: string, lane: string) => TClient) {}

  add(id: string, state: { enabled?: boolean; authorised?: boolean } = {}): this {
    const now = new Date();
    this.tenants.set(id, {
      id,
      name: `Shop ${id}`,
      organizationNumber: '999999999',
      clientKeyFingerprint: 'test',
      enabled: state.enabled ?? true,
      authorised: state.authorised ?? true,
      notAuthorisedReason: state.authorised === false ? 'client key revoked in the test' : null,
      invoiceMode: 'voucher',
      settlementSchedule: { mode: 'afterEndOfDay' },
      customerNumberSeries: null,
      privileges: [],
      createdAt: now,
      updatedAt: now,
    });
    return this;
  }

  async get(tenantId: string): Promise<Tenant | null> {
    const t = this.tenants.get(tenantId);
    return t ? { ...t } : null;
  }

  async markNotAuthorised(tenantId: string, reason: string): Promise<void> {
    this.notAuthorisedMarks.push({ tenantId, reason });
    const t = this.tenants.get(tenantId);
    if (t) this.tenants.set(tenantId, { ...t, authorised: false, notAuthorisedReason: reason });
  }

  async clientFor(tenantId: string, lane: string): Promise<TClient> {
    return this.clientFactory(tenantId, lane);
  }
}
