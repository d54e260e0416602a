/**
 * A tenant is one shop (one PowerOffice Go client) that Open One posts into. This is what the rest
 * of the integration sees of it: never the client key, which only `revealClientKeyForPowerOffice`
 * hands out.
 */

export type InvoiceMode = 'voucher' | 'salesOrder';
export const INVOICE_MODES: readonly InvoiceMode[] = ['voucher', 'salesOrder'];

/**
 * When a Z-report's settlement is posted: right after the end of day, or at a fixed local time
 * (Europe/Oslo, "HH:MM") chosen by the shop, e.g. after the accountant's cut-off.
 */
export type SettlementSchedule = { mode: 'afterEndOfDay' } | { mode: 'at'; time: string };
export const DEFAULT_SETTLEMENT_SCHEDULE: SettlementSchedule = { mode: 'afterEndOfDay' };

/** The PowerOffice customer sub-ledger series new customers are numbered in. */
export interface CustomerNumberSeries {
  id: string;
  name: string;
  from: number;
  to: number;
}

export interface Tenant {
  id: string;
  name: string;
  organizationNumber: string;
  /** sha256 prefix of the client key: lets support compare keys without seeing one. */
  clientKeyFingerprint: string;
  /** Operator switch: a disabled tenant's events are held, not posted. */
  enabled: boolean;
  /** False once PowerOffice rejected the client key or a privilege is missing. */
  authorised: boolean;
  notAuthorisedReason: string | null;
  invoiceMode: InvoiceMode;
  settlementSchedule: SettlementSchedule;
  customerNumberSeries: CustomerNumberSeries | null;
  /** PowerOffice privileges the integration had at the last check (ClientIntegrationInformation). */
  privileges: string[];
  createdAt: Date;
  updatedAt: Date;
}

export interface FieldProblem {
  field: string;
  problem: string;
}

export const TENANT_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const ORGANIZATION_NUMBER_PATTERN = /^\d{9}$/;
const TIME_PATTERN = /^([01]\d|2[0-3]):[0-5]\d$/;

export function tenantIdProblem(id: unknown): string | null {
  if (typeof id !== 'string' || !TENANT_ID_PATTERN.test(id)) {
    return 'must be 1–64 characters: letters, digits, "_", "." and "-", starting with a letter or digit';
  }
  return null;
}

/** Norwegian organisation numbers are 9 digits; spaces (as printed, "999 888 777") are tolerated by normaliseOrganizationNumber. */
export function organizationNumberProblem(orgNo: unknown): string | null {
  if (typeof orgNo !== 'string' || !ORGANIZATION_NUMBER_PATTERN.test(orgNo))
    return 'must be 9 digits (Norwegian organisation number)';
  return null;
}

export function normaliseOrganizationNumber(orgNo: unknown): unknown {
  return typeof orgNo === 'string' ? orgNo.replace(/\s+/g, '') : orgNo;
}

/** Problems with a schedule given by an operator (console JSON), empty when it is valid. */
export function settlementScheduleProblems(schedule: unknown): FieldProblem[] {
  if (typeof schedule !== 'object' || schedule === null || Array.isArray(schedule)) {
    return [{ field: 'schedule', problem: 'must be {"mode":"afterEndOfDay"} or {"mode":"at","time":"HH:MM"}' }];
  }
  const s = schedule as Record<string, unknown>;
  if (s.mode === 'afterEndOfDay') {
    const extra = Object.keys(s).filter((k) => k !== 'mode');
    return extra.length
      ? [{ field: 'schedule', problem: `mode "afterEndOfDay" takes no other fields (got ${extra.join(', ')})` }]
      : [];
  }
  if (s.mode === 'at') {
    const problems: FieldProblem[] = [];
    if (typeof s.time !== 'string' || !TIME_PATTERN.test(s.time)) {
      problems.push({ field: 'schedule.time', problem: 'must be a local time "HH:MM" (00:00–23:59, Europe/Oslo)' });
    }
    const extra = Object.keys(s).filter((k) => k !== 'mode' && k !== 'time');
    if (extra.length)
      problems.push({ field: 'schedule', problem: `mode "at" takes only "time" (got ${extra.join(', ')})` });
    return problems;
  }
  return [{ field: 'schedule.mode', problem: 'must be "afterEndOfDay" or "at"' }];
}

export function isInvoiceMode(value: unknown): value is InvoiceMode {
  return typeof value === 'string' && (INVOICE_MODES as readonly string[]).includes(value);
}
