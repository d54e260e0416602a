import { IntegrationError } from '@lib/contracts';
import {
  AccountMapping,
  AccountMappingRecord,
  formatMappingProblem,
  MappingProblem,
  NS4102_PRESET,
  TenantService,
} from '@lib/tenancy';
import { Caller } from '../action-log/action-log.repository';
import { ActionRecorder } from '../action-log/action-recorder';
import { invalid, notFound } from '../domain/console-errors';

/** Ready-made mappings an operator can apply in one command. */
export const MAPPING_PRESETS: Readonly<Record<string, AccountMapping>> = { ns4102: NS4102_PRESET };

export interface SetAccountMappingCommand {
  /** Exactly one of `preset` and `mapping`. */
  preset?: string;
  mapping?: AccountMapping;
  /** The version the operator edited; refused when someone saved another one meanwhile. */
  expectedVersion?: number;
}

export function mappingOf(command: SetAccountMappingCommand): AccountMapping {
  if ((command.preset === undefined) === (command.mapping === undefined)) {
    throw invalid('Give either a preset (e.g. "ns4102") or a mapping, not both and not neither', [
      { field: 'preset', problem: 'or mapping is required (exactly one)' },
    ]);
  }
  if (command.preset !== undefined) {
    const preset = MAPPING_PRESETS[command.preset.toLowerCase()];
    if (!preset) {
      throw invalid(`Unknown preset "${command.preset}"; known: ${Object.keys(MAPPING_PRESETS).join(', ')}`, [
        { field: 'preset', problem: `must be one of ${Object.keys(MAPPING_PRESETS).join(', ')}` },
      ]);
    }
    return structuredClone(preset) as AccountMapping;
  }
  return command.mapping!;
}

/** Stores a tenant's account mapping after tenancy checked it against the tenant's chart of accounts. */
export class SetAccountMapping {
  constructor(
    private readonly tenants: TenantService,
    private readonly recorder: ActionRecorder,
  ) {}

  execute(caller: Caller, tenantId: string, command: SetAccountMappingCommand): Promise<AccountMappingRecord> {
    return this.recorder.run(
      caller,
      { action: 'mapping.set', tenantId, target: command.preset ? { preset: command.preset } : { keys: Object.keys(command.mapping ?? {}) } },
      () => this.tenants.setMapping(tenantId, mappingOf(command), caller.actor, { expectedVersion: command.expectedVersion }),
      (record) => ({ version: record.version }),
    );
  }
}

export interface MappingCheck {
  tenantId: string;
  /** The stored mapping (and its version), or one given for a dry run. */
  checked: 'stored' | 'given';
  version: number | null;
  ok: boolean;
  problems: (MappingProblem & { text: string })[];
}

/** Checks a mapping (the stored one, or one being edited) against the tenant's PowerOffice reference data, saving nothing. */
export class CheckAccountMapping {
  constructor(private readonly tenants: TenantService) {}

  async execute(tenantId: string, command: Partial<SetAccountMappingCommand> = {}): Promise<MappingCheck> {
    const given = command.preset !== undefined || command.mapping !== undefined ? mappingOf(command) : undefined;
    const stored = given ? null : await this.tenants.getMapping(tenantId);
    let problems: MappingProblem[];
    try {
      problems = await this.tenants.checkMapping(tenantId, given);
    } catch (err) {
      // No mapping at all is the first problem of a new shop, not an error of the check.
      if (err instanceof IntegrationError && err.code === 'MAPPING_MISSING' && Array.isArray(err.details)) {
        problems = (err.details as Omit<MappingProblem, 'rule'>[]).map((p) => ({ ...p, rule: 'invalid' as const }));
      } else throw err;
    }
    return {
      tenantId,
      checked: given ? 'given' : 'stored',
      version: stored?.version ?? null,
      ok: problems.length === 0,
      problems: problems.map((p) => ({ ...p, text: formatMappingProblem(p) })),
    };
  }
}

/** The stored mapping with its version and who saved it. */
export class ShowAccountMapping {
  constructor(private readonly tenants: TenantService) {}

  async execute(tenantId: string): Promise<AccountMappingRecord> {
    if (!(await this.tenants.get(tenantId))) throw notFound(`Tenant ${tenantId} is not onboarded`);
    const record = await this.tenants.getMapping(tenantId);
    if (!record) {
      throw notFound(
        `Tenant ${tenantId} has no account mapping yet; set one (PUT /tenants/${tenantId}/mapping with {"preset":"ns4102"}, or cli mapping set --tenant ${tenantId} --preset ns4102)`,
      );
    }
    return record;
  }
}
