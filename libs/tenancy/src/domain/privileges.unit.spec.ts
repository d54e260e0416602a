import { allowsInvoiceMode, defaultInvoiceMode, describeMissingPrivileges, missingPrivileges } from './privileges';

const ALL = [
  'Customer_Full',
  'Product_Full',
  'CashVoucher_Full',
  'OutgoingInvoiceVoucher_Full',
  'GeneralLedgerAccount_Full',
  'CommonServices',
  'Department',
];

describe('privileges', () => {
  it('needs nothing more when every required privilege is valid (read roles satisfied by X or X_Full)', () => {
    expect(missingPrivileges({ valid: ALL, invalid: [] })).toEqual([]);
    expect(missingPrivileges({ valid: ALL.map((p) => p.toLowerCase()), invalid: [] })).toEqual([]);
  });

  it('accepts sales orders instead of outgoing-invoice vouchers', () => {
    const valid = ALL.filter((p) => p !== 'OutgoingInvoiceVoucher_Full').concat('SalesOrders_Full');
    expect(missingPrivileges({ valid, invalid: [] })).toEqual([]);
    expect(defaultInvoiceMode(valid)).toBe('salesOrder');
    expect(defaultInvoiceMode(ALL)).toBe('voucher');
    expect(allowsInvoiceMode(valid, 'voucher')).toBe(false);
  });

  it('names each missing privilege, read-only roles not being enough for writes', () => {
    const valid = ['Customer', 'Product_Full', 'GeneralLedgerAccount', 'CommonServices_Full', 'Department_Full'];
    const missing = missingPrivileges({ valid, invalid: ['CashVoucher_Full'] });

    expect(missing.map((m) => m.requirement.anyOf.join(' or '))).toEqual([
      'Customer_Full',
      'CashVoucher_Full',
      'OutgoingInvoiceVoucher_Full or SalesOrders_Full',
    ]);
    expect(missing.map((m) => m.notInSubscription)).toEqual([false, true, false]);
    expect(describeMissingPrivileges(missing)).toMatch(
      /^Customer_Full \(create and update customers.*\); CashVoucher_Full \(post daily settlements.*\) — not included in the client's PowerOffice Go subscription; OutgoingInvoiceVoucher_Full or SalesOrders_Full \(transfer invoices/,
    );
  });
});
