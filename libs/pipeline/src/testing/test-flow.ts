import { CustomerChanged, PermanentError, TransientError } from '@lib/contracts';
import type { DataSource } from 'typeorm';
import type { HandlerContext, HandlerResult } from '../handler';

/**
 * A small flow for the pipeline's own tests: CustomerChanged → a "customer" in a fake external
 * system (a PostgreSQL table standing in for PowerOffice, outside the pipeline's transactions, with
 * NO uniqueness of its own) → CustomerSynced. Like a real flow it looks up by a deterministic
 * reference before it creates, and records what it sent through `persist`.
 */
export const TEST_SCHEMA = 'pipeline_test';

export async function createTestFlowSchema(db: DataSource): Promise<void> {
  await db.query(`CREATE SCHEMA IF NOT EXISTS ${TEST_SCHEMA}`);
  await db.query(`
    CREATE TABLE IF NOT EXISTS ${TEST_SCHEMA}.external_objects (
      id          bigserial PRIMARY KEY,
      tenant_id   text NOT NULL,
      reference   text NOT NULL,
      name        text NOT NULL,
      created_at  timestamptz NOT NULL DEFAULT now(),
      updated_at  timestamptz NOT NULL DEFAULT now()
    )`);
  await db.query(
    `CREATE INDEX IF NOT EXISTS external_objects_reference_idx ON ${TEST_SCHEMA}.external_objects (reference)`,
  );
  await db.query(`
    CREATE TABLE IF NOT EXISTS ${TEST_SCHEMA}.synced_customers (
      tenant_id    text NOT NULL,
      customer_id  text NOT NULL,
      name         text NOT NULL,
      event_id     text NOT NULL,
      PRIMARY KEY (tenant_id, customer_id)
    )`);
}

export interface ExternalObject {
  id: number;
  reference: string;
  name: string;
}

/** The fake PowerOffice of one tenant; `writes` counts creates and updates (dry runs must make none). */
export class ExternalClient {
  static writes = 0;

  constructor(
    private readonly db: DataSource,
    readonly tenantId: string,
  ) {}

  async findByReference(reference: string): Promise<ExternalObject | null> {
    const rows: { id: string; reference: string; name: string }[] = await this.db.query(
      `SELECT id, reference, name FROM ${TEST_SCHEMA}.external_objects WHERE tenant_id = $1 AND reference = $2 ORDER BY id LIMIT 1`,
      [this.tenantId, reference],
    );
    return rows[0] ? { ...rows[0], id: Number(rows[0].id) } : null;
  }

  async create(reference: string, name: string): Promise<ExternalObject> {
    ExternalClient.writes++;
    const rows: { id: string }[] = await this.db.query(
      `INSERT INTO ${TEST_SCHEMA}.external_objects (tenant_id, reference, name) VALUES ($1, $2, $3) RETURNING id`,
      [this.tenantId, reference, name],
    );
    return { id: Number(rows[0].id), reference, name };
  }

  async rename(id: number, name: string): Promise<void> {
    ExternalClient.writes++;
    await this.db.query(`UPDATE ${TEST_SCHEMA}.external_objects SET name = $2, updated_at = now() WHERE id = $1`, [
      id,
      name,
    ]);
  }
}

/** What the test flow does wrong, per customer id, to exercise the pipeline's failure paths. */
export type Fault =
  | { kind: 'transient'; times: number; retryAfterMs?: number }
  | { kind: 'transientForever' }
  | { kind: 'permanent' }
  | { kind: 'bug' }
  | { kind: 'notAuthorised' }
  /** The handler answers with an outcome that breaks the contract (a bug in the flow). */
  | { kind: 'badOutcome' }
  /** Crash points for the crash-recovery tests (the child process kills itself there). */
  | { kind: 'crashBeforeExternal' }
  | { kind: 'crashAfterExternal' };

export class FaultPlan {
  readonly faults = new Map<string, Fault>();
  /** Handler calls per customer id (every attempt). */
  readonly calls = new Map<string, number>();
  /** Every handler call takes at least this long (to keep work in flight across a rebalance). */
  delayMs = 0;
  onCrash: (point: string) => void = (point) => {
    throw new Error(`crash point ${point} reached outside a crash test`);
  };

  set(customerId: string, fault: Fault): this {
    this.faults.set(customerId, fault);
    return this;
  }

  clear(customerId: string): void {
    this.faults.delete(customerId);
  }

  callsOf(customerId: string): number {
    return this.calls.get(customerId) ?? 0;
  }

  beforeExternal(customerId: string, attempt: number): void {
    this.calls.set(customerId, this.callsOf(customerId) + 1);
    const fault = this.faults.get(customerId);
    if (!fault) return;
    switch (fault.kind) {
      case 'transient':
        if (attempt <= fault.times)
          throw new TransientError(`external system unavailable (attempt ${attempt})`, {
            retryAfterMs: fault.retryAfterMs,
          });
        return;
      case 'transientForever':
        throw new TransientError('external system unavailable', {
          powerOffice: { status: 503, title: 'Service Unavailable' },
        });
      case 'permanent':
        throw new PermanentError('POWEROFFICE_REJECTED', `the external system refused customer ${customerId}`, {
          powerOffice: { status: 400, title: 'Bad Request', detail: 'Name is too long' },
        });
      case 'bug':
        throw new TypeError(`Cannot read properties of undefined (reading 'customerNumber')`);
      case 'notAuthorised':
        throw new PermanentError('TENANT_NOT_AUTHORISED', 'the client key was revoked');
      case 'crashBeforeExternal':
        return this.onCrash('before-external');
      default:
        return;
    }
  }

  afterExternal(customerId: string): void {
    if (this.faults.get(customerId)?.kind === 'crashAfterExternal') this.onCrash('after-external');
  }
}

export function customerReference(tenantId: string, customerId: string): string {
  return `open-one:${tenantId}:customer:${customerId}`;
}

/** The test flow's CustomerChanged handler. */
export function syncCustomerHandler(faults: FaultPlan) {
  return async (ctx: HandlerContext<CustomerChanged, ExternalClient>): Promise<HandlerResult> => {
    const customer = ctx.envelope.data;
    const name = customer.name ?? `${customer.firstName ?? ''} ${customer.lastName ?? ''}`.trim();
    faults.beforeExternal(customer.customerId, ctx.attempt);
    if (faults.delayMs > 0) await new Promise((r) => setTimeout(r, faults.delayMs));

    const external = ctx.powerOffice;
    const reference = customerReference(ctx.tenant.id, customer.customerId);
    const existing = await external.findByReference(reference);
    let action: 'created' | 'updated' | 'unchanged';
    let id = existing?.id ?? 0;
    if (!existing) {
      action = 'created';
      if (ctx.mode !== 'dry-run') id = (await external.create(reference, name)).id;
    } else if (existing.name !== name) {
      action = 'updated';
      if (ctx.mode !== 'dry-run') await external.rename(existing.id, name);
    } else action = 'unchanged';
    faults.afterExternal(customer.customerId);

    const reported =
      faults.faults.get(customer.customerId)?.kind === 'badOutcome' ? ('teleported' as typeof action) : action;
    return {
      outcomes: [
        {
          type: 'CustomerSynced',
          data: {
            customerId: customer.customerId,
            action: reported,
            powerOffice: { customerId: id, customerNumber: id },
          },
        },
      ],
      persist: async (tx) => {
        await tx.query(
          `INSERT INTO ${TEST_SCHEMA}.synced_customers (tenant_id, customer_id, name, event_id) VALUES ($1, $2, $3, $4)
           ON CONFLICT (tenant_id, customer_id) DO UPDATE SET name = EXCLUDED.name, event_id = EXCLUDED.event_id`,
          [ctx.tenant.id, customer.customerId, name, ctx.envelope.id],
        );
      },
      changed: action !== 'unchanged',
      change: action === 'unchanged' ? undefined : { action, name },
    };
  };
}
