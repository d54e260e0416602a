import { TokenCache } from './auth/token-cache';
import { requestAccessToken, TokenRequestContext } from './auth/token-endpoint';
import { ApiBudget } from './budget/api-budget';
import { Clock, systemClock } from './clock';
import { DEFAULT_TIMEOUT_MS, DEFAULT_USER_AGENT, PowerOfficeConfig, powerOfficeUrls } from './config';
import { ExchangeDeps } from './http/exchange';
import { SessionDeps, TenantSession } from './http/tenant-session';
import { isLane, Lane, LANES } from './lanes';
import { CallRecorder } from './recording/call-recorder';
import {
  GeneralLedgerAccounts,
  LockDate,
  SubLedgerNumberSeriesResource,
  VatCodes,
} from './resources/accounting-settings';
import { ClientIntegrationInformationResource } from './resources/client-integration-information';
import { Customers } from './resources/customers';
import { Departments } from './resources/departments';
import { ProductGroups, Products } from './resources/products';
import { AccountTransactions, OutgoingInvoices } from './resources/reporting';
import { SalesOrders } from './resources/sales-orders';
import { CashJournals, OutgoingInvoiceJournals, Vouchers } from './resources/vouchers';
import { ClientKey } from './secrets';

/** PowerOffice Go for one tenant, in one budget lane. Cheap to create; create one per unit of work. */
export class PowerOfficeClient {
  readonly customers: Customers;
  readonly products: Products;
  readonly productGroups: ProductGroups;
  readonly generalLedgerAccounts: GeneralLedgerAccounts;
  readonly vatCodes: VatCodes;
  readonly subLedgerNumberSeries: SubLedgerNumberSeriesResource;
  readonly lockDate: LockDate;
  readonly departments: Departments;
  readonly cashJournals: CashJournals;
  readonly outgoingInvoiceJournals: OutgoingInvoiceJournals;
  readonly vouchers: Vouchers;
  readonly salesOrders: SalesOrders;
  readonly accountTransactions: AccountTransactions;
  readonly outgoingInvoices: OutgoingInvoices;
  readonly clientIntegrationInformation: ClientIntegrationInformationResource;

  constructor(private readonly session: TenantSession) {
    this.customers = new Customers(session);
    this.products = new Products(session);
    this.productGroups = new ProductGroups(session);
    this.generalLedgerAccounts = new GeneralLedgerAccounts(session);
    this.vatCodes = new VatCodes(session);
    this.subLedgerNumberSeries = new SubLedgerNumberSeriesResource(session);
    this.lockDate = new LockDate(session);
    this.departments = new Departments(session);
    this.cashJournals = new CashJournals(session);
    this.outgoingInvoiceJournals = new OutgoingInvoiceJournals(session);
    this.vouchers = new Vouchers(session);
    this.salesOrders = new SalesOrders(session);
    this.accountTransactions = new AccountTransactions(session);
    this.outgoingInvoices = new OutgoingInvoices(session);
    this.clientIntegrationInformation = new ClientIntegrationInformationResource(session);
  }

  get tenantId(): string {
    return this.session.tenantId;
  }

  get lane(): Lane {
    return this.session.lane;
  }
}

export interface TenantClientRequest {
  tenantId: string;
  /** The tenant's client key in clear (decrypted by tenancy); held privately, never logged. */
  clientKey: string;
  lane: Lane;
}

export interface PowerOfficeClientFactoryOptions {
  clock?: Clock;
  /** Replaces global fetch (unit tests). */
  fetch?: typeof fetch;
}

/**
 * Builds tenant clients that share this process's token cache, the API budget and the call
 * recorder. One factory per process (the Nest module provides it).
 */
export class PowerOfficeClientFactory {
  private readonly deps: SessionDeps;
  private readonly tokens: TokenCache<TokenRequestContext>;

  constructor(
    config: PowerOfficeConfig,
    budget: ApiBudget,
    recorder: CallRecorder,
    options: PowerOfficeClientFactoryOptions = {},
  ) {
    const { apiRoot, tokenUrl } = powerOfficeUrls(config.baseUrl);
    const clock = options.clock ?? systemClock;
    const userAgent = config.userAgent ?? DEFAULT_USER_AGENT;
    const exchangeDeps: ExchangeDeps = {
      budget,
      recorder,
      clock,
      fetch: options.fetch ?? ((input, init) => fetch(input, init)),
      timeoutMs: config.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    };
    const tokenEndpoint = {
      tokenUrl,
      applicationKey: config.applicationKey,
      subscriptionKey: config.subscriptionKey,
      userAgent,
    };
    this.tokens = new TokenCache<TokenRequestContext>(
      (key, ctx) => requestAccessToken(exchangeDeps, tokenEndpoint, key, ctx),
      clock,
    );
    this.deps = { ...exchangeDeps, apiRoot, subscriptionKey: config.subscriptionKey, userAgent, tokens: this.tokens };
  }

  forTenant(request: TenantClientRequest): PowerOfficeClient {
    if (!request.tenantId) throw new TypeError('forTenant needs a tenantId');
    if (!isLane(request.lane))
      throw new TypeError(`Unknown lane "${String(request.lane)}"; one of ${LANES.join(', ')}`);
    return new PowerOfficeClient(
      new TenantSession(this.deps, request.tenantId, new ClientKey(request.clientKey), request.lane),
    );
  }

  /** Drops the cached token of a client key (the key was replaced, or the tenant was de-authorised). */
  invalidateToken(clientKey: string): void {
    this.tokens.invalidate(new ClientKey(clientKey));
  }
}
