import { InvoiceMode, SettlementSchedule, Tenant, TenantService } from '@lib/tenancy';
import { Caller } from '../action-log/action-log.repository';
import { ActionRecorder } from '../action-log/action-recorder';

/** When a tenant's settlements are posted: after the end of day, or at a local time (Europe/Oslo). */
export class SetSettlementSchedule {
  constructor(
    private readonly tenants: TenantService,
    private readonly recorder: ActionRecorder,
  ) {}

  execute(caller: Caller, tenantId: string, schedule: SettlementSchedule): Promise<Tenant> {
    return this.recorder.run(
      caller,
      { action: 'schedule.set', tenantId, target: { schedule } },
      () => this.tenants.setSchedule(tenantId, schedule, caller.actor),
      (t) => ({ schedule: t.settlementSchedule }),
    );
  }
}

/** How invoices reach PowerOffice: outgoing-invoice vouchers or sales orders. */
export class SetInvoiceMode {
  constructor(
    private readonly tenants: TenantService,
    private readonly recorder: ActionRecorder,
  ) {}

  execute(caller: Caller, tenantId: string, mode: InvoiceMode): Promise<Tenant> {
    return this.recorder.run(
      caller,
      { action: 'invoiceMode.set', tenantId, target: { invoiceMode: mode } },
      () => this.tenants.setInvoiceMode(tenantId, mode, caller.actor),
      (t) => ({ invoiceMode: t.invoiceMode }),
    );
  }
}

/** Disables a tenant (its events are held, not posted) or enables it again. */
export class SetTenantEnabled {
  constructor(
    private readonly tenants: TenantService,
    private readonly recorder: ActionRecorder,
  ) {}

  execute(caller: Caller, tenantId: string, enabled: boolean): Promise<Tenant> {
    return this.recorder.run(
      caller,
      { action: enabled ? 'tenant.enable' : 'tenant.disable', tenantId },
      () => this.tenants.setEnabled(tenantId, enabled, caller.actor),
      (t) => ({ enabled: t.enabled }),
    );
  }
}

/** Asks PowerOffice again whether the stored key works and has every privilege (after the customer fixed them). */
export class VerifyTenant {
  constructor(
    private readonly tenants: TenantService,
    private readonly recorder: ActionRecorder,
  ) {}

  execute(caller: Caller, tenantId: string): Promise<Tenant> {
    return this.recorder.run(
      caller,
      { action: 'tenant.verify', tenantId },
      () => this.tenants.verifyAuthorisation(tenantId, caller.actor),
      (t) => ({ authorised: t.authorised, notAuthorisedReason: t.notAuthorisedReason }),
    );
  }
}
