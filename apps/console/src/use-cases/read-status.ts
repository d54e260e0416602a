import { Tenant, TenantService } from '@lib/tenancy';
import { ActionLogRepository, ActionRecord } from '../action-log/action-log.repository';
import { notFound } from '../domain/console-errors';
import { overview, OverviewEntry, SettlementDay, settlementDays, TenantSummary } from '../domain/status';
import {
  ApiCallSummary,
  ArticleEntry,
  CustomerEntry,
  InvoiceEntry,
  ParkedEvent,
  Part,
  StatusRepository,
} from '../status/status.repository';
import { StateCounts } from '../domain/status';

export interface TenantStatus {
  tenant: Tenant;
  mapping: { version: number; updatedAt: string; updatedBy: string } | null;
  settlements: Part<{ days: SettlementDay[] }>;
  invoices: Part<{ counts: StateCounts; items: InvoiceEntry[] }>;
  customers: Part<{ counts: StateCounts; failing: CustomerEntry[] }>;
  articles: Part<{ counts: StateCounts; failing: ArticleEntry[] }>;
  parkedEvents: { count: number; items: ParkedEvent[] };
  apiCalls: ApiCallSummary;
  recentActions: ActionRecord[];
}

/** Everything the console shows of one tenant: days, invoices, customers, articles, parked events, API calls. */
export class ReadTenantStatus {
  constructor(
    private readonly tenants: TenantService,
    private readonly status: StatusRepository,
    private readonly actions: ActionLogRepository,
  ) {}

  async execute(tenantId: string, options: { days?: number } = {}): Promise<TenantStatus> {
    const tenant = await this.tenants.get(tenantId);
    if (!tenant) throw notFound(`Tenant ${tenantId} is not onboarded`);
    const [mapping, settlements, invoices, customers, articles, parkedEvents, apiCalls, recentActions] = await Promise.all([
      this.tenants.getMapping(tenantId),
      this.status.settlements(tenantId, options.days ?? 31),
      this.status.invoices(tenantId),
      this.status.customers(tenantId),
      this.status.articles(tenantId),
      this.status.parkedEvents(tenantId),
      this.status.apiCalls(tenantId),
      this.actions.recent({ tenantId, limit: 20 }),
    ]);
    return {
      tenant,
      mapping: mapping ? { version: mapping.version, updatedAt: mapping.updatedAt.toISOString(), updatedBy: mapping.updatedBy } : null,
      settlements: settlements.available ? { available: true, days: settlementDays(settlements.entries) } : settlements,
      invoices,
      customers,
      articles,
      parkedEvents,
      apiCalls,
      recentActions,
    };
  }
}

export interface StatusOverview {
  generatedAt: string;
  /** Which flows' status views could be read; an absent one is shown as unavailable, not as healthy. */
  available: { settlements: boolean; invoices: boolean; customers: boolean; articles: boolean };
  tenants: OverviewEntry[];
}

/** Every tenant, with anything failed or missing first. */
export class ReadStatusOverview {
  constructor(
    private readonly tenants: TenantService,
    private readonly status: StatusRepository,
  ) {}

  async execute(): Promise<StatusOverview> {
    const [tenants, settlements, invoices, customers, articles, parked, apiErrors, mapped] = await Promise.all([
      this.tenants.list(),
      this.status.settlementCountsByTenant(),
      this.status.failingCountsByTenant('invoice'),
      this.status.failingCountsByTenant('customer'),
      this.status.failingCountsByTenant('article'),
      this.status.parkedCountsByTenant(),
      this.status.apiErrorCountsByTenant(),
      this.status.tenantsWithMapping(),
    ]);
    const summaries: TenantSummary[] = tenants.map((t) => ({
      tenantId: t.id,
      name: t.name,
      enabled: t.enabled,
      authorised: t.authorised,
      notAuthorisedReason: t.notAuthorisedReason,
      hasMapping: mapped.has(t.id),
      settlements: settlements ? (settlements.get(t.id) ?? { failed: 0, missing: 0, pending: 0, posted: 0 }) : null,
      invoicesFailing: invoices ? (invoices.get(t.id) ?? 0) : null,
      customersFailing: customers ? (customers.get(t.id) ?? 0) : null,
      articlesFailing: articles ? (articles.get(t.id) ?? 0) : null,
      parkedEvents: parked.get(t.id) ?? 0,
      apiErrorsLastDay: apiErrors.get(t.id) ?? 0,
    }));
    return {
      generatedAt: new Date().toISOString(),
      available: { settlements: !!settlements, invoices: !!invoices, customers: !!customers, articles: !!articles },
      tenants: overview(summaries),
    };
  }
}
