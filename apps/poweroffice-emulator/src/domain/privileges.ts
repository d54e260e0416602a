/**
 * Auth roles, named as the OpenAPI summaries name them ("(Auth roles: Customer,Customer_Full)").
 * Reading accepts `X` or `X_Full`; writing needs `X_Full`.
 */
export const AUTH_ROLES = [
  'AccountTransaction',
  'AccountTransaction_Full',
  'BankVoucher_Full',
  'CashVoucher_Full',
  'ClientAdmin',
  'ClientAdmin_Full',
  'ClientBankAccount',
  'ClientBankAccount_Full',
  'CommonServices',
  'CommonServices_Full',
  'ContactBankAccount',
  'ContactBankAccount_Full',
  'ContactDeliveryAddress',
  'ContactDeliveryAddress_Full',
  'ContactGroup',
  'ContactGroup_Full',
  'ContactPerson',
  'ContactPerson_Full',
  'CustomDimension',
  'CustomDimension_Full',
  'Customer',
  'Customer_Full',
  'CustomerLedger',
  'CustomerLedger_Full',
  'Department',
  'Department_Full',
  'Employee',
  'Employee_Full',
  'GeneralLedgerAccount',
  'GeneralLedgerAccount_Full',
  'IncomingInvoice',
  'IncomingInvoice_Full',
  'JournalEntryVoucher',
  'JournalEntryVoucher_Full',
  'Location',
  'Location_Full',
  'ManualVoucher_Full',
  'OutgoingInvoice',
  'OutgoingInvoice_Full',
  'OutgoingInvoiceVoucher_Full',
  'Product',
  'Product_Full',
  'Project',
  'Project_Full',
  'SalesOrders',
  'SalesOrders_Full',
  'Supplier',
  'Supplier_Full',
  'SupplierLedger',
  'SupplierLedger_Full',
  'TrialBalance',
  'TrialBalance_Full',
  'VoucherApproval_Full',
  'VoucherDocumentation',
  'VoucherDocumentation_Full',
  'YearEndVoucher_Full',
] as const;

export type AuthRole = (typeof AUTH_ROLES)[number];

const KNOWN = new Set<string>(AUTH_ROLES);

export function isAuthRole(name: string): name is AuthRole {
  return KNOWN.has(name);
}

/** Roles that may read a resource area: `X` or `X_Full`. */
export function readRoles(area: string): string[] {
  return [area, `${area}_Full`];
}

/** Roles that may write a resource area. */
export function writeRoles(area: string): string[] {
  return [`${area}_Full`];
}

/**
 * Roles that post vouchers. The spec names only YearEndVoucher_Full on /Vouchers/Reverse, which looks
 * like a documentation slip (api doc §6.12); the emulator accepts any voucher-posting role there.
 */
export const VOUCHER_POSTING_ROLES = [
  'YearEndVoucher_Full',
  'CashVoucher_Full',
  'ManualVoucher_Full',
  'BankVoucher_Full',
  'OutgoingInvoiceVoucher_Full',
];
