import { TenantService } from '@lib/tenancy';
import { Caller } from '../action-log/action-log.repository';
import { ActionRecorder } from '../action-log/action-recorder';
import { notFound } from '../domain/console-errors';
import { SettlementEntry } from '../domain/status';
import { SettlementOperations } from '../flows/settlement-actions';
import { StatusRepository } from '../status/status.repository';

export interface SettlementRef {
  tenantId: string;
  registerId: string;
  zNumber: number;
}

export interface SettlementActionResult extends SettlementRef {
  /** What the settlement app answered. */
  result: unknown;
  /** The report's row in settlement.status_view right after. */
  status: SettlementEntry | null;
}

abstract class SettlementAction {
  protected abstract readonly action: 'settlement.resend' | 'settlement.repost';

  constructor(
    private readonly tenants: TenantService,
    protected readonly settlements: SettlementOperations,
    private readonly status: StatusRepository,
    private readonly recorder: ActionRecorder,
  ) {}

  protected abstract perform(ref: SettlementRef): Promise<unknown>;

  execute(caller: Caller, ref: SettlementRef): Promise<SettlementActionResult> {
    return this.recorder.run(
      caller,
      { action: this.action, tenantId: ref.tenantId, target: { registerId: ref.registerId, zNumber: ref.zNumber } },
      async () => {
        if (!(await this.tenants.get(ref.tenantId))) throw notFound(`Tenant ${ref.tenantId} is not onboarded`);
        const before = await this.status.settlement(ref.tenantId, ref.registerId, ref.zNumber);
        if (!before) {
          throw notFound(`No Z-report ${ref.zNumber} of register ${ref.registerId} for tenant ${ref.tenantId} has reached the settlement app`);
        }
        const result = await this.perform(ref);
        return { ...ref, result, status: await this.status.settlement(ref.tenantId, ref.registerId, ref.zNumber) };
      },
      (r) => ({ state: r.status?.state ?? null }),
    );
  }
}

/** A failed settlement, after the fix (mapping, lock date …): the settlement app rebuilds the voucher and posts it. */
export class ResendSettlement extends SettlementAction {
  protected readonly action = 'settlement.resend' as const;

  protected perform(ref: SettlementRef): Promise<unknown> {
    return this.settlements.resend(ref.tenantId, ref.registerId, ref.zNumber);
  }
}

/** A posted day posted again: the settlement app reverses its voucher and posts the report anew. */
export class RepostSettlement extends SettlementAction {
  protected readonly action = 'settlement.repost' as const;

  protected perform(ref: SettlementRef): Promise<unknown> {
    return this.settlements.repost(ref.tenantId, ref.registerId, ref.zNumber);
  }
}
