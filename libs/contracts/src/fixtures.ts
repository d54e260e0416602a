import { ArticleChanged, CustomerChanged, InvoicePosted, PowerOfficeCustomerChanged, ZReportClosed } from './events';

/*
 * Valid event data every team may reuse in tests. All objects are deeply frozen: copy before
 * changing (`{ ...zReportExample82, zNumber: 43 }` or `structuredClone(...)`), so one test cannot
 * spoil another's fixture.
 */

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/**
 * pos-domain.md §8.1: the official SAF-T cash-register example day
 * (shared/fixtures/saft/examples/cashregister_example_20210330.xml, Z #1, 2020-01-01).
 * The POS's own VAT codes 2 and 3 are given as the SAF-T standard codes 31 (15 %) and 3 (25 %);
 * counts are the Z's article-group and payment counts. There is no cash count in the file.
 */
export const zReportExample81: ZReportClosed = deepFreeze<ZReportClosed>({
  registerId: '11.222-33.44.567',
  zNumber: 1,
  businessDate: '2020-01-01',
  closedAt: '2020-01-01T23:56:59+01:00',
  currency: 'NOK',
  sales: [
    { vatCode: '31', vatRate: 15, grossAmount: 10280, netAmount: 8938, vatAmount: 1342, count: 1 },
    { vatCode: '3', vatRate: 25, grossAmount: 41140, netAmount: 32912, vatAmount: 8228, count: 3 },
  ],
  payments: [
    { method: 'cash', saftCode: '12001', amount: 29500, count: 1 },
    // Includes a −16.40 card refund.
    { method: 'card', saftCode: '12002', amount: 21880, count: 1 },
  ],
  // One cash receipt of 295.40 was paid with 295.00.
  rounding: -40,
  creditSales: { count: 0, amount: 0 },
  returns: { count: 1, amount: 1640 },
  discounts: { count: 0, amount: 0 },
  voids: { count: 0, amount: 0 },
  grandTotals: { sales: 53060, returns: 1640, net: 51420 },
});

/**
 * pos-domain.md §8.2: the fuller synthetic day, Z #42 of register `reg1` (key entity `reg1:42`).
 * Sales 9 500.00 @25 % + 4 600.40 @15 % + 300.00 zero-rated = 14 400.40; gift cards sold 1 000.00,
 * tips 200.00, rounding −0.40; payments 15 600.00; float 2 000.00, counted 6 530.00, shortage 20.00.
 * The 1 250.00 credit sale goes through the invoice flow ({@link invoicePostedExample}).
 */
export const zReportExample82: ZReportClosed = deepFreeze<ZReportClosed>({
  registerId: 'reg1',
  storeId: 'store1',
  departmentCode: '10',
  zNumber: 42,
  businessDate: '2026-03-14',
  closedAt: '2026-03-14T22:05:13+01:00',
  currency: 'NOK',
  sales: [
    { vatCode: '3', vatRate: 25, grossAmount: 950000, netAmount: 760000, vatAmount: 190000, count: 61 },
    { vatCode: '31', vatRate: 15, grossAmount: 460040, netAmount: 400035, vatAmount: 60005, count: 148 },
    { vatCode: '5', vatRate: 0, grossAmount: 30000, netAmount: 30000, vatAmount: 0, count: 12 },
  ],
  payments: [
    { method: 'cash', saftCode: '12001', amount: 455000, count: 38 },
    { method: 'card', saftCode: '12002', amount: 900000, count: 97 },
    { method: 'vipps', saftCode: '12011', amount: 150000, count: 21 },
    { method: 'giftCard', saftCode: '12005', amount: 40000, count: 2 },
    { method: 'pantSlip', saftCode: '12008', amount: 15000, count: 9 },
  ],
  giftCardsSold: { count: 2, amount: 100000 },
  tips: { count: 14, amount: 20000 },
  creditSales: { count: 1, amount: 125000 },
  cash: { openingFloat: 200000, counted: 653000, difference: -2000 },
  rounding: -40,
  returns: { count: 1, amount: 50000 },
  discounts: { count: 3, amount: 4500 },
  voids: { count: 1, amount: 12900 },
  grandTotals: { sales: 98765400, returns: 1234500, net: 97530900 },
});

/** A company customer, the buyer of {@link invoicePostedExample}. */
export const customerChangedExample: CustomerChanged = deepFreeze<CustomerChanged>({
  customerId: 'c-1001',
  customerNumber: 10001,
  isPerson: false,
  name: 'Fjordkafeen AS',
  organizationNumber: '999999999',
  email: 'post@fjordkafeen.example',
  invoiceEmail: 'faktura@fjordkafeen.example',
  phone: '+47 22 00 00 00',
  address: { line1: 'Storgata 1', postalCode: '0155', city: 'Oslo', countryCode: 'NO' },
  active: true,
  version: 3,
  changedAt: '2026-03-14T10:15:00+01:00',
});

export const articleChangedExample: ArticleChanged = deepFreeze<ArticleChanged>({
  articleId: 'a-2001',
  articleNumber: '2001',
  name: 'Kaffe latte',
  description: 'Take-away, 0,4 l',
  type: 'Product',
  articleGroup: { id: 'g-12', name: 'Andre drikkevarer', saftCode: '04012' },
  unitPriceInclVat: 5900,
  vatCode: '31',
  unit: 'EA',
  active: true,
  version: 7,
  changedAt: '2026-03-01T08:00:00+01:00',
});

/** §8.2's credit sale on account: 1 250.00 at 25 % to customer c-1001. */
export const invoicePostedExample: InvoicePosted = deepFreeze<InvoicePosted>({
  invoiceId: 'inv-5001',
  invoiceNumber: '5001',
  kind: 'invoice',
  customer: { customerId: 'c-1001', customerNumber: 10001 },
  invoiceDate: '2026-03-14',
  dueDate: '2026-03-28',
  currency: 'NOK',
  kid: '50013',
  reference: 'Ola Nordmann',
  departmentCode: '10',
  registerId: 'reg1',
  lines: [
    {
      articleId: 'a-3001',
      articleNumber: '3001',
      description: 'Catering, lunsj for 10 personer',
      quantity: 1,
      unitPriceExclVat: 100000,
      vatCode: '3',
      netAmount: 100000,
      vatAmount: 25000,
      grossAmount: 125000,
    },
  ],
  totals: { net: 100000, vat: 25000, gross: 125000 },
});

/** The same customer as seen from PowerOffice after the sync. */
export const powerOfficeCustomerChangedExample: PowerOfficeCustomerChanged = deepFreeze<PowerOfficeCustomerChanged>({
  powerOffice: { customerId: 7340012, customerNumber: 10001 },
  customerId: 'c-1001',
  isPerson: false,
  name: 'Fjordkafeen AS',
  organizationNumber: '999999999',
  invoiceEmail: 'faktura@fjordkafeen.example',
  address: { line1: 'Storgata 1', postalCode: '0155', city: 'Oslo', countryCode: 'NO' },
  active: true,
  changedAt: '2026-03-14T10:16:02+01:00',
});
