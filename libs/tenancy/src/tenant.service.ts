import { IntegrationError, PermanentError } from '@lib/contracts';
import type { PowerOfficeClient } from '@lib/poweroffice';
import { DataSource, EntityManager } from 'typeorm';
import { AccountMapping } from './account-mapping';
import { clientKeyFingerprint, KeyCipher } from './crypto/key-cipher';
import { reencryptAll, ReencryptionReport } from './crypto/reencrypt-all';
import {
  allowsInvoiceMode,
  defaultInvoiceMode,
  describeMissingPrivileges,
  INVOICE_MODE_PRIVILEGE,
  missingPrivileges,
} from './domain/privileges';
import {
  emptyReferenceData,
  LedgerAccount,
  REFERENCE_DATA_KINDS,
  ReferenceData,
  ReferenceDataKind,
  VatCodeRef,
  vatPeriodOn,
} from './domain/reference-data';
import {
  CustomerNumberSeries,
  DEFAULT_SETTLEMENT_SCHEDULE,
  FieldProblem,
  InvoiceMode,
  isInvoiceMode,
  normaliseOrganizationNumber,
  organizationNumberProblem,
  SettlementSchedule,
  settlementScheduleProblems,
  Tenant,
  tenantIdProblem,
} from './domain/tenant';
import { MappingProblem, validateMapping } from './domain/validate-mapping';
import { MappingInvalidError, TenantInputInvalidError } from './errors';
import { TenancyLane, TenancyPowerOfficeClient, TenancyPowerOfficeFactory } from './power-office/port';
import { assignKind, readReferenceKind, toIntegrationPrivileges } from './power-office/reference-data-reader';
import {
  AccountMappingRecord,
  AuditEntry,
  TenantChanges,
  TenantRecord,
  TenantRepository,
  withoutKey,
} from './tenant.repository';

export interface OnboardTenantInput {
  id: string;
  name: string;
  /** 9 digits; spaces as printed ("999 888 777") are removed. */
  organizationNumber: string;
  /** From adding the "Open One" extension in PowerOffice Go. Stored encrypted, never returned. */
  clientKey: string;
  /** Who did it (operator name/e-mail, "cli:<user>", "system"), for the audit log. */
  actor: string;
}

export interface TenancyLogger {
  warn(message: string, fields?: Record<string, unknown>): void;
  info?(message: string, fields?: Record<string, unknown>): void;
}

export interface TenantServiceOptions {
  /**
   * How long `get`, `getMapping` and `referenceData` answers are reused in this process. The
   * pipeline asks per event; changes made through this instance are seen at once, changes made
   * by another process (the console) within this time.
   */
  cacheTtlMs?: number;
  /** Clock for the cache (tests). */
  now?: () => number;
  logger?: TenancyLogger;
}

/** Audit actions, as stored in tenancy.audit_log.action. */
export type AuditAction =
  | 'tenant.onboarded'
  | 'tenant.enabled'
  | 'tenant.disabled'
  | 'tenant.authorised'
  | 'tenant.notAuthorised'
  | 'clientKey.replaced'
  | 'clientKey.reencrypted'
  | 'mapping.set'
  | 'schedule.set'
  | 'invoiceMode.set'
  | 'customerNumberSeries.set';

const DEFAULT_CACHE_TTL_MS = 5000;
const MAX_REASON_LENGTH = 1000;

interface CacheEntry<T> {
  value: T;
  expiresAt: number;
}

/**
 * Tenants: onboarding against PowerOffice, their state (enabled, authorised), account mapping,
 * settlement schedule, invoice mode, encrypted client key and cached PowerOffice reference data.
 * Framework-free; `TenancyModule` wires it into Nest. Every change is written to the audit log in
 * the same transaction as the change itself.
 */
export class TenantService<C extends TenancyPowerOfficeClient = PowerOfficeClient> {
  private readonly repo: TenantRepository;
  private readonly ttlMs: number;
  private readonly now: () => number;
  private readonly tenants = new Map<string, CacheEntry<TenantRecord | null>>();
  private readonly mappings = new Map<string, CacheEntry<AccountMappingRecord | null>>();
  private readonly references = new Map<string, CacheEntry<ReferenceData>>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly cipher: KeyCipher,
    private readonly powerOffice?: TenancyPowerOfficeFactory<C>,
    private readonly options: TenantServiceOptions = {},
  ) {
    this.repo = new TenantRepository(dataSource);
    this.ttlMs = options.cacheTtlMs ?? DEFAULT_CACHE_TTL_MS;
    this.now = options.now ?? Date.now;
  }

  // ---------------------------------------------------------------- onboarding

  /**
   * Adds a shop: checks the client key against PowerOffice at once (the integration's privileges on
   * that client), reads its reference data, and stores the key encrypted. Nothing is stored when
   * PowerOffice says no, so the operator can fix the privileges and run it again.
   */
  async onboard(input: OnboardTenantInput): Promise<Tenant> {
    const organizationNumber = normaliseOrganizationNumber(input.organizationNumber);
    const problems: FieldProblem[] = [];
    const idProblem = tenantIdProblem(input.id);
    if (idProblem) problems.push({ field: 'id', problem: idProblem });
    if (typeof input.name !== 'string' || input.name.trim() === '')
      problems.push({ field: 'name', problem: 'is required' });
    const orgProblem = organizationNumberProblem(organizationNumber);
    if (orgProblem) problems.push({ field: 'organizationNumber', problem: orgProblem });
    if (typeof input.clientKey !== 'string' || input.clientKey.trim() === '')
      problems.push({ field: 'clientKey', problem: 'is required' });
    problems.push(...actorProblems(input.actor));
    if (problems.length) throw new TenantInputInvalidError('Cannot onboard the tenant', problems);

    const tenantId = input.id;
    const existing = await this.repo.findTenant(tenantId);
    if (existing)
      throw new TenantInputInvalidError(`Cannot onboard tenant ${tenantId}`, [
        { field: 'id', problem: `is already taken (by "${existing.name}")` },
      ]);

    const clientKey = input.clientKey.trim();
    const client = await this.requireFactory().forTenant({ tenantId, clientKey, lane: 'customer' });
    const privileges = await this.checkPrivileges(tenantId, client);
    const reference = await this.readReference(client, REFERENCE_DATA_KINDS);

    const record = await this.repo.transaction(async (em) => {
      const inserted = await this.repo.insertTenant(em, {
        id: tenantId,
        name: input.name.trim(),
        organizationNumber: organizationNumber as string,
        clientKeyCiphertext: this.cipher.encrypt(clientKey, tenantId),
        clientKeyFingerprint: clientKeyFingerprint(clientKey),
        enabled: true,
        authorised: true,
        notAuthorisedReason: null,
        invoiceMode: defaultInvoiceMode(privileges),
        settlementSchedule: DEFAULT_SETTLEMENT_SCHEDULE,
        customerNumberSeries: defaultCustomerSeries(reference.data),
        privileges,
      });
      if (!inserted)
        throw new TenantInputInvalidError(`Cannot onboard tenant ${tenantId}`, [
          { field: 'id', problem: 'was taken meanwhile' },
        ]);
      await this.storeReference(em, tenantId, reference.kinds, reference.data, reference.fetchedAt);
      await this.repo.insertAudit(em, {
        tenantId,
        actor: input.actor,
        action: 'tenant.onboarded',
        after: auditView(inserted),
      });
      return inserted;
    });
    this.invalidate(tenantId);
    this.options.logger?.info?.(`tenant ${tenantId} onboarded`, {
      tenantId,
      clientKeyFingerprint: record.clientKeyFingerprint,
    });
    return withoutKey(record);
  }

  /**
   * Stores a new client key (the customer re-added the extension, or the old one was revoked),
   * after the same privilege check as onboarding; marks the tenant authorised again.
   */
  async replaceClientKey(tenantId: string, clientKey: string, actor: string): Promise<Tenant> {
    assertActor(actor);
    if (typeof clientKey !== 'string' || clientKey.trim() === '') {
      throw new TenantInputInvalidError(`Cannot replace the client key of tenant ${tenantId}`, [
        { field: 'clientKey', problem: 'is required' },
      ]);
    }
    await this.requireRecord(tenantId);
    const key = clientKey.trim();
    const client = await this.requireFactory().forTenant({ tenantId, clientKey: key, lane: 'customer' });
    const privileges = await this.checkPrivileges(tenantId, client);
    return this.changeTenant(tenantId, actor, 'clientKey.replaced', (before) => ({
      changes: {
        clientKeyCiphertext: this.cipher.encrypt(key, tenantId),
        clientKeyFingerprint: clientKeyFingerprint(key),
        authorised: true,
        notAuthorisedReason: null,
        privileges,
      },
      before: {
        clientKeyFingerprint: before.clientKeyFingerprint,
        authorised: before.authorised,
        privileges: before.privileges,
      },
      after: { clientKeyFingerprint: clientKeyFingerprint(key), authorised: true, privileges },
    }));
  }

  /**
   * Asks PowerOffice again whether the stored key works and has every privilege, and records the
   * answer (e.g. after the customer granted a missing privilege). Returns the updated tenant.
   */
  async verifyAuthorisation(tenantId: string, actor: string): Promise<Tenant> {
    assertActor(actor);
    const record = await this.requireRecord(tenantId);
    const client = await this.requireFactory().forTenant({ tenantId, clientKey: this.open(record), lane: 'customer' });
    let privileges: string[];
    try {
      privileges = await this.checkPrivileges(tenantId, client);
    } catch (err) {
      if (err instanceof IntegrationError && err.code === 'TENANT_NOT_AUTHORISED')
        return this.markNotAuthorised(tenantId, err.message, actor);
      throw err;
    }
    return this.changeTenant(tenantId, actor, 'tenant.authorised', (before) =>
      before.authorised && sameList(before.privileges, privileges)
        ? null
        : {
            changes: { authorised: true, notAuthorisedReason: null, privileges },
            before: {
              authorised: before.authorised,
              notAuthorisedReason: before.notAuthorisedReason,
              privileges: before.privileges,
            },
            after: { authorised: true, notAuthorisedReason: null, privileges },
          },
    );
  }

  // ---------------------------------------------------------------- reading tenants

  /** The tenant without its key, or null. Cached for a few seconds: the pipeline asks per event. */
  async get(tenantId: string): Promise<Tenant | null> {
    const record = await this.cachedRecord(tenantId);
    return record ? withoutKey(record) : null;
  }

  async list(): Promise<Tenant[]> {
    return (await this.repo.listTenants()).map(withoutKey);
  }

  /** Newest first. */
  async auditLog(tenantId: string, limit = 100): Promise<AuditEntry[]> {
    return this.repo.listAudit(tenantId, Math.max(1, Math.min(limit, 1000)));
  }

  // ---------------------------------------------------------------- state

  async setEnabled(tenantId: string, enabled: boolean, actor: string): Promise<Tenant> {
    assertActor(actor);
    return this.changeTenant(tenantId, actor, enabled ? 'tenant.enabled' : 'tenant.disabled', (before) =>
      before.enabled === enabled
        ? null
        : { changes: { enabled }, before: { enabled: before.enabled }, after: { enabled } },
    );
  }

  /**
   * Records that PowerOffice refused the tenant's key or a privilege (pipeline, on a 401/403 or
   * invalid_client). `reason` is shown to operators: pass PowerOffice's words, never a key.
   */
  async markNotAuthorised(tenantId: string, reason: string, actor = 'system'): Promise<Tenant> {
    const text = String(reason ?? '').slice(0, MAX_REASON_LENGTH) || 'PowerOffice refused the client key';
    const tenant = await this.changeTenant(tenantId, actor, 'tenant.notAuthorised', (before) =>
      !before.authorised && before.notAuthorisedReason === text
        ? null
        : {
            changes: { authorised: false, notAuthorisedReason: text },
            before: { authorised: before.authorised, notAuthorisedReason: before.notAuthorisedReason },
            after: { authorised: false, notAuthorisedReason: text },
          },
    );
    this.options.logger?.warn(`tenant ${tenantId} marked not authorised in PowerOffice`, { tenantId, reason: text });
    return tenant;
  }

  async markAuthorised(tenantId: string, actor = 'system'): Promise<Tenant> {
    return this.changeTenant(tenantId, actor, 'tenant.authorised', (before) =>
      before.authorised
        ? null
        : {
            changes: { authorised: true, notAuthorisedReason: null },
            before: { authorised: false, notAuthorisedReason: before.notAuthorisedReason },
            after: { authorised: true, notAuthorisedReason: null },
          },
    );
  }

  async setSchedule(tenantId: string, schedule: SettlementSchedule, actor: string): Promise<Tenant> {
    assertActor(actor);
    const problems = settlementScheduleProblems(schedule);
    if (problems.length)
      throw new TenantInputInvalidError(`Cannot set the settlement schedule of tenant ${tenantId}`, problems);
    const next: SettlementSchedule =
      schedule.mode === 'at' ? { mode: 'at', time: schedule.time } : { mode: 'afterEndOfDay' };
    return this.changeTenant(tenantId, actor, 'schedule.set', (before) =>
      JSON.stringify(before.settlementSchedule) === JSON.stringify(next)
        ? null
        : {
            changes: { settlementSchedule: next },
            before: { settlementSchedule: before.settlementSchedule },
            after: { settlementSchedule: next },
          },
    );
  }

  /**
   * Chooses how invoices reach PowerOffice. Refused when PowerOffice did not grant the privilege
   * that mode posts with (as last seen at onboarding / verifyAuthorisation).
   */
  async setInvoiceMode(tenantId: string, mode: InvoiceMode, actor: string): Promise<Tenant> {
    assertActor(actor);
    if (!isInvoiceMode(mode)) {
      throw new TenantInputInvalidError(`Cannot set the invoice mode of tenant ${tenantId}`, [
        { field: 'invoiceMode', problem: 'must be "voucher" or "salesOrder"' },
      ]);
    }
    const record = await this.requireRecord(tenantId);
    if (!allowsInvoiceMode(record.privileges, mode)) {
      throw new PermanentError(
        'TENANT_NOT_AUTHORISED',
        `Tenant ${tenantId} cannot use invoice mode "${mode}": PowerOffice has not granted the integration ` +
          `${INVOICE_MODE_PRIVILEGE[mode]}. Grant it in PowerOffice Go (Settings → Extensions), then verify the tenant again.`,
        { details: { missingPrivileges: [INVOICE_MODE_PRIVILEGE[mode]] } },
      );
    }
    return this.changeTenant(tenantId, actor, 'invoiceMode.set', (before) =>
      before.invoiceMode === mode
        ? null
        : { changes: { invoiceMode: mode }, before: { invoiceMode: before.invoiceMode }, after: { invoiceMode: mode } },
    );
  }

  /** Picks the PowerOffice customer number series (by id, from the cached reference data). */
  async setCustomerNumberSeries(tenantId: string, seriesId: string, actor: string): Promise<Tenant> {
    assertActor(actor);
    const reference = await this.referenceData(tenantId);
    const series = reference.numberSeries.find((s) => s.id === seriesId && s.type === 'Customer');
    if (!series) {
      const known = reference.numberSeries
        .filter((s) => s.type === 'Customer')
        .map((s) => `${s.id} "${s.name}" ${s.from}–${s.to}`);
      throw new TenantInputInvalidError(`Cannot set the customer number series of tenant ${tenantId}`, [
        {
          field: 'seriesId',
          problem: `is not a customer number series in PowerOffice (known: ${known.join(', ') || 'none'})`,
        },
      ]);
    }
    const next: CustomerNumberSeries = { id: series.id, name: series.name, from: series.from, to: series.to };
    return this.changeTenant(tenantId, actor, 'customerNumberSeries.set', (before) =>
      before.customerNumberSeries?.id === next.id
        ? null
        : {
            changes: { customerNumberSeries: next },
            before: { customerNumberSeries: before.customerNumberSeries },
            after: { customerNumberSeries: next },
          },
    );
  }

  // ---------------------------------------------------------------- account mapping

  async getMapping(tenantId: string): Promise<AccountMappingRecord | null> {
    const hit = this.fresh(this.mappings, tenantId);
    if (hit !== undefined) return hit;
    const record = await this.repo.findMapping(tenantId);
    this.mappings.set(tenantId, { value: record, expiresAt: this.now() + this.ttlMs });
    return record;
  }

  /**
   * Stores a mapping after checking it against the tenant's PowerOffice chart of accounts and VAT
   * codes. Rejected as a whole with every problem listed (MappingInvalidError). `expectedVersion`
   * guards against two people editing at once.
   */
  async setMapping(
    tenantId: string,
    mapping: AccountMapping,
    actor: string,
    options: { expectedVersion?: number } = {},
  ): Promise<AccountMappingRecord> {
    assertActor(actor);
    await this.requireRecord(tenantId);
    const problems = validateMapping(mapping, await this.referenceData(tenantId));
    if (problems.length) throw new MappingInvalidError(tenantId, problems);

    const saved = await this.repo.transaction(async (em) => {
      await this.repo.findTenant(tenantId, em, true); // serialises concurrent changes of one tenant
      const before = await this.repo.findMapping(tenantId, em, true);
      if (options.expectedVersion !== undefined && (before?.version ?? 0) !== options.expectedVersion) {
        throw new TenantInputInvalidError(`Cannot set the account mapping of tenant ${tenantId}`, [
          {
            field: 'expectedVersion',
            problem: `is ${options.expectedVersion}, but the stored mapping is version ${before?.version ?? 0} (changed by ${before?.updatedBy ?? 'nobody'}); reload and apply your change again`,
          },
        ]);
      }
      const record = await this.repo.saveMapping(em, tenantId, mapping, actor);
      await this.repo.insertAudit(em, {
        tenantId,
        actor,
        action: 'mapping.set',
        before: before ? { version: before.version, mapping: before.mapping } : null,
        after: { version: record.version, mapping },
      });
      return record;
    });
    this.mappings.delete(tenantId);
    return saved;
  }

  /**
   * The problems a mapping has against the tenant's current reference data, without saving:
   * the stored mapping, or `mapping` when given (a dry run in the console).
   */
  async checkMapping(tenantId: string, mapping?: AccountMapping): Promise<MappingProblem[]> {
    await this.requireRecord(tenantId);
    const subject = mapping ?? (await this.getMapping(tenantId))?.mapping;
    if (!subject) {
      throw new PermanentError(
        'MAPPING_MISSING',
        `Tenant ${tenantId} has no account mapping yet; set one (e.g. the NS 4102 preset) before posting.`,
        {
          details: [{ key: '(mapping)', account: null, problem: 'no account mapping is set' }],
        },
      );
    }
    return validateMapping(subject, await this.referenceData(tenantId));
  }

  // ---------------------------------------------------------------- PowerOffice access

  /**
   * The tenant's PowerOffice client key in clear text, for building its PowerOffice client only.
   * Never log it, return it from an API, or put it on Kafka.
   */
  async revealClientKeyForPowerOffice(tenantId: string): Promise<string> {
    return this.open(await this.requireRecord(tenantId));
  }

  /**
   * The tenant's own PowerOffice client in a budget lane. Throws TENANT_UNKNOWN for an unknown
   * tenant and TENANT_NOT_AUTHORISED while the tenant is marked not authorised, so no call is
   * spent on a key PowerOffice already refused. (Whether a disabled tenant's events wait is the
   * pipeline's decision; `enabled` is on the tenant.)
   */
  async clientFor(tenantId: string, lane: TenancyLane): Promise<C> {
    const record = await this.cachedRecord(tenantId);
    if (!record) throw unknownTenant(tenantId);
    if (!record.authorised) {
      throw new PermanentError(
        'TENANT_NOT_AUTHORISED',
        `Tenant ${tenantId} is not authorised in PowerOffice: ${record.notAuthorisedReason ?? 'reason not recorded'}. ` +
          'Fix the extension or its privileges in PowerOffice Go, then verify the tenant (or store a new client key).',
      );
    }
    return this.requireFactory().forTenant({ tenantId, clientKey: this.open(record), lane });
  }

  // ---------------------------------------------------------------- reference data

  /**
   * Reads the tenant's reference data from PowerOffice again and stores it (all kinds, or the
   * ones named). Spends one API call per kind in `lane`.
   */
  async refreshReferenceData(
    tenantId: string,
    options: { kinds?: readonly ReferenceDataKind[]; lane?: TenancyLane } = {},
  ): Promise<ReferenceData> {
    const client = await this.clientFor(tenantId, options.lane ?? 'customer');
    const reference = await this.readReference(client, options.kinds ?? REFERENCE_DATA_KINDS);
    await this.repo.transaction((em) =>
      this.storeReference(em, tenantId, reference.kinds, reference.data, reference.fetchedAt),
    );
    this.references.delete(tenantId);
    return this.referenceData(tenantId);
  }

  /** The cached reference data (kinds never read are empty; see `fetchedAt`). */
  async referenceData(tenantId: string): Promise<ReferenceData> {
    const hit = this.fresh(this.references, tenantId);
    if (hit !== undefined) return hit;
    const rows = await this.repo.findReferenceData(tenantId);
    if (!rows.length && !(await this.cachedRecord(tenantId))) throw unknownTenant(tenantId);
    const ref = emptyReferenceData();
    for (const row of rows) assignKind(ref, row.kind, row.data, row.fetchedAt);
    this.references.set(tenantId, { value: ref, expiresAt: this.now() + this.ttlMs });
    return ref;
  }

  /** The PowerOffice account (id, VAT lock, …) for an account number, for voucher lines. */
  async resolveAccount(tenantId: string, accountNo: number): Promise<LedgerAccount> {
    const ref = await this.referenceData(tenantId);
    const account = ref.accounts[String(accountNo)];
    if (!account) {
      throw new PermanentError(
        'MAPPING_MISSING',
        `Account ${accountNo} is not in the PowerOffice chart of accounts of tenant ${tenantId}` +
          `${ref.fetchedAt.accounts ? ` (as read ${ref.fetchedAt.accounts.toISOString()})` : ' (never read)'}. ` +
          'Create it in PowerOffice or change the mapping, then refresh the reference data.',
        { details: [{ key: 'account', account: accountNo, problem: 'unknown account' }] },
      );
    }
    return account;
  }

  /**
   * The PowerOffice VAT code (id, rate) for a SAF-T code, for voucher lines. With `onDate`
   * (YYYY-MM-DD, the voucher date) the id and rate are those of the period valid that day, so a
   * day before a rate change is posted with the old rate.
   */
  async resolveVat(tenantId: string, code: string, onDate?: string): Promise<VatCodeRef> {
    const ref = await this.referenceData(tenantId);
    const vat = ref.vatCodes[code];
    const asRead = ref.fetchedAt.vatCodes ? ` (as read ${ref.fetchedAt.vatCodes.toISOString()})` : ' (never read)';
    if (!vat) {
      throw new PermanentError(
        'MAPPING_MISSING',
        `VAT code ${code} is not among the PowerOffice VAT codes of tenant ${tenantId}${asRead}. ` +
          'Refresh the reference data, or map the POS VAT code to a code PowerOffice has.',
        { details: [{ key: 'vatCode', account: null, problem: `unknown VAT code ${code}` }] },
      );
    }
    if (onDate === undefined) return vat;
    const period = vatPeriodOn(vat, onDate);
    if (!period) {
      throw new PermanentError(
        'MAPPING_MISSING',
        `VAT code ${code} of tenant ${tenantId} is not valid on ${onDate} in PowerOffice${asRead} ` +
          `(periods: ${vat.periods.map((p) => `${p.validFrom ?? '…'}–${p.validTo ?? '…'}`).join(', ')}).`,
        { details: [{ key: 'vatCode', account: null, problem: `VAT code ${code} not valid on ${onDate}` }] },
      );
    }
    return { ...vat, ...period };
  }

  // ---------------------------------------------------------------- key rotation

  /** Rewrites every stored client key under the current encryption key (see reencryptAll). */
  async reencryptAllClientKeys(actor = 'system:key-rotation'): Promise<ReencryptionReport> {
    const report = await reencryptAll(this.dataSource, this.cipher, actor);
    this.invalidate();
    return report;
  }

  /** Drops cached answers for one tenant, or all. */
  invalidate(tenantId?: string): void {
    if (tenantId === undefined) {
      this.tenants.clear();
      this.mappings.clear();
      this.references.clear();
      return;
    }
    this.tenants.delete(tenantId);
    this.mappings.delete(tenantId);
    this.references.delete(tenantId);
  }

  // ---------------------------------------------------------------- internals

  private requireFactory(): TenancyPowerOfficeFactory<C> {
    if (!this.powerOffice) {
      throw new Error(
        'TenantService was created without a PowerOffice client factory; pass one to talk to PowerOffice.',
      );
    }
    return this.powerOffice;
  }

  private open(record: TenantRecord): string {
    return this.cipher.decrypt(record.clientKeyCiphertext, record.id);
  }

  private fresh<T>(cache: Map<string, CacheEntry<T>>, key: string): T | undefined {
    const entry = cache.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      cache.delete(key);
      return undefined;
    }
    return entry.value;
  }

  private async cachedRecord(tenantId: string): Promise<TenantRecord | null> {
    const hit = this.fresh(this.tenants, tenantId);
    if (hit !== undefined) return hit;
    const record = await this.repo.findTenant(tenantId);
    this.tenants.set(tenantId, { value: record, expiresAt: this.now() + this.ttlMs });
    return record;
  }

  private async requireRecord(tenantId: string): Promise<TenantRecord> {
    const record = await this.repo.findTenant(tenantId);
    if (!record) throw unknownTenant(tenantId);
    return record;
  }

  /**
   * One audited change of a tenant row: lock it, let `decide` compute the change from the current
   * state (null = nothing to do, so no audit noise), write it and the audit entry together.
   */
  private async changeTenant(
    tenantId: string,
    actor: string,
    action: AuditAction,
    decide: (before: TenantRecord) => { changes: TenantChanges; before: unknown; after: unknown } | null,
  ): Promise<Tenant> {
    const record = await this.repo.transaction(async (em) => {
      const before = await this.repo.findTenant(tenantId, em, true);
      if (!before) throw unknownTenant(tenantId);
      const decision = decide(before);
      if (!decision) return before;
      const after = await this.repo.updateTenant(em, tenantId, decision.changes);
      await this.repo.insertAudit(em, { tenantId, actor, action, before: decision.before, after: decision.after });
      return after!;
    });
    this.invalidate(tenantId);
    return withoutKey(record);
  }

  /** Asks PowerOffice which privileges the integration has; throws TENANT_NOT_AUTHORISED naming each missing one. */
  private async checkPrivileges(tenantId: string, client: TenancyPowerOfficeClient): Promise<string[]> {
    let info: unknown;
    try {
      info = await client.clientIntegrationInformation.get();
    } catch (err) {
      if (err instanceof IntegrationError && err.code === 'TENANT_NOT_AUTHORISED') {
        throw new PermanentError(
          'TENANT_NOT_AUTHORISED',
          `PowerOffice did not accept the client key for tenant ${tenantId}: ${err.message}. ` +
            'Check that the key comes from the "Open One" extension of this company in PowerOffice Go (production, not demo).',
          { powerOffice: err.powerOffice, cause: err },
        );
      }
      throw err;
    }
    const privileges = toIntegrationPrivileges(info);
    const missing = missingPrivileges(privileges);
    if (missing.length) {
      throw new PermanentError(
        'TENANT_NOT_AUTHORISED',
        `The Open One integration lacks PowerOffice privileges on tenant ${tenantId}` +
          `${privileges.clientName ? ` ("${privileges.clientName}")` : ''}: ${describeMissingPrivileges(missing)}. ` +
          'Grant them to the extension in PowerOffice Go (Settings → Extensions), then try again.',
        {
          details: {
            missingPrivileges: missing.map((m) => m.requirement.anyOf.join(' or ')),
            notInSubscription: missing.filter((m) => m.notInSubscription).map((m) => m.requirement.anyOf.join(' or ')),
          },
        },
      );
    }
    return [...privileges.valid].sort();
  }

  private async readReference(client: TenancyPowerOfficeClient, kinds: readonly ReferenceDataKind[]) {
    const data: Partial<Record<ReferenceDataKind, unknown>> = {};
    // One call at a time: the API budget is shared, and the kinds are few.
    for (const kind of kinds) data[kind] = await readReferenceKind(client, kind);
    return { kinds, data, fetchedAt: new Date() };
  }

  private async storeReference(
    em: EntityManager,
    tenantId: string,
    kinds: readonly ReferenceDataKind[],
    data: Partial<Record<ReferenceDataKind, unknown>>,
    fetchedAt: Date,
  ): Promise<void> {
    for (const kind of kinds) await this.repo.saveReferenceKind(em, tenantId, kind, data[kind] ?? null, fetchedAt);
  }
}

function unknownTenant(tenantId: string): PermanentError {
  return new PermanentError(
    'TENANT_UNKNOWN',
    `Tenant ${tenantId} is not onboarded (no such tenant in tenancy.tenants).`,
  );
}

function actorProblems(actor: unknown): FieldProblem[] {
  return typeof actor !== 'string' || actor.trim() === '' || actor.length > 200
    ? [{ field: 'actor', problem: 'must name who makes the change (1–200 characters), for the audit log' }]
    : [];
}

function assertActor(actor: unknown): void {
  const problems = actorProblems(actor);
  if (problems.length) throw new TenantInputInvalidError('Cannot record the change', problems);
}

function defaultCustomerSeries(data: Partial<Record<ReferenceDataKind, unknown>>): CustomerNumberSeries | null {
  const series = ((data.numberSeries ?? []) as ReferenceData['numberSeries']).filter((s) => s.type === 'Customer');
  const chosen = series.find((s) => s.isDefault) ?? series[0];
  return chosen ? { id: chosen.id, name: chosen.name, from: chosen.from, to: chosen.to } : null;
}

/** What the audit log keeps of a tenant: everything but the ciphertext (the fingerprint identifies the key). */
function auditView(record: TenantRecord): Record<string, unknown> {
  const { clientKeyCiphertext: _omitted, createdAt: _c, updatedAt: _u, ...rest } = record;
  return rest;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  const sortedB = [...b].sort();
  return a.length === b.length && [...a].sort().every((x, i) => x === sortedB[i]);
}
