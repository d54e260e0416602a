import type { Kafka } from 'kafkajs';
import type { DeadLetters } from '@lib/pipeline';
import type { JsonLogger } from '@lib/platform';
import type { TenantService } from '@lib/tenancy';
import type { DataSource } from 'typeorm';
import { ActionLogRepository } from '../action-log/action-log.repository';
import { ActionRecorder } from '../action-log/action-recorder';
import { FlowHost } from '../flows/flow-host';
import { SettlementOperations } from '../flows/settlement-actions';
import { StatusRepository } from '../status/status.repository';
import { CheckAccountMapping, SetAccountMapping, ShowAccountMapping } from './account-mapping';
import { ListDeadLetters, RedriveDeadLetters } from './dead-letters';
import { ImportSaftFile } from './import-saft-file';
import { OnboardTenant } from './onboard-tenant';
import { ReadStatusOverview, ReadTenantStatus } from './read-status';
import { ResendInvoice } from './resend-invoice';
import { ResyncTenant } from './resync-tenant';
import { RepostSettlement, ResendSettlement } from './settlement-actions';
import { SetInvoiceMode, SetSettlementSchedule, SetTenantEnabled, VerifyTenant } from './tenant-settings';

/** What the console's use cases are built from; the HTTP app gets it from Nest, the CLI builds it by hand. */
export interface ConsoleDeps {
  db: DataSource;
  tenants: TenantService;
  deadLetters: DeadLetters;
  kafka: Kafka;
  flows: FlowHost;
  settlements: SettlementOperations;
  log: JsonLogger;
  topicPrefix: string;
}

/**
 * Every operator use case, built once from the same dependencies for both transports: the HTTP
 * controllers and the CLI commands are adapters over these (one class per action).
 */
export function buildUseCases(deps: ConsoleDeps) {
  const actions = new ActionLogRepository(deps.db);
  const recorder = new ActionRecorder(actions, deps.log.child({ component: 'action-log' }));
  const status = new StatusRepository(deps.db);
  return {
    onboardTenant: new OnboardTenant(deps.tenants, recorder),
    setAccountMapping: new SetAccountMapping(deps.tenants, recorder),
    checkAccountMapping: new CheckAccountMapping(deps.tenants),
    showAccountMapping: new ShowAccountMapping(deps.tenants),
    setSettlementSchedule: new SetSettlementSchedule(deps.tenants, recorder),
    setInvoiceMode: new SetInvoiceMode(deps.tenants, recorder),
    setTenantEnabled: new SetTenantEnabled(deps.tenants, recorder),
    verifyTenant: new VerifyTenant(deps.tenants, recorder),
    readTenantStatus: new ReadTenantStatus(deps.tenants, status, actions),
    readStatusOverview: new ReadStatusOverview(deps.tenants, status),
    resendSettlement: new ResendSettlement(deps.tenants, deps.settlements, status, recorder),
    repostSettlement: new RepostSettlement(deps.tenants, deps.settlements, status, recorder),
    resendInvoice: new ResendInvoice(deps.tenants, deps.deadLetters, status, recorder, deps.topicPrefix),
    resyncTenant: new ResyncTenant(deps.tenants, deps.flows, recorder, deps.topicPrefix),
    listDeadLetters: new ListDeadLetters(deps.deadLetters, deps.topicPrefix),
    redriveDeadLetters: new RedriveDeadLetters(deps.deadLetters, recorder, deps.topicPrefix),
    importSaftFile: new ImportSaftFile(deps.tenants, deps.kafka, recorder, deps.topicPrefix),
  };
}

export type UseCases = ReturnType<typeof buildUseCases>;

/** The use-case classes by their key in {@link UseCases}: lets Nest inject each by its class. */
export const USE_CASE_TYPES = {
  onboardTenant: OnboardTenant,
  setAccountMapping: SetAccountMapping,
  checkAccountMapping: CheckAccountMapping,
  showAccountMapping: ShowAccountMapping,
  setSettlementSchedule: SetSettlementSchedule,
  setInvoiceMode: SetInvoiceMode,
  setTenantEnabled: SetTenantEnabled,
  verifyTenant: VerifyTenant,
  readTenantStatus: ReadTenantStatus,
  readStatusOverview: ReadStatusOverview,
  resendSettlement: ResendSettlement,
  repostSettlement: RepostSettlement,
  resendInvoice: ResendInvoice,
  resyncTenant: ResyncTenant,
  listDeadLetters: ListDeadLetters,
  redriveDeadLetters: RedriveDeadLetters,
  importSaftFile: ImportSaftFile,
} as const satisfies { [K in keyof UseCases]: abstract new (...args: never[]) => UseCases[K] };
