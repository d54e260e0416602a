import type { DataSource, EntityManager } from 'typeorm';
import type { Envelope, OutcomeDataInput, OutcomeType } from '@lib/contracts';
import type { JsonLogger } from '@lib/platform';
import type { PowerOfficeClient } from '@lib/poweroffice';
import type { Tenant } from '@lib/tenancy';

/**
 * How an event is being run:
 *  - `live`: delivered by the flow's consumer group. Already-processed events are skipped (inbox).
 *  - `replay`: an operator's resync. The inbox is bypassed: the handler compares with PowerOffice
 *    and changes only what differs; outcomes of changed events carry a `replay:<runId>` discriminator.
 *  - `dry-run`: a resync that must change nothing. The handler reads PowerOffice but never writes
 *    to it; the runtime neither runs `persist` nor publishes outcomes, and reports `changed`/`change`.
 */
export type ProcessingMode = 'live' | 'replay' | 'dry-run';

/**
 * One outcome a handler reports. `sourceEventId` and `tenantId` are filled in from the cause; the
 * outcome's id is derived from the cause id, the type and the discriminator, so a redelivered event
 * produces the very same outcome id.
 */
export type OutcomeSpec = {
  [K in OutcomeType]: {
    type: K;
    data: OutcomeDataInput<K>;
    /** Only needed when one event yields several outcomes of the same type. */
    discriminator?: string;
  };
}[OutcomeType];

/** What a handler returns when the event is done (a failure is thrown, see {@link FlowHandler}). */
export interface HandlerResult {
  /** At least one: every consumed event ends in an outcome. */
  outcomes: OutcomeSpec[];
  /**
   * The flow's own state changes (e.g. the content hash of what was sent, a schedule row). Runs in
   * the same transaction as the inbox row and the outbox rows: all are committed, or none.
   * Not run in dry-run mode.
   */
  persist?: (tx: EntityManager) => Promise<void>;
  /**
   * Whether PowerOffice was (live, replay) or would be (dry-run) changed. A resync counts it and,
   * in replay mode, publishes outcomes only for changed events. Defaults to true.
   */
  changed?: boolean;
  /** For the operator in a resync: what differs (free-form JSON, e.g. changed fields). */
  change?: unknown;
}

/**
 * Everything a handler gets for one event.
 *
 * The handler contract (every flow is written against it):
 *  1. Effects must be idempotent. An event can be delivered again after a crash at any point: before
 *     the PowerOffice call, after it but before the commit, after the commit but before the outcome
 *     is published. So every PowerOffice create carries a deterministic ExternalImportReference
 *     derived from the event (tenant + entity + version / Z number / invoice number), and the handler
 *     LOOKS UP by that reference BEFORE it creates. The runtime guarantees one outcome per event; only
 *     the handler can guarantee one PowerOffice object.
 *  2. Report success by returning a {@link HandlerResult}; report failure by throwing an
 *     `IntegrationError` (`@lib/contracts`): `TransientError` (retryable: 429, 5xx, timeouts) is
 *     retried with backoff, `PermanentError` ends at once in the failure outcome and a dead letter.
 *     Anything else is treated as a bug: retried a few times, then RETRIES_EXHAUSTED.
 *  3. Do not write to the database directly; return `persist` so it commits with the inbox row.
 *     Reads through `db` are fine.
 *  4. Honour `mode`: in `dry-run`, never write to PowerOffice.
 *  5. Long waits of your own: call `heartbeat()` at least every few seconds and stop when `signal`
 *     is aborted (shutdown or rebalance).
 *  6. Tenant checks are done: `tenant` exists, is enabled and authorised. A TENANT_NOT_AUTHORISED
 *     error from PowerOffice marks the tenant not authorised (the runtime does that).
 */
export interface HandlerContext<T = unknown, TClient = PowerOfficeClient> {
  readonly envelope: Envelope<T>;
  readonly tenant: Tenant;
  readonly flow: string;
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  /** 1 on the first try of this delivery, 2 on the first retry, … */
  readonly attempt: number;
  /** 0 the first time the event is processed; n for the n-th reprocessing after a failure (redrive). */
  readonly redrive: number;
  readonly mode: ProcessingMode;
  /**
   * The tenant's PowerOffice client in the flow's lane (the `replay` lane in replay and dry-run).
   * Created on first access, so events that need no PowerOffice call cost nothing.
   */
  readonly powerOffice: TClient;
  /** Keeps the consumer's group membership alive during a long wait. */
  heartbeat(): Promise<void>;
  /** Aborted when the work is being abandoned (shutdown, partition revoked). */
  readonly signal: AbortSignal;
  /** Structured logger with tenant, event id, type, topic/partition/offset already attached. */
  readonly log: JsonLogger;
  /** For reads. Writes go through `persist`. */
  readonly db: DataSource;
}

/** A flow's handler for one event type (the `@EventPattern('<EventType>')` controller method). */
export type FlowHandler<T = unknown, TClient = PowerOfficeClient> = (
  ctx: HandlerContext<T, TClient>,
) => Promise<HandlerResult>;
