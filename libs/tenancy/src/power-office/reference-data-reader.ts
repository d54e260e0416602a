import {
  DepartmentRef,
  LedgerAccount,
  NumberSeries,
  ReferenceData,
  ReferenceDataKind,
  standardVatSide,
  VatCodeRef,
  VatPeriod,
  VatSide,
} from '../domain/reference-data';
import { IntegrationPrivileges } from '../domain/privileges';
import { TenancyPowerOfficeClient } from './port';

/**
 * Reads a tenant's reference data from PowerOffice and normalises it into tenancy's own shape, so
 * the rest of the integration never depends on PowerOffice DTO details. @lib/poweroffice hands
 * out camelCase DTOs; PascalCase (the wire form) is accepted as well.
 */

type Dto = Record<string, unknown>;

function field(dto: Dto, name: string): unknown {
  if (name in dto) return dto[name];
  const camel = name[0].toLowerCase() + name.slice(1);
  return dto[camel];
}
const str = (dto: Dto, name: string): string | null => {
  const v = field(dto, name);
  return v === undefined || v === null ? null : String(v);
};
const num = (dto: Dto, name: string): number | null => {
  const v = field(dto, name);
  return typeof v === 'number'
    ? v
    : typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v))
      ? Number(v)
      : null;
};
const bool = (dto: Dto, name: string, fallback: boolean): boolean => {
  const v = field(dto, name);
  return typeof v === 'boolean' ? v : fallback;
};
const strings = (dto: Dto, name: string): string[] => {
  const v = field(dto, name);
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
};
/** PowerOffice sometimes adds a time part to `date` fields. */
const date = (dto: Dto, name: string): string | null => {
  const v = str(dto, name);
  return v === null ? null : v.slice(0, 10);
};
const dtos = (list: readonly unknown[] | null | undefined): Dto[] =>
  (list ?? []).filter((x): x is Dto => typeof x === 'object' && x !== null);

export function toLedgerAccount(dto: Dto): LedgerAccount | null {
  const id = num(dto, 'Id');
  const no = num(dto, 'AccountNo');
  if (id === null || no === null) return null;
  return {
    id,
    no,
    name: str(dto, 'Name') ?? '',
    // IsActive is nullable in the spec; an account PowerOffice does not mark inactive is usable.
    active: bool(dto, 'IsActive', true),
    vatCode: str(dto, 'VatCode'),
    vatLocked: bool(dto, 'IsVatCodeLocked', false),
    departmentRequired: bool(dto, 'IsDepartmentRequired', false),
    projectRequired: bool(dto, 'IsProjectRequired', false),
  };
}

/** Today in Europe/Oslo (YYYY-MM-DD): business dates are Norwegian. */
export function osloToday(now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Europe/Oslo',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(now);
}

/**
 * VAT codes by code. A code with several rows (a rate change) becomes one entry showing the row
 * valid `today` (else the latest that has started, else the first), with every row in `periods`.
 */
export function toVatCodes(list: readonly unknown[], today = osloToday()): Record<string, VatCodeRef> {
  const raw = dtos(list);
  const codeById = new Map<number, string>();
  for (const dto of raw) {
    const id = num(dto, 'Id');
    const code = str(dto, 'Code');
    if (id !== null && code !== null) codeById.set(id, code);
  }
  const rowsByCode = new Map<string, Dto[]>();
  for (const dto of raw) {
    const code = str(dto, 'Code');
    if (num(dto, 'Id') === null || code === null) continue;
    rowsByCode.set(code, [...(rowsByCode.get(code) ?? []), dto]);
  }
  const out: Record<string, VatCodeRef> = {};
  for (const [code, rows] of rowsByCode) {
    const periods: VatPeriod[] = rows
      .map((dto) => ({
        id: num(dto, 'Id')!,
        rate: num(dto, 'Rate') ?? 0,
        validFrom: date(dto, 'ValidFrom'),
        validTo: date(dto, 'ValidTo'),
      }))
      .sort((a, b) => (a.validFrom ?? '').localeCompare(b.validFrom ?? ''));
    const started = periods.filter((p) => p.validFrom === null || p.validFrom <= today);
    const current =
      started.find((p) => p.validTo === null || today <= p.validTo) ?? started[started.length - 1] ?? periods[0];
    const dto = rows.find((r) => num(r, 'Id') === current.id)!;
    const baseId = num(dto, 'BaseVatCodeId');
    const baseCode = baseId !== null ? (codeById.get(baseId) ?? null) : null;
    // Custom codes ("C…") sit on the side of the standard code they are based on; "K…" are VAT compensation.
    let side: VatSide = standardVatSide(code);
    if (side === 'other' && /^C/i.test(code) && baseCode !== null) side = standardVatSide(baseCode);
    out[code] = {
      ...current,
      code,
      name: str(dto, 'Name') ?? '',
      side,
      active: bool(dto, 'IsActive', true),
      baseCode,
      periods,
    };
  }
  return out;
}

export function toNumberSeries(dto: Dto): NumberSeries | null {
  const id = str(dto, 'Id');
  if (id === null) return null;
  return {
    id,
    name: str(dto, 'Name') ?? '',
    type: str(dto, 'SubLedgerNumberSeriesType') ?? 'Customer',
    from: num(dto, 'FromInclusive') ?? 0,
    to: num(dto, 'ToInclusive') ?? 0,
    ledgerAccountNo: num(dto, 'GeneralLedgerAccountNo'),
    isDefault: bool(dto, 'IsDefault', false),
  };
}

export function toDepartment(dto: Dto): DepartmentRef | null {
  const id = num(dto, 'Id');
  const code = str(dto, 'Code');
  if (id === null || code === null) return null;
  // PowerOffice defaults IsActive to false when it is not set, so missing means inactive here.
  return { id, code, name: str(dto, 'Name') ?? '', active: bool(dto, 'IsActive', false) };
}

export function toIntegrationPrivileges(info: unknown): IntegrationPrivileges & { clientName: string | null } {
  const dto = typeof info === 'object' && info !== null ? (info as Dto) : {};
  return {
    valid: strings(dto, 'ValidPrivileges'),
    invalid: strings(dto, 'InvalidPrivileges'),
    clientName: str(dto, 'ClientName'),
  };
}

const byKey = <T>(items: (T | null)[], key: (t: T) => string): Record<string, T> => {
  const out: Record<string, T> = {};
  for (const item of items) if (item !== null) out[key(item)] = item;
  return out;
};

/** The data of one kind, fetched and normalised. */
export async function readReferenceKind(client: TenancyPowerOfficeClient, kind: ReferenceDataKind): Promise<unknown> {
  switch (kind) {
    case 'accounts':
      return byKey(dtos(await client.generalLedgerAccounts.listAll()).map(toLedgerAccount), (a) => String(a.no));
    case 'vatCodes':
      return toVatCodes(await client.vatCodes.listAll());
    case 'numberSeries':
      return dtos(await client.subLedgerNumberSeries.listAll())
        .map(toNumberSeries)
        .filter((s): s is NumberSeries => s !== null);
    case 'departments':
      return byKey(dtos(await client.departments.listAll()).map(toDepartment), (d) => d.code);
    case 'lockDate': {
      const settings = await client.lockDate.get();
      return typeof settings === 'object' && settings !== null ? date(settings as Dto, 'LockDate') : null;
    }
  }
}

/** Puts one kind's stored data into a ReferenceData. */
export function assignKind(ref: ReferenceData, kind: ReferenceDataKind, data: unknown, fetchedAt: Date): void {
  switch (kind) {
    case 'accounts':
      ref.accounts = (data ?? {}) as ReferenceData['accounts'];
      break;
    case 'vatCodes':
      ref.vatCodes = (data ?? {}) as ReferenceData['vatCodes'];
      break;
    case 'numberSeries':
      ref.numberSeries = (data ?? []) as ReferenceData['numberSeries'];
      break;
    case 'departments':
      ref.departments = (data ?? {}) as ReferenceData['departments'];
      break;
    case 'lockDate':
      ref.lockDate = (data ?? null) as string | null;
      break;
  }
  ref.fetchedAt[kind] = fetchedAt;
}
