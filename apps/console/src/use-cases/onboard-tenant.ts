import { Tenant, TenantService } from '@lib/tenancy';
import { Caller } from '../action-log/action-log.repository';
import { ActionRecorder } from '../action-log/action-recorder';

export interface OnboardTenantCommand {
  id: string;
  name: string;
  organizationNumber: string;
  /** From the "Open One" extension in PowerOffice Go; checked at once, stored encrypted, never shown again. */
  clientKey: string;
}

/**
 * Adds a shop. Tenancy checks the key against PowerOffice (token, then the integration's privileges,
 * each missing one named), reads the chart of accounts, VAT codes and customer number series, and
 * stores the key encrypted; nothing is stored when PowerOffice says no.
 */
export class OnboardTenant {
  constructor(
    private readonly tenants: TenantService,
    private readonly recorder: ActionRecorder,
  ) {}

  execute(caller: Caller, command: OnboardTenantCommand): Promise<Tenant> {
    return this.recorder.run(
      caller,
      // The key stays out of the record; the name and organisation number say which shop it was.
      { action: 'tenant.onboard', tenantId: command.id, target: { name: command.name, organizationNumber: command.organizationNumber } },
      () => this.tenants.onboard({ ...command, actor: caller.actor }),
      (tenant) => ({ invoiceMode: tenant.invoiceMode, privileges: tenant.privileges.length }),
    );
  }
}
