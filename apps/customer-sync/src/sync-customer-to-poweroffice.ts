import { Injectable } from '@nestjs/common';
import { CustomerChanged, IntegrationError, PermanentError, SyncAction } from '@lib/contracts';
import type { HandlerContext, HandlerResult } from '@lib/pipeline';
import { Customer, PowerOfficeRejectedError } from '@lib/poweroffice';
import { TenantService } from '@lib/tenancy';
import { CustomerMapping, CustomerMappingRepository } from './customer-mapping.repository';
import {
  contentFromEvent,
  contentFromPowerOffice,
  contentHash,
  CustomerContent,
  newCustomerBody,
} from './domain/customer-content';
import { CustomerNumberRange, isInSeries, numberOutOfSeriesMessage } from './domain/customer-number';
import { customerImportReference } from './domain/customer-reference';
import {
  createAction,
  decideFromKnown,
  decideFromPowerOffice,
  holdsContent,
  isOlderVersion,
  SyncDecision,
} from './domain/sync-decision';

type Ctx = HandlerContext<CustomerChanged>;
type Mapped = CustomerMapping & { poCustomerId: number; poCustomerNumber: number };

/** How a POS customer was found in PowerOffice without creating it. */
type FoundBy = 'reference' | 'customerNumber' | 'organizationNumber';

/** The number series read at onboarding may predate one the accountant just added; re-read them after this. */
const NUMBER_SERIES_MAX_AGE_MS = 10 * 60 * 1000;
/** One page holds every customer of nearly every shop when only three fields are asked for. */
const LINK_SCAN_PAGE_SIZE = 20_000;
const REFERENCE_IN_USE = /ExternalImportReference is already in use/i;

/**
 * CustomerChanged → the PowerOffice customer, with as few PowerOffice calls as the case allows:
 *
 *  - older version than the last applied, or the same content: no call;
 *  - a change of a mapped customer: one PATCH with only the fields that changed (live); replay and
 *    dry-run compare with PowerOffice's current customer first (one GET);
 *  - a new customer: one POST, after a lookup by customer number / organisation number only when
 *    the event carries one (an existing PowerOffice customer is linked, not duplicated), and after a
 *    lookup by ExternalImportReference only when an earlier attempt may have created it.
 *
 * Direct writes to the database, outside the handler's transaction, are limited to three
 * announcements that never claim an effect: 'pending' (the invoice flow waits for the customer),
 * "create started" (the next attempt looks up before creating) and the failure shown to the console.
 * What happened in PowerOffice is recorded only through `persist`, with the inbox row and outcome.
 */
@Injectable()
export class SyncCustomerToPowerOffice {
  constructor(
    private readonly mappings: CustomerMappingRepository,
    private readonly tenants: TenantService,
  ) {}

  async execute(ctx: Ctx): Promise<HandlerResult> {
    const { customerId } = ctx.envelope.data;
    const writes = ctx.mode !== 'dry-run';
    const known = await this.mappings.find(ctx.db, ctx.tenant.id, customerId);
    // First thing, so the invoice flow learns at once that this customer is on its way.
    if (!known && writes) await this.mappings.announcePending(ctx.db, ctx.tenant.id, customerId);
    try {
      return await this.sync(ctx, known);
    } catch (err) {
      if (writes && err instanceof IntegrationError) {
        await this.mappings
          .recordFailure(ctx.db, ctx.tenant.id, customerId, {
            code: err.code,
            message: err.message,
            permanent: !err.retryable,
          })
          .catch((e: Error) => ctx.log.warn('could not show the failure on the customer row', { reason: e.message }));
      }
      throw err;
    }
  }

  private async sync(ctx: Ctx, known: CustomerMapping | null): Promise<HandlerResult> {
    const event = ctx.envelope.data;
    if (isMapped(known) && isOlderVersion(known.lastVersion, event.version)) {
      return unchanged(ctx, known, { reason: 'older-version', lastVersion: known.lastVersion });
    }
    const desired = contentFromEvent(event);
    const hash = contentHash(desired);
    await this.checkCustomerNumber(ctx, known);

    if (isMapped(known)) {
      try {
        return ctx.mode === 'live' && known.content
          ? await this.applyKnownChange(ctx, { ...known, content: known.content }, desired, hash)
          : await this.applyAgainstCurrent(ctx, known, desired, hash);
      } catch (err) {
        if (!(err instanceof PowerOfficeRejectedError && err.isNotFound)) throw err;
        // Deleted in PowerOffice (possible while it has no transactions): make it exist again.
        ctx.log.warn('the mapped PowerOffice customer no longer exists; creating it again', {
          poCustomerId: known.poCustomerId,
        });
        return this.createOrLink(ctx, known, desired, hash, { mayExist: true });
      }
    }
    return this.createOrLink(ctx, known, desired, hash, { mayExist: false });
  }

  /** Live: decided from what we recorded, so nothing changed costs no call. */
  private async applyKnownChange(
    ctx: Ctx,
    known: Mapped & { content: CustomerContent },
    desired: CustomerContent,
    hash: string,
  ): Promise<HandlerResult> {
    const decision = decideFromKnown(known, desired, hash, ctx.envelope.data.changedAt);
    if (decision.kind === 'unchanged')
      return unchanged(ctx, known, { reason: decision.reason }, this.recordVersion(ctx));
    const patched = await ctx.powerOffice.customers.applyPatch(known.poCustomerId, decision.operations);
    return this.synced(ctx, patched, desired, hash, decision.action, known, { operations: decision.operations });
  }

  /** Replay and dry-run (or nothing recorded to diff against): compare with PowerOffice's customer as it is. */
  private async applyAgainstCurrent(
    ctx: Ctx,
    known: Mapped,
    desired: CustomerContent,
    hash: string,
  ): Promise<HandlerResult> {
    const current = await ctx.powerOffice.customers.get(known.poCustomerId);
    const decision = decideFromPowerOffice(current, desired, {
      posChangedAt: ctx.envelope.data.changedAt,
      ourLastChanged: known.poLastChanged,
      lastWriterWins: true,
    });
    return this.apply(ctx, current, decision, desired, hash, known, { unchanged: 'unchanged' });
  }

  private async createOrLink(
    ctx: Ctx,
    known: CustomerMapping | null,
    desired: CustomerContent,
    hash: string,
    options: { mayExist: boolean },
  ): Promise<HandlerResult> {
    const event = ctx.envelope.data;
    const customers = ctx.powerOffice.customers;
    const reference = customerImportReference(ctx.tenant.id, event.customerId);

    // Only when an earlier attempt may have sent the POST (or we cannot tell) is the lookup worth a call.
    const mayHaveCreated = options.mayExist || known?.createStartedAt != null || ctx.redrive > 0 || ctx.mode !== 'live';
    const ours = mayHaveCreated ? await customers.findByExternalImportReference(reference) : undefined;
    const found = ours ? { customer: ours, by: 'reference' as const } : await this.findExisting(ctx);
    if (found) return this.link(ctx, known, found.customer, found.by, desired, hash);

    const body = newCustomerBody(desired, reference);
    if (ctx.mode === 'dry-run') {
      return {
        // Not published in a dry run; PowerOffice has not assigned ids yet.
        outcomes: [
          synced(event.customerId, createAction(desired), { customerId: 0, customerNumber: event.customerNumber ?? 0 }),
        ],
        changed: true,
        change: { action: createAction(desired), create: body },
      };
    }
    await this.mappings.markCreateStarted(ctx.db, ctx.tenant.id, event.customerId);
    let created: Customer;
    try {
      created = await customers.create(body);
    } catch (err) {
      // Our reference is taken: an earlier POST did arrive after all.
      if (!(err instanceof PowerOfficeRejectedError && REFERENCE_IN_USE.test(err.powerOffice.detail ?? ''))) throw err;
      const earlier = await customers.findByExternalImportReference(reference);
      if (!earlier) throw err;
      return this.link(ctx, known, earlier, 'reference', desired, hash);
    }
    return this.synced(ctx, created, desired, hash, createAction(desired), known, { created: true });
  }

  /**
   * The customer is already in PowerOffice: created by an earlier attempt (our reference), or
   * entered there by hand with the same number or organisation number. It is mapped and brought to
   * the POS's content; the POS wins here, since it is this customer's sync that asks.
   */
  private async link(
    ctx: Ctx,
    known: CustomerMapping | null,
    current: Customer,
    by: FoundBy,
    desired: CustomerContent,
    hash: string,
  ): Promise<HandlerResult> {
    const decision = decideFromPowerOffice(current, desired, {
      posChangedAt: ctx.envelope.data.changedAt,
      ourLastChanged: null,
      lastWriterWins: false,
    });
    // Found by our own reference = created for this customer by an earlier attempt of ours.
    const actions =
      by === 'reference'
        ? { unchanged: createAction(desired), patched: createAction(desired) }
        : { unchanged: 'unchanged' as const };
    ctx.log.info('customer found in PowerOffice; linked instead of created', { poCustomerId: current.id, by });
    return this.apply(ctx, current, decision, desired, hash, known, actions, { linkedBy: by });
  }

  /**
   * Carries out a decision taken against PowerOffice's current customer. `actions` names the
   * outcome when nothing needs patching, and overrides the patch's own action when given.
   */
  private async apply(
    ctx: Ctx,
    current: Customer,
    decision: SyncDecision,
    desired: CustomerContent,
    hash: string,
    known: CustomerMapping | null,
    actions: { unchanged: SyncAction; patched?: SyncAction },
    extra: Record<string, unknown> = {},
  ): Promise<HandlerResult> {
    const customerId = ctx.envelope.data.customerId;
    const action = decision.kind === 'unchanged' ? actions.unchanged : (actions.patched ?? decision.action);
    const detail =
      decision.kind === 'unchanged'
        ? { reason: decision.reason, ...extra }
        : { operations: decision.operations, ...extra };
    if (ctx.mode === 'dry-run') {
      return {
        outcomes: [synced(customerId, action, { customerId: current.id, customerNumber: current.number ?? 0 })],
        changed: action !== 'unchanged',
        change: { action, ...detail },
      };
    }
    const after =
      decision.kind === 'patch' ? await ctx.powerOffice.customers.applyPatch(current.id, decision.operations) : current;
    return this.synced(ctx, after, desired, hash, action, known, detail);
  }

  /**
   * The outcome and what to record, from PowerOffice's answer. When PowerOffice holds exactly what
   * the POS sent, its LastChanged is recorded as ours (the poll does not echo it back); when it
   * holds more (someone edited other fields meanwhile), the echo is left open so Open One hears
   * of the whole customer at the next poll.
   */
  private synced(
    ctx: Ctx,
    customer: Customer,
    desired: CustomerContent,
    hash: string,
    action: SyncAction,
    known: CustomerMapping | null,
    change: Record<string, unknown>,
  ): HandlerResult {
    const changed = action !== 'unchanged';
    const event = ctx.envelope.data;
    const holds = holdsContent(customer, desired);
    const content = holds ? desired : contentFromPowerOffice(customer);
    const record = {
      tenantId: ctx.tenant.id,
      customerId: event.customerId,
      poCustomerId: customer.id,
      poCustomerNumber: customer.number ?? known?.poCustomerNumber ?? 0,
      poSubledgerAccountId: customer.subledgerAccountId ?? null,
      state: content.active ? ('synced' as const) : ('archived' as const),
      lastVersion: event.version,
      contentHash: holds ? hash : contentHash(content),
      content,
      poLastChanged: holds ? (customer.lastChangedDateTimeOffset ?? null) : (known?.poLastChanged ?? null),
      poEditedAt: holds ? null : (known?.poEditedAt ?? null),
    };
    ctx.log.info('customer synced to PowerOffice', {
      action,
      poCustomerId: customer.id,
      poCustomerNumber: record.poCustomerNumber,
      changed,
    });
    return {
      outcomes: [
        synced(event.customerId, action, { customerId: record.poCustomerId, customerNumber: record.poCustomerNumber }),
      ],
      persist: (tx) => this.mappings.saveSynced(tx, record),
      changed,
      change: { action, ...change },
    };
  }

  private recordVersion(ctx: Ctx): HandlerResult['persist'] {
    if (ctx.mode === 'dry-run') return undefined;
    const { customerId, version } = ctx.envelope.data;
    return (tx) => this.mappings.recordVersion(tx, ctx.tenant.id, customerId, version);
  }

  /**
   * A PowerOffice customer to link to: the one with the event's customer number (the POS already
   * uses it), else a company with the event's organisation number. A PowerOffice customer that
   * another POS customer is mapped to is never taken (two POS customers of one company stay two).
   */
  private async findExisting(ctx: Ctx): Promise<{ customer: Customer; by: FoundBy } | undefined> {
    const event = ctx.envelope.data;
    const customers = ctx.powerOffice.customers;
    const free = async (poId: number) =>
      !(await this.mappings.mappedElsewhere(ctx.db, ctx.tenant.id, poId, event.customerId));

    if (event.customerNumber !== undefined) {
      const [byNumber] = await customers.listPage(
        { customerNos: [event.customerNumber] },
        { pageNumber: 1, pageSize: 2 },
      );
      if (byNumber && (await free(byNumber.id))) return { customer: byNumber, by: 'customerNumber' };
    }
    const orgNo = normaliseOrgNo(event.organizationNumber);
    if (!event.isPerson && orgNo) {
      // PowerOffice has no organisation-number filter: scan the list, three fields per customer.
      let match: { id: number; archived: boolean } | undefined;
      for await (const c of customers.iterate(
        {},
        { pageSize: LINK_SCAN_PAGE_SIZE, fields: ['id', 'organizationNumber', 'isArchived'], orderBy: 'Id' },
      )) {
        if (normaliseOrgNo(c.organizationNumber) !== orgNo || !(await free(c.id))) continue;
        // An active customer is a better match than an archived one.
        if (!match || (match.archived && c.isArchived !== true)) match = { id: c.id, archived: c.isArchived === true };
        if (!match.archived) break;
      }
      if (match) return { customer: await customers.get(match.id), by: 'organizationNumber' };
    }
    return undefined;
  }

  /**
   * A customer number the POS sets must lie in one of the client's customer number series (only
   * checked when it would be sent: a new customer, or a number that changes).
   */
  private async checkCustomerNumber(ctx: Ctx, known: CustomerMapping | null): Promise<void> {
    const { customerNumber, customerId } = ctx.envelope.data;
    if (customerNumber === undefined || customerNumber === known?.poCustomerNumber) return;
    const tenantId = ctx.tenant.id;
    let reference = await this.tenants.referenceData(tenantId);
    let series = customerSeries(reference.numberSeries);
    if (isInSeries(customerNumber, series)) return;
    const readAt = reference.fetchedAt.numberSeries?.getTime() ?? 0;
    if (Date.now() - readAt > NUMBER_SERIES_MAX_AGE_MS) {
      reference = await this.tenants.refreshReferenceData(tenantId, {
        kinds: ['numberSeries'],
        lane: ctx.mode === 'live' ? 'customer' : 'replay',
      });
      series = customerSeries(reference.numberSeries);
      if (isInSeries(customerNumber, series)) return;
    }
    throw new PermanentError(
      'NUMBER_OUT_OF_SERIES',
      numberOutOfSeriesMessage(customerNumber, customerId, tenantId, series),
      {
        details: { customerNumber, series: series.map((s) => ({ from: s.from, to: s.to, name: s.name })) },
      },
    );
  }
}

function isMapped(row: CustomerMapping | null): row is Mapped {
  return row !== null && row.poCustomerId !== null && row.poCustomerNumber !== null;
}

function customerSeries(
  series: readonly { type: string; from: number; to: number; name: string }[],
): CustomerNumberRange[] {
  return series.filter((s) => s.type === 'Customer').map((s) => ({ from: s.from, to: s.to, name: s.name }));
}

function normaliseOrgNo(value: string | null | undefined): string | undefined {
  const digits = value?.replace(/\s+/g, '');
  return digits ? digits : undefined;
}

function synced(customerId: string, action: SyncAction, powerOffice: { customerId: number; customerNumber: number }) {
  return { type: 'CustomerSynced' as const, data: { customerId, action, powerOffice } };
}

/** Nothing to do in PowerOffice: the outcome names the customer we already have. */
function unchanged(
  ctx: Ctx,
  known: Mapped,
  change: Record<string, unknown>,
  persist?: HandlerResult['persist'],
): HandlerResult {
  return {
    outcomes: [
      synced(ctx.envelope.data.customerId, 'unchanged', {
        customerId: known.poCustomerId,
        customerNumber: known.poCustomerNumber,
      }),
    ],
    ...(persist ? { persist } : {}),
    changed: false,
    change: { action: 'unchanged', ...change },
  };
}
