import {
  buildFailureOutcome,
  buildOutcome,
  decodeEvent,
  describeProblems,
  Envelope,
  EventEnvelope,
  EventType,
  isOutcomeType,
  OUTCOME_NAMESPACE,
  OutcomeCause,
  OutcomeDataInput,
  OutcomeError,
  OutcomeType,
  outcomeId,
  parseKey,
  PartialEnvelope,
  uuidv5,
  validateEventData,
} from '@lib/contracts';
import type { JsonLogger } from '@lib/platform';
import type { Tenant } from '@lib/tenancy';
import type { DataSource, EntityManager } from 'typeorm';
import { deadLetterRecord, REDRIVE_HEADER } from '../dead-letter/dead-letter';
import { classifyFailure, Failure, isDatabaseUnavailable, retriesExhausted } from '../failure/classify';
import { mayRetry, retryDelayMs } from '../failure/retry-policy';
import type { FlowHandler, HandlerContext, HandlerResult, ProcessingMode } from '../handler';
import { Inbox, isSameRecord } from '../inbox/inbox';
import type { PipelineMetrics } from '../metrics';
import { posEventTypeOfTopic, ResolvedFlow, topicOfEventType } from '../options';
import { enqueueRecords, OutboxRecord } from '../outbox/outbox';
import { outcomeOutboxRecord } from '../outbox/outcome-outbox';
import { headerText, SourceRecord } from '../record';
import type { TenantDirectory } from '../tenants';
import { pause } from './pause';

/** How one record is to be run, and the hooks of whoever delivered it. */
export interface ProcessOptions {
  mode: ProcessingMode;
  /** Keeps the consumer's group membership alive; throws when the group is rebalancing. */
  heartbeat: () => Promise<void>;
  /** Aborted when the work must be abandoned (shutdown). */
  signal: AbortSignal;
  /** Replay and dry-run: the resync's id, part of the outcome discriminator. */
  runId?: string;
}

interface EventSummary {
  eventId: string;
  tenantId?: string;
  eventType?: string;
}

/** How a record ended. Only `succeeded` and `failed` produced (or, in dry-run, would produce) an outcome. */
export type EventResult =
  | (EventSummary & { status: 'succeeded'; changed: boolean; change?: unknown; outcomeIds: string[] })
  | (EventSummary & { status: 'failed'; error: OutcomeError; outcomeIds: string[]; deadLettered: boolean })
  /** Already answered (a redelivery); nothing was done. */
  | (EventSummary & { status: 'duplicate' })
  /** Left unfinished (shutdown during a retry wait); it will be delivered again. */
  | (EventSummary & { status: 'abandoned' });

/** The handlers of a flow by event type. */
export type HandlerRegistry = ReadonlyMap<string, FlowHandler<unknown>>;

export interface EventProcessorDeps {
  flow: ResolvedFlow;
  handlers: HandlerRegistry;
  dataSource: DataSource;
  tenants: TenantDirectory;
  log: JsonLogger;
  metrics: PipelineMetrics;
  /** Told after every commit that queued outbox rows. */
  onOutboxWritten?: () => void;
}

/** Thrown inside the commit transaction when another consumer answered the event first. */
class AnsweredElsewhere extends Error {}

/**
 * A handler's `persist` failed: judged like any handler error. Every other failure of the commit
 * transaction is the pipeline's own storage failing (PostgreSQL unavailable), which no outcome
 * can be written for: the record is left to be delivered again.
 */
class PersistFailed extends Error {
  constructor(readonly reason: unknown) {
    super('persist failed');
  }
}

class CommitFailed extends Error {
  constructor(readonly reason: unknown) {
    super('commit failed');
  }
}

/** One record's processing: the state every step needs. */
interface Run {
  record: SourceRecord;
  opts: ProcessOptions;
  eventId: string;
  /** Times the event was processed to an outcome before (live mode; 0 in replay). */
  priorRuns: number;
  startedAt: number;
  log: JsonLogger;
  /** Set when a heartbeat reported a rebalance: the work is abandoned and the error rethrown. */
  rebalance?: unknown;
}

/**
 * The one place an event becomes an outcome: decode and validate, tenant checks, the inbox, the
 * handler with retries, and the transaction that records effects, inbox row, outcomes and dead
 * letters together. The live consumer and the resync both run records through it, so delivery,
 * failure and replay behave the same in every flow.
 *
 * Errors escape only when PostgreSQL is unavailable (or the group is rebalancing): then nothing was
 * recorded, the offset is not committed and the record is delivered again.
 */
export class EventProcessor {
  private readonly inbox: Inbox;
  private readonly expectedTypes = new Map<string, EventType[]>();

  constructor(private readonly deps: EventProcessorDeps) {
    this.inbox = new Inbox(deps.dataSource, deps.flow.groupId);
    for (const type of deps.handlers.keys()) {
      const topic = topicOfEventType(type as EventType, deps.flow.topicPrefix);
      const list = this.expectedTypes.get(topic) ?? [];
      list.push(type as EventType);
      this.expectedTypes.set(topic, list);
    }
  }

  /** The event types with a handler, per full topic name. */
  eventTypesOf(topic: string): readonly EventType[] {
    return this.expectedTypes.get(topic) ?? [];
  }

  async process(record: SourceRecord, opts: ProcessOptions): Promise<EventResult> {
    const decoded = decodeEvent(record, this.eventTypesOf(record.topic));
    const eventId = decoded.ok ? decoded.envelope.id : (decoded.partial.id ?? recordEventId(record));
    const tenantId = decoded.ok ? decoded.envelope.tenantId : decoded.partial.tenantId;
    const eventType = decoded.ok ? decoded.envelope.type : decoded.partial.type;
    const log = this.deps.log.child({
      flow: this.deps.flow.flow,
      eventId,
      eventType,
      tenantId,
      topic: record.topic,
      partition: record.partition,
      offset: record.offset,
      mode: opts.mode,
    });

    let priorRuns = 0;
    if (opts.mode === 'live') {
      const prior = await this.inbox.find(eventId);
      // Only success is final, but only the operator's redrive may run a failed event again: the
      // same event sent twice by its producer is a duplicate and keeps its one final outcome.
      const redriven = headerText(record.headers, REDRIVE_HEADER) !== undefined;
      if (prior && (prior.status === 'succeeded' || isSameRecord(prior, record) || !redriven)) {
        log.debug('already answered; skipped', { status: prior.status });
        this.count(record, 'duplicate');
        return { status: 'duplicate', eventId, tenantId, eventType };
      }
      priorRuns = prior?.runs ?? 0;
      if (prior) log.info('processing again after an earlier failure', { runs: prior.runs });
    }
    const run: Run = { record, opts, eventId, priorRuns, startedAt: Date.now(), log };

    if (!decoded.ok) return this.fail(run, this.undecodableCause(record, eventId, decoded.partial), decoded.error, 0);

    const envelope = decoded.envelope;
    const cause: Cause = { envelope, eventType: envelope.type, outcomeCause: envelope };
    const tenant = await this.deps.tenants.get(envelope.tenantId);
    if (!tenant || !tenant.enabled) {
      const message = tenant
        ? `Tenant ${envelope.tenantId} is disabled. The event is parked on the dead-letter topic; enable the tenant and redrive it.`
        : `Tenant ${envelope.tenantId} is not onboarded. The event is parked on the dead-letter topic; onboard the tenant and redrive it.`;
      return this.fail(run, cause, { code: 'TENANT_UNKNOWN', message, retryable: false }, 0);
    }
    if (!tenant.authorised) {
      const message =
        `Tenant ${tenant.id} is not authorised in PowerOffice (${tenant.notAuthorisedReason ?? 'reason not recorded'}). ` +
        'The event is parked on the dead-letter topic; fix the extension in PowerOffice Go, verify the tenant and redrive it.';
      return this.fail(run, cause, { code: 'TENANT_NOT_AUTHORISED', message, retryable: false }, 0);
    }
    return this.runHandler(run, cause, envelope, tenant);
  }

  private async runHandler(run: Run, cause: Cause, envelope: EventEnvelope, tenant: Tenant): Promise<EventResult> {
    const { flow } = this.deps;
    const handler = this.deps.handlers.get(envelope.type);
    if (!handler) throw new Error(`pipeline: no handler for ${envelope.type} although decoding accepted it`);
    const lane = run.opts.mode === 'live' ? flow.lane : 'replay';
    let client: { value: unknown } | { error: unknown } | undefined;

    for (let attempt = 1; ; attempt++) {
      let failure: Failure;
      try {
        if (!client || 'error' in client) {
          client = await this.deps.tenants.clientFor(tenant.id, lane).then(
            (value) => ({ value }),
            (error: unknown) => ({ error }),
          );
        }
        const ctx = this.context(run, envelope, tenant, attempt, client);
        // The directory hands out whatever client the app's factory makes (PowerOfficeClient in the apps).
        const result = await handler(ctx as HandlerContext);
        checkResult(result, envelope.type);
        return await this.succeed(run, envelope, result, attempt);
      } catch (thrown) {
        if (thrown instanceof AnsweredElsewhere) return this.duplicateAfterRace(run, envelope);
        if (thrown instanceof CommitFailed) throw thrown.reason;
        if (run.rebalance !== undefined) throw run.rebalance;
        const err = thrown instanceof PersistFailed ? thrown.reason : thrown;
        if (isDatabaseUnavailable(err)) throw err;
        failure = classifyFailure(err);
      }

      if (failure.kind === 'permanent') {
        // Only a refused client key stops the tenant; a single missing privilege fails this event alone.
        const revokesAccess = (failure.cause as { revokesAccess?: boolean } | undefined)?.revokesAccess !== false;
        if (failure.error.code === 'TENANT_NOT_AUTHORISED' && revokesAccess)
          await this.markNotAuthorised(run, tenant.id, failure.error.message);
        return this.fail(run, cause, failure.error, attempt);
      }
      const elapsed = Date.now() - run.startedAt;
      const delay = retryDelayMs(attempt + 1, flow.retry, failure.retryAfterMs);
      const logFields = {
        attempt,
        code: failure.error.code,
        reason: failure.error.message,
        ...(failure.kind === 'unexpected' && failure.cause instanceof Error ? { stack: failure.cause.stack } : {}),
      };
      if (!mayRetry(attempt, elapsed, delay, failure.kind === 'unexpected', flow.retry)) {
        run.log.error('giving up on the event', logFields);
        return this.fail(run, cause, retriesExhausted(failure, attempt, elapsed), attempt);
      }
      // A bug is an error whatever happens next; a transient failure only a warning until it lasts.
      if (failure.kind === 'unexpected') run.log.error(`attempt failed; retrying in ${delay} ms`, logFields);
      else run.log.warn(`attempt failed; retrying in ${delay} ms`, logFields);
      this.deps.metrics.retries.inc({ flow: flow.flow, topic: run.record.topic, kind: failure.kind });
      try {
        if (!(await pause(delay, run.opts))) {
          run.log.info('abandoned during a retry wait (shutting down); it will be delivered again');
          this.count(run.record, 'abandoned');
          return { status: 'abandoned', eventId: run.eventId, tenantId: envelope.tenantId, eventType: envelope.type };
        }
      } catch (heartbeatError) {
        run.log.info('abandoned during a retry wait (group rebalancing); it will be delivered again');
        throw heartbeatError;
      }
    }
  }

  private context(
    run: Run,
    envelope: EventEnvelope,
    tenant: Tenant,
    attempt: number,
    client: { value: unknown } | { error: unknown },
  ): HandlerContext<unknown, unknown> {
    const { record, opts } = run;
    return {
      envelope,
      tenant,
      flow: this.deps.flow.flow,
      topic: record.topic,
      partition: record.partition,
      offset: record.offset,
      attempt,
      redrive: run.priorRuns,
      mode: opts.mode,
      get powerOffice(): unknown {
        if ('error' in client) throw client.error;
        return client.value;
      },
      heartbeat: async () => {
        try {
          await opts.heartbeat();
        } catch (err) {
          run.rebalance = err;
          throw err;
        }
      },
      signal: opts.signal,
      log: run.log.child({ attempt }),
      db: this.deps.dataSource,
    };
  }

  private async succeed(
    run: Run,
    envelope: EventEnvelope,
    result: HandlerResult,
    attempt: number,
  ): Promise<EventResult> {
    const { mode } = run.opts;
    const changed = result.changed ?? true;
    const summary = { eventId: run.eventId, tenantId: envelope.tenantId, eventType: envelope.type };
    if (mode === 'dry-run') {
      this.observe(run, envelope.type, 'succeeded');
      return { ...summary, status: 'succeeded', changed, change: result.change, outcomeIds: [] };
    }
    // A replay reports only what it changed: an unchanged entity's outcome was already published live.
    const outcomes =
      mode === 'live' || changed
        ? result.outcomes.map((o) =>
            buildOutcome<OutcomeType>(
              envelope,
              o.type,
              o.data as OutcomeDataInput<OutcomeType>,
              this.deps.flow.source,
              this.discriminator(run, o.discriminator),
            ),
          )
        : [];
    // Consumers validate what they read: an outcome that breaks the contract is a handler bug, caught here.
    for (const o of outcomes) {
      const problems = validateEventData(o.type, o.data);
      if (problems.length > 0)
        throw new TypeError(`the ${envelope.type} handler's ${describeProblems(o.type, problems)}`);
    }
    const nothingToWrite = mode !== 'live' && !result.persist && outcomes.length === 0;
    if (!nothingToWrite)
      await this.commit(async (tx) => {
        if (mode === 'live') {
          const recorded = await this.inbox.record(
            tx,
            {
              eventId: run.eventId,
              status: 'succeeded',
              eventType: envelope.type,
              tenantId: envelope.tenantId,
              record: run.record,
              attempts: attempt,
              outcomeIds: outcomes.map((o) => o.id),
              outcomeTypes: outcomes.map((o) => o.type),
            },
            run.priorRuns,
          );
          if (!recorded) throw new AnsweredElsewhere();
        }
        if (result.persist) {
          const persist = result.persist;
          await persist(tx).catch((reason: unknown) => {
            throw new PersistFailed(reason);
          });
        }
        await enqueueRecords(
          tx,
          outcomes.map((o) => this.outcomeRecord(o)),
        );
      });
    if (outcomes.length > 0) this.deps.onOutboxWritten?.();
    this.observe(run, envelope.type, 'succeeded');
    run.log.debug('event processed', { attempts: attempt, outcomes: outcomes.map((o) => o.type), changed });
    return { ...summary, status: 'succeeded', changed, change: result.change, outcomeIds: outcomes.map((o) => o.id) };
  }

  /**
   * Answers the event with its failure outcome and, in live mode, parks the record on the
   * dead-letter topic, both through the outbox in the transaction that records the failure in the
   * inbox. A resync reports failures to the operator instead of parking them again: the original
   * record is still on its topic, and the live path already parked it if it failed there.
   */
  private async fail(run: Run, cause: Cause, error: OutcomeError, attempts: number): Promise<EventResult> {
    const { mode } = run.opts;
    const { flow } = this.deps;
    const summary = { eventId: run.eventId, tenantId: cause.outcomeCause?.tenantId, eventType: cause.eventType };
    if (mode === 'dry-run') {
      this.observe(run, cause.eventType, 'failed', error.code);
      return { ...summary, status: 'failed', error, outcomeIds: [], deadLettered: false };
    }
    const now = new Date();
    const answer = this.failureOutcome(run, cause, error, now);
    const outcome = answer?.outcome;
    const records: OutboxRecord[] = answer ? [answer.record] : [];
    const deadLettered = mode === 'live';
    if (deadLettered) records.push(deadLetterRecord(run.record, error, attempts, now, flow.groupId));

    try {
      await this.commit(async (tx) => {
        if (mode === 'live') {
          const recorded = await this.inbox.record(
            tx,
            {
              eventId: run.eventId,
              status: 'failed',
              eventType: cause.eventType,
              tenantId: cause.outcomeCause?.tenantId,
              record: run.record,
              attempts,
              outcomeIds: outcome ? [outcome.id] : [],
              outcomeTypes: outcome ? [outcome.type] : [],
              errorCode: error.code,
              errorMessage: error.message,
            },
            run.priorRuns,
          );
          if (!recorded) throw new AnsweredElsewhere();
        }
        await enqueueRecords(tx, records);
      });
    } catch (err) {
      if (err instanceof AnsweredElsewhere) return this.duplicateAfterRace(run, cause.envelope);
      throw err instanceof CommitFailed ? err.reason : err;
    }
    if (records.length > 0) this.deps.onOutboxWritten?.();

    this.observe(run, cause.eventType, 'failed', error.code);
    if (deadLettered) this.deps.metrics.deadLetters.inc({ flow: flow.flow, topic: run.record.topic, code: error.code });
    const fields = { code: error.code, reason: error.message, attempts, outcome: outcome?.type ?? null, deadLettered };
    if (outcome) run.log.warn('event failed', fields);
    else
      run.log.error(
        'event failed and cannot be answered (no tenant or entity to address an outcome to); parked only',
        fields,
      );
    return { ...summary, status: 'failed', error, outcomeIds: outcome ? [outcome.id] : [], deadLettered };
  }

  /**
   * What can still be said about a record that could not be decoded. It is answered as the event
   * type its topic carries (what it was meant to be), addressed with the tenant and entity from
   * its key or data when they can be read.
   */
  private undecodableCause(record: SourceRecord, eventId: string, partial: PartialEnvelope): Cause {
    const eventType = posEventTypeOfTopic(record.topic, this.deps.flow.topicPrefix) ?? partial.type;
    const key =
      partial.key ?? (partial.tenantId && partial.entityId ? `${partial.tenantId}:${partial.entityId}` : undefined);
    const keyTenant = key ? parseKey(key)?.tenantId : undefined;
    const tenantId = partial.tenantId ?? keyTenant;
    if (!key || !tenantId || keyTenant !== tenantId) return { eventType };
    const outcomeCause: OutcomeCause = { id: eventId, tenantId, key };
    if (partial.correlationId) outcomeCause.correlationId = partial.correlationId;
    return { eventType, outcomeCause };
  }

  /**
   * The failure outcome, addressed with whatever could be read. Null when the record names no
   * tenant and entity (no readable key): such an outcome could not reach anyone, so the dead letter
   * (with its error headers), the log and the failure metric are all there is.
   */
  private failureOutcome(
    run: Run,
    cause: Cause,
    error: OutcomeError,
    now: Date,
  ): { outcome: Envelope; record: OutboxRecord } | null {
    if (!cause.outcomeCause || !cause.eventType) return null;
    const data = cause.envelope?.data as { businessDate?: unknown; invoiceNumber?: unknown } | undefined;
    const extra = {
      businessDate: typeof data?.businessDate === 'string' ? data.businessDate : undefined,
      invoiceNumber: typeof data?.invoiceNumber === 'string' ? data.invoiceNumber : undefined,
    };
    try {
      const outcome = buildFailureOutcome(
        cause.outcomeCause,
        cause.eventType,
        error,
        this.deps.flow.source,
        extra,
        now,
      );
      if (!outcome) return null;
      const problems = validateEventData(outcome.type, outcome.data);
      if (problems.length > 0) {
        // E.g. a tenant id read from a malformed key: such an outcome would only confuse its readers.
        run.log.error('the failure outcome would break the contract; parking the record without it', {
          problems: problems.slice(0, 10),
        });
        return null;
      }
      // buildFailureOutcome has no discriminator: a repeated failure (after a redrive, or in a
      // replay) needs an id of its own, derived the same way.
      const discriminator = this.discriminator(run);
      if (discriminator !== undefined) outcome.id = outcomeId(cause.outcomeCause.id, outcome.type, discriminator);
      return { outcome, record: this.outcomeRecord(outcome) };
    } catch (err) {
      // Never let the answer to a failure stall the partition: the dead letter still goes out.
      run.log.error('could not build the failure outcome; parking the record without it', {
        reason: (err as Error).message,
        stack: (err as Error).stack,
      });
      return null;
    }
  }

  /**
   * The part of an outcome's id that tells this processing apart from earlier ones of the same
   * event: the n-th reprocessing after a failure, or a resync run. Empty for the first live run,
   * so a plain redelivery always yields the same outcome id.
   */
  private discriminator(run: Run, own?: string): string | undefined {
    const parts: string[] = [];
    if (own) parts.push(own);
    if (run.priorRuns > 0) parts.push(`redrive:${run.priorRuns}`);
    if (run.opts.mode !== 'live' && run.opts.runId) parts.push(`replay:${run.opts.runId}`);
    return parts.length > 0 ? parts.join('/') : undefined;
  }

  /** The commit transaction; failures other than the expected ones are the database's. */
  private async commit(work: (tx: EntityManager) => Promise<void>): Promise<void> {
    try {
      await this.deps.dataSource.transaction(work);
    } catch (err) {
      if (err instanceof AnsweredElsewhere || err instanceof PersistFailed) throw err;
      throw new CommitFailed(err);
    }
  }

  private outcomeRecord(outcome: Envelope): OutboxRecord {
    return outcomeOutboxRecord(outcome, this.deps.flow.topicPrefix);
  }

  private duplicateAfterRace(run: Run, envelope?: Envelope): EventResult {
    run.log.info('another consumer answered the event first; ours was rolled back');
    this.count(run.record, 'duplicate');
    return { status: 'duplicate', eventId: run.eventId, tenantId: envelope?.tenantId, eventType: envelope?.type };
  }

  private async markNotAuthorised(run: Run, tenantId: string, reason: string): Promise<void> {
    try {
      await this.deps.tenants.markNotAuthorised(tenantId, reason);
    } catch (err) {
      if (isDatabaseUnavailable(err)) throw err;
      run.log.error('could not mark the tenant not authorised', { reason: (err as Error).message });
    }
  }

  private observe(run: Run, eventType: string | undefined, result: 'succeeded' | 'failed', code?: string): void {
    const { metrics, flow } = this.deps;
    this.count(run.record, result);
    if (code) metrics.failures.inc({ flow: flow.flow, topic: run.record.topic, code });
    metrics.handlerDuration.observe(
      { flow: flow.flow, event_type: eventType ?? 'unknown', result },
      (Date.now() - run.startedAt) / 1000,
    );
  }

  private count(record: SourceRecord, result: EventResult['status']): void {
    this.deps.metrics.events.inc({ flow: this.deps.flow.flow, topic: record.topic, result });
  }
}

/** What a failure can say about its cause. */
interface Cause {
  envelope?: EventEnvelope;
  /** The event type the record is (or was meant to be). */
  eventType?: string;
  /** Null when no tenant and entity could be read: no outcome can be addressed. */
  outcomeCause?: OutcomeCause;
}

/**
 * The id of a record whose own event id could not be read: derived from its position, so the
 * same record delivered again is recognised, while a copy of it elsewhere counts as new.
 */
export function recordEventId(record: Pick<SourceRecord, 'topic' | 'partition' | 'offset'>): string {
  return uuidv5(JSON.stringify(['kafka-record', record.topic, record.partition, record.offset]), OUTCOME_NAMESPACE);
}

/** A handler result that breaks the contract is a bug in the handler: treated like any unexpected error. */
function checkResult(result: HandlerResult | undefined, eventType: string): void {
  if (!result || !Array.isArray(result.outcomes) || result.outcomes.length === 0) {
    throw new TypeError(`the ${eventType} handler returned no outcome (every event must end in one)`);
  }
  for (const o of result.outcomes as { type?: unknown }[]) {
    if (!isOutcomeType(o?.type))
      throw new TypeError(`the ${eventType} handler returned an outcome of unknown type ${String(o?.type)}`);
  }
}
