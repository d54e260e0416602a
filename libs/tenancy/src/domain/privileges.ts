import { InvoiceMode } from './tenant';

/**
 * The PowerOffice API privileges ("auth roles") the integration needs on a client, taken from the
 * role names in the OpenAPI summaries (shared/poweroffice/openapi-v2-merged.yaml). Reads accept
 * `X` or `X_Full`; writes need `X_Full`.
 */
export interface PrivilegeRequirement {
  /** Any one of these satisfies the requirement. */
  anyOf: readonly string[];
  /** What the integration cannot do without it, for the person granting it. */
  purpose: string;
}

export const REQUIRED_PRIVILEGES: readonly PrivilegeRequirement[] = [
  { anyOf: ['Customer_Full'], purpose: 'create and update customers (POST/PATCH /Customers)' },
  { anyOf: ['Product_Full'], purpose: 'create and update products (POST/PATCH /Products, /ProductGroups)' },
  { anyOf: ['CashVoucher_Full'], purpose: 'post daily settlements (POST /Vouchers/CashJournals)' },
  {
    anyOf: ['OutgoingInvoiceVoucher_Full', 'SalesOrders_Full'],
    purpose: 'transfer invoices (outgoing-invoice vouchers, or sales orders)',
  },
  {
    anyOf: ['GeneralLedgerAccount', 'GeneralLedgerAccount_Full'],
    purpose: 'read the chart of accounts (GET /GeneralLedgerAccounts)',
  },
  {
    anyOf: ['CommonServices', 'CommonServices_Full'],
    purpose:
      'read VAT codes, sub-ledger number series and the lock date (GET /VatCodes, /SubLedgerNumberSeries, /LockDateSettings)',
  },
  { anyOf: ['Department', 'Department_Full'], purpose: 'read departments (GET /Departments)' },
];

/** The privilege each invoice mode posts with. */
export const INVOICE_MODE_PRIVILEGE: Record<InvoiceMode, string> = {
  voucher: 'OutgoingInvoiceVoucher_Full',
  salesOrder: 'SalesOrders_Full',
};

export interface MissingPrivilege {
  requirement: PrivilegeRequirement;
  /** PowerOffice listed it as invalid: the client's Go subscription does not include that module. */
  notInSubscription: boolean;
}

/** What ClientIntegrationInformation says about the integration on one client. */
export interface IntegrationPrivileges {
  valid: readonly string[];
  invalid: readonly string[];
}

const has = (list: readonly string[], name: string) => list.some((p) => p.toLowerCase() === name.toLowerCase());

export function missingPrivileges(
  privileges: IntegrationPrivileges,
  required = REQUIRED_PRIVILEGES,
): MissingPrivilege[] {
  return required
    .filter((r) => !r.anyOf.some((name) => has(privileges.valid, name)))
    .map((requirement) => ({
      requirement,
      notInSubscription: requirement.anyOf.some((name) => has(privileges.invalid, name)),
    }));
}

/** One line per missing privilege, by name: "CashVoucher_Full (post daily settlements …)". */
export function describeMissingPrivileges(missing: readonly MissingPrivilege[]): string {
  return missing
    .map(
      (m) =>
        `${m.requirement.anyOf.join(' or ')} (${m.requirement.purpose})` +
        (m.notInSubscription ? " — not included in the client's PowerOffice Go subscription" : ''),
    )
    .join('; ');
}

/** The invoice mode to start with: vouchers when PowerOffice granted them, otherwise sales orders. */
export function defaultInvoiceMode(valid: readonly string[]): InvoiceMode {
  return has(valid, INVOICE_MODE_PRIVILEGE.voucher) ? 'voucher' : 'salesOrder';
}

export function allowsInvoiceMode(valid: readonly string[], mode: InvoiceMode): boolean {
  return has(valid, INVOICE_MODE_PRIVILEGE[mode]);
}
