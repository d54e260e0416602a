import { IntegrationError } from '@lib/contracts';
import type { JsonLogger } from '@lib/platform';
import { ConsoleError } from '../domain/console-errors';
import { ActionLogRepository, Caller } from './action-log.repository';

export interface ActionDescription {
  /** e.g. `settlement.resend`, `tenant.onboard`. */
  action: string;
  tenantId?: string | null;
  /** What the action was about (register and Z number, topic, event ids …). Never a secret. */
  target?: Record<string, unknown>;
}

/** The error code an action's failure is logged with. */
function codeOf(err: unknown): string {
  if (err instanceof IntegrationError) return err.code;
  if (err instanceof ConsoleError) return `CONSOLE_${err.kind.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;
  return 'INTERNAL';
}

/**
 * Runs an operator action and records it in console.action_log — who, what, when, and how it
 * ended — whether it succeeded or not. A failure to write the record is logged, never allowed to
 * hide the action's own result.
 */
export class ActionRecorder {
  constructor(
    private readonly actions: ActionLogRepository,
    private readonly log: JsonLogger,
  ) {}

  async run<T>(
    caller: Caller,
    what: ActionDescription,
    work: () => Promise<T>,
    outcomeOf: (result: T) => unknown = () => undefined,
  ): Promise<T> {
    const started = Date.now();
    const base = {
      actor: caller.actor,
      transport: caller.transport,
      action: what.action,
      tenantId: what.tenantId ?? null,
      target: what.target ?? {},
    };
    let result: T;
    try {
      result = await work();
    } catch (err) {
      await this.append({
        ...base,
        result: 'failed',
        outcome: undefined,
        errorCode: codeOf(err),
        errorMessage: (err as Error)?.message ?? String(err),
        durationMs: Date.now() - started,
      });
      throw err;
    }
    await this.append({
      ...base,
      result: 'done',
      outcome: outcomeOf(result),
      errorCode: null,
      errorMessage: null,
      durationMs: Date.now() - started,
    });
    return result;
  }

  private async append(entry: Parameters<ActionLogRepository['append']>[0]): Promise<void> {
    try {
      await this.actions.append(entry);
    } catch (err) {
      this.log.error('could not record an operator action in console.action_log', {
        action: entry.action,
        tenantId: entry.tenantId,
        actor: entry.actor,
        result: entry.result,
        reason: (err as Error).message,
      });
    }
  }
}
