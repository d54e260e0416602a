// The PowerOffice Go v2 client: tokens, the shared API budget, typed errors and resources.
export { LANES, isLane } from './lanes';
export type { Lane } from './lanes';
export { toNok, toOre } from './money';
export type { Ore } from './money';
export {
  DEFAULT_BASE_URL,
  DEFAULT_BUDGET_HEADROOM,
  DEFAULT_RATE_LIMIT,
  DEFAULT_TIMEOUT_MS,
  EMULATOR_DEV_KEYS,
  PowerOfficeConfigError,
  powerOfficeConfigFromEnv,
  powerOfficeUrls,
} from './config';
export type { PowerOfficeConfig } from './config';
export type { Clock } from './clock';
export { systemClock } from './clock';
export type { SqlQueryable } from './db';

export { PowerOfficeClient, PowerOfficeClientFactory } from './client';
export type { PowerOfficeClientFactoryOptions, TenantClientRequest } from './client';

export type { ApiBudget, BudgetGrant } from './budget/api-budget';
export { InMemoryApiBudget } from './budget/in-memory-api-budget';
export { PgApiBudget } from './budget/pg-api-budget';
export type { PgApiBudgetOptions } from './budget/pg-api-budget';
export { DEFAULT_HEADROOM } from './budget/slot-budget';
export type { SlotBudgetOptions } from './budget/slot-budget';
export { laneHorizonMs } from './budget/lane-policy';

export type { ApiCallRecord, CallRecorder } from './recording/call-recorder';
export { InMemoryCallRecorder } from './recording/in-memory-call-recorder';
export { PgCallRecorder } from './recording/pg-call-recorder';
export type { PgCallRecorderOptions } from './recording/pg-call-recorder';

export {
  PowerOfficeNotAuthorisedError,
  PowerOfficeRejectedError,
  PowerOfficeUnavailableError,
} from './errors/power-office-errors';
export type { CallContext, RejectionCode } from './errors/power-office-errors';
export { parseProblem } from './errors/problem-details';
export type { ProblemFields } from './errors/problem-details';
export { parseRetryAfter, retryAfterFromMessage } from './errors/retry-after';

export { diffToPatch } from './wire/json-patch';
export type { PatchOperation } from './wire/json-patch';
export type { PageOptions } from './http/paging';

export * from './resources/enums';
export type { UpdateResult } from './resources/resource';
export type {
  Customer,
  CustomerChanges,
  CustomerFilter,
  ContactAddress,
  ContactAddressChanges,
  NewContactAddress,
  NewCustomer,
} from './resources/customers';
export type {
  NewProduct,
  NewProductGroup,
  Product,
  ProductChanges,
  ProductFilter,
  ProductGroup,
  ProductGroupChanges,
  ProductGroupFilter,
} from './resources/products';
export type {
  GeneralLedgerAccount,
  GeneralLedgerAccountFilter,
  LockDateSettings,
  SubLedgerNumberSeries,
  SubLedgerNumberSeriesFilter,
  VatCode,
  VatCodeFilter,
} from './resources/accounting-settings';
export type { Department, DepartmentFilter, NewDepartment } from './resources/departments';
export type {
  CashVoucher,
  CashVoucherLine,
  LineDimensions,
  NewCashVoucher,
  NewCashVoucherLine,
  NewOutgoingInvoiceVoucher,
  OutgoingInvoiceVoucher,
  OutgoingInvoiceVoucherLine,
} from './resources/vouchers';
export type {
  InvoiceSentState,
  NewSalesOrder,
  NewSalesOrderLine,
  OrderDimensions,
  SalesOrder,
  SalesOrderLine,
  SendInvoiceReceipt,
  SendInvoiceRequest,
} from './resources/sales-orders';
export type {
  AccountTransaction,
  AccountTransactionFilter,
  OutgoingInvoice,
  OutgoingInvoiceFilter,
} from './resources/reporting';
export type { ClientIntegrationInformation } from './resources/client-integration-information';

export {
  PowerOfficeModule,
  POWEROFFICE_API_BUDGET,
  POWEROFFICE_CALL_RECORDER,
  POWEROFFICE_CONFIG,
} from './nest/power-office.module';
export type { PowerOfficeModuleOptions } from './nest/power-office.module';
