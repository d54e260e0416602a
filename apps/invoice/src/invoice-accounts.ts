import { InvoicePosted, isIntegrationError, PermanentError } from '@lib/contracts';
import { AccountMapping, TenantService } from '@lib/tenancy';
import { invoiceSalesAccounts, PostingTarget } from './domain/outgoing-invoice-voucher';

interface Gap {
  key: string;
  account: number | null;
  problem: string;
}

/**
 * The tenant's account mapping turned into PowerOffice ids for one invoice: sales account and VAT
 * id per VAT code (tenancy's cached chart and VAT codes, no API call), and the department. Every gap
 * is collected so the accountant fixes the mapping once, not once per resend.
 */
export class InvoiceAccounts {
  constructor(private readonly tenants: TenantService) {}

  async mapping(tenantId: string, invoiceNumber: string): Promise<AccountMapping> {
    const record = await this.tenants.getMapping(tenantId);
    if (!record) {
      throw new PermanentError(
        'MAPPING_MISSING',
        `Tenant ${tenantId} has no account mapping, so invoice ${invoiceNumber} cannot be posted. Set one (e.g. the NS 4102 preset), then resend the invoice.`,
        { details: [{ key: '(mapping)', account: null, problem: 'no account mapping is set' }] },
      );
    }
    return record.mapping;
  }

  async voucherTargets(
    tenantId: string,
    invoice: InvoicePosted,
    mapping: AccountMapping,
  ): Promise<{ sales: Map<string, PostingTarget>; departmentId: number | null }> {
    const { accounts, gaps: unmapped } = invoiceSalesAccounts(invoice, mapping);
    const gaps: Gap[] = unmapped.map((g) => ({ ...g, account: null }));
    const sales = new Map<string, PostingTarget>();
    for (const choice of accounts) {
      const account = await this.gapOn(gaps, choice.mappingKey, choice.accountNo, () =>
        this.tenants.resolveAccount(tenantId, choice.accountNo),
      );
      const vat = await this.gapOn(gaps, choice.mappingKey, choice.accountNo, () =>
        this.tenants.resolveVat(tenantId, choice.vatCode, invoice.invoiceDate),
      );
      if (account && vat) sales.set(choice.vatCode, { accountId: account.id, vatId: vat.id });
    }
    const departmentId = await this.department(tenantId, invoice, mapping, gaps);
    throwGaps(tenantId, invoice, gaps);
    return { sales, departmentId: departmentId?.id ?? null };
  }

  /** The PowerOffice department code of the invoice's department, for sales orders (which take codes). */
  async departmentCode(tenantId: string, invoice: InvoicePosted, mapping: AccountMapping): Promise<string | null> {
    const gaps: Gap[] = [];
    const department = await this.department(tenantId, invoice, mapping, gaps);
    throwGaps(tenantId, invoice, gaps);
    return department?.code ?? null;
  }

  /** A POS department the mapping does not name posts without one; a mapped one must exist in PowerOffice. */
  private async department(tenantId: string, invoice: InvoicePosted, mapping: AccountMapping, gaps: Gap[]) {
    const posCode = invoice.departmentCode;
    const poCode = posCode === undefined ? undefined : mapping.departments?.[posCode];
    if (posCode === undefined || poCode === undefined) return null;
    const department = (await this.tenants.referenceData(tenantId)).departments[poCode];
    if (!department) {
      gaps.push({
        key: `departments.${posCode}`,
        account: null,
        problem: `PowerOffice department ${poCode} is not among the tenant's departments (refresh the reference data, or change the mapping)`,
      });
      return null;
    }
    return department;
  }

  /** Runs a tenancy lookup; its MAPPING_MISSING becomes a gap instead of ending the search. */
  private async gapOn<T>(gaps: Gap[], key: string, account: number, lookup: () => Promise<T>): Promise<T | null> {
    try {
      return await lookup();
    } catch (err) {
      if (isIntegrationError(err) && err.code === 'MAPPING_MISSING') {
        gaps.push({ key, account, problem: err.message });
        return null;
      }
      throw err;
    }
  }
}

function throwGaps(tenantId: string, invoice: InvoicePosted, gaps: Gap[]): void {
  if (gaps.length === 0) return;
  throw new PermanentError(
    'MAPPING_MISSING',
    `The account mapping of tenant ${tenantId} does not cover invoice ${invoice.invoiceNumber}: ` +
      `${gaps.map((g) => `${g.key}${g.account === null ? '' : ` → ${g.account}`}: ${g.problem}`).join('; ')}. ` +
      'Complete the mapping, then resend the invoice.',
    { details: gaps },
  );
}
