import { conflict, notFound, refused } from '../domain/console-errors';
import { FlowHost, HostedFlow } from './flow-host';

/** What the console asks of the settlement app, run in-process through FlowHost. */
export interface SettlementOperations {
  /** A failed report, after the fix: rebuild the voucher and post it now. */
  resend(tenantId: string, registerId: string, zNumber: number): Promise<unknown>;
  /** A posted day: reverse the voucher and post the report again. */
  repost(tenantId: string, registerId: string, zNumber: number): Promise<unknown>;
}

/** Finds the settlement app's service among the hosted flow's providers. */
export type SettlementServiceLocator = (hosted: HostedFlow) => Promise<SettlementOperations>;

/** The settlement app's own `SettlementActions` service (apps/settlement/src/index.ts), loaded on first use. */
export const locateSettlementService: SettlementServiceLocator = async (hosted) => {
  const { SettlementActions } = await import('../../../settlement/src');
  return hosted.get(SettlementActions);
};

/**
 * SettlementOperations through the settlement app's own service, hosted in this process (the
 * resend's posting happens here at once: the settlement app nudges its poster after the commit;
 * several posters at a time are safe by its design). The settlement app's refusals become the
 * console's: not found 404, wrong state 409, cannot be built 422.
 */
export class HostedSettlementOperations implements SettlementOperations {
  constructor(
    private readonly flows: FlowHost,
    private readonly locate: SettlementServiceLocator = locateSettlementService,
  ) {}

  resend(tenantId: string, registerId: string, zNumber: number): Promise<unknown> {
    return this.run((s) => s.resend(tenantId, registerId, zNumber));
  }

  repost(tenantId: string, registerId: string, zNumber: number): Promise<unknown> {
    return this.run((s) => s.repost(tenantId, registerId, zNumber));
  }

  private run(work: (service: SettlementOperations) => Promise<unknown>): Promise<unknown> {
    return this.flows.use('settlement', async (hosted) => {
      try {
        return await work(await this.locate(hosted));
      } catch (err) {
        throw translated(err);
      }
    });
  }
}

/** The settlement app's SettlementActionError (recognised by shape: the console does not load its class for this). */
function translated(err: unknown): unknown {
  if (!(err instanceof Error) || err.name !== 'SettlementActionError') return err;
  const { reason, error } = err as Error & { reason?: string; error?: unknown };
  switch (reason) {
    case 'not-found':
      return notFound(err.message);
    case 'wrong-state':
      return conflict(err.message);
    case 'rejected':
      return refused(err.message, error);
    default:
      return err;
  }
}
