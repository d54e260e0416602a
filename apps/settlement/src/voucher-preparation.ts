import { Injectable } from '@nestjs/common';
import { IntegrationError, type OutcomeError } from '@lib/contracts';
import { TenantService } from '@lib/tenancy';
import { buildCashJournalVoucher } from './domain/cash-journal-voucher';
import {
  mappingFailure,
  unbalancedFailure,
  type MappingGap,
  type ResolvedCashJournalVoucher,
  type ResolvedVoucherLine,
} from './domain/settlement';
import type { ZReportClosed } from './domain/z-report';

export type PreparedVoucher = { ok: true; voucher: ResolvedCashJournalVoucher } | { ok: false; error: OutcomeError };

/** What preparing needs of tenancy (TenantService has it; unit tests pass a small fake). */
export type MappingDirectory = Pick<TenantService, 'getMapping' | 'resolveAccount' | 'resolveVat' | 'referenceData'>;

/**
 * Turns a Z-report into the voucher PowerOffice will receive for one tenant: the tenant's account
 * mapping (domain builder), then every account number, VAT code and department resolved to the
 * tenant's PowerOffice ids. Whatever is missing — an unmapped key, an account or VAT code
 * PowerOffice does not have, an inactive account, an unknown department — is reported together.
 */
@Injectable()
export class VoucherPreparation {
  constructor(private readonly tenants: TenantService) {}

  prepare(tenantId: string, report: ZReportClosed): Promise<PreparedVoucher> {
    return prepareVoucher(this.tenants, tenantId, report);
  }
}

export async function prepareVoucher(
  directory: MappingDirectory,
  tenantId: string,
  report: ZReportClosed,
): Promise<PreparedVoucher> {
  const mapping = await directory.getMapping(tenantId);
  if (!mapping) {
    return {
      ok: false,
      error: mappingFailure(tenantId, report, [
        { key: '(mapping)', account: null, problem: 'no account mapping is set for the tenant' },
      ]),
    };
  }
  const built = buildCashJournalVoucher(report, mapping.mapping, { tenantId });
  if (!built.ok) {
    if (built.code === 'UNBALANCED')
      return { ok: false, error: unbalancedFailure(report, built.debit, built.credit, built.message) };
    return {
      ok: false,
      error: mappingFailure(
        tenantId,
        report,
        built.missing.map((key) => ({ key, account: null, problem: 'not mapped' })),
      ),
    };
  }

  const draft = built.voucher;
  const gaps: MappingGap[] = [];
  const accounts = new Map<number, number>();
  for (const accountNo of new Set(draft.lines.map((l) => l.accountNo))) {
    try {
      const account = await directory.resolveAccount(tenantId, accountNo);
      if (!account.active) gaps.push({ key: 'account', account: accountNo, problem: 'is inactive in PowerOffice' });
      else accounts.set(accountNo, account.id);
    } catch (err) {
      gaps.push(
        ...gapsOf(err, { key: 'account', account: accountNo, problem: 'is not in the PowerOffice chart of accounts' }),
      );
    }
  }
  const vatIds = new Map<string, number>();
  for (const code of new Set(draft.lines.map((l) => l.vatCode))) {
    try {
      vatIds.set(code, (await directory.resolveVat(tenantId, code, draft.voucherDate)).id);
    } catch (err) {
      gaps.push(...gapsOf(err, { key: 'vatCode', account: null, problem: `VAT code ${code} is not in PowerOffice` }));
    }
  }
  const departmentIds = new Map<string, number>();
  const departmentCodes = new Set(
    draft.lines.flatMap((l) => (l.departmentCode === undefined ? [] : [l.departmentCode])),
  );
  if (departmentCodes.size > 0) {
    const reference = await directory.referenceData(tenantId);
    for (const code of departmentCodes) {
      const department = reference.departments[code];
      if (!department)
        gaps.push({
          key: `department ${code}`,
          account: null,
          problem: 'is not a PowerOffice department of the tenant',
        });
      else if (!department.active)
        gaps.push({ key: `department ${code}`, account: null, problem: 'is inactive in PowerOffice' });
      else departmentIds.set(code, department.id);
    }
  }
  if (gaps.length > 0) return { ok: false, error: mappingFailure(tenantId, report, gaps) };

  const lines: ResolvedVoucherLine[] = draft.lines.map((line) => {
    const resolved: ResolvedVoucherLine = {
      ...line,
      accountId: accounts.get(line.accountNo)!,
      vatId: vatIds.get(line.vatCode)!,
    };
    if (line.departmentCode !== undefined) resolved.departmentId = departmentIds.get(line.departmentCode)!;
    return resolved;
  });
  return { ok: true, voucher: { ...draft, lines } };
}

/** Tenancy's own words for a MAPPING_MISSING (it knows when the chart was read); anything else is rethrown. */
function gapsOf(err: unknown, fallback: MappingGap): MappingGap[] {
  if (!(err instanceof IntegrationError) || err.code !== 'MAPPING_MISSING') throw err;
  const details = Array.isArray(err.details) ? (err.details as Partial<MappingGap>[]) : [];
  const fromTenancy = details
    .filter((d) => typeof d.key === 'string' && typeof d.problem === 'string')
    .map((d) => ({ key: d.key!, account: typeof d.account === 'number' ? d.account : null, problem: d.problem! }));
  return fromTenancy.length > 0 ? fromTenancy : [fallback];
}
