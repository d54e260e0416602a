import {
  ZReportClosed,
  articleChangedExample,
  customerChangedExample,
  invoicePostedExample,
  powerOfficeCustomerChangedExample,
  validateEventData,
  zReportExample81,
  zReportExample82,
} from './index';

/*
 * The fixtures are other teams' test data, so their arithmetic is checked here against the
 * identities of pos-domain.md §9. (Checking real reports is the settlement's job, not the contract's.)
 */

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

function cashSales(z: ZReportClosed): number {
  return sum(z.sales.map((s) => s.grossAmount));
}

describe.each([
  ['§8.1 official SAF-T day', zReportExample81],
  ['§8.2 synthetic Z #42', zReportExample82],
])('%s', (_name, z) => {
  it('is valid', () => {
    expect(validateEventData('ZReportClosed', z)).toEqual([]);
  });

  it('satisfies the VAT identity: net + VAT = gross per line', () => {
    for (const line of z.sales) expect(line.netAmount + line.vatAmount).toBe(line.grossAmount);
  });

  it('satisfies the payment identity: payments = cash sales + gift cards sold + tips + rounding', () => {
    const payments = sum(z.payments.filter((p) => p.method !== 'invoice').map((p) => p.amount));
    const expected = cashSales(z) + (z.giftCardsSold?.amount ?? 0) + (z.tips?.amount ?? 0) + (z.rounding ?? 0);
    expect(payments).toBe(expected);
  });

  it('has grand totals that add up (net = sales − returns)', () => {
    expect(z.grandTotals!.net).toBe(z.grandTotals!.sales - z.grandTotals!.returns);
  });
});

describe('§8.1 against the SAF-T example file', () => {
  it('carries the example day: 514.20 cash sales, cash 295.00 + card 218.80, rounding −0.40', () => {
    expect(cashSales(zReportExample81)).toBe(51420);
    expect(zReportExample81.sales.map((s) => [s.vatCode, s.netAmount, s.vatAmount, s.grossAmount])).toEqual([
      ['31', 8938, 1342, 10280],
      ['3', 32912, 8228, 41140],
    ]);
    expect(zReportExample81.payments.map((p) => [p.method, p.amount])).toEqual([
      ['cash', 29500],
      ['card', 21880],
    ]);
    expect(zReportExample81.rounding).toBe(-40);
    expect(zReportExample81.grandTotals!.net).toBe(cashSales(zReportExample81));
  });
});

describe('§8.2 specifics', () => {
  it('totals 14 400.40 in sales and 15 600.00 in payments', () => {
    expect(cashSales(zReportExample82)).toBe(1440040);
    expect(sum(zReportExample82.payments.map((p) => p.amount))).toBe(1560000);
  });

  it('satisfies the cash identity: counted = float + cash payments + difference (a 20.00 shortage)', () => {
    const cash = zReportExample82.cash!;
    const cashPayments = sum(zReportExample82.payments.filter((p) => p.method === 'cash').map((p) => p.amount));
    expect(cash.difference).toBe(-2000);
    expect(cash.counted).toBe(cash.openingFloat + cashPayments + cash.difference);
  });

  it('leaves the 1 250.00 credit sale to the invoice example', () => {
    expect(zReportExample82.creditSales).toEqual({ count: 1, amount: 125000 });
    expect(invoicePostedExample.totals.gross).toBe(125000);
    expect(invoicePostedExample.customer.customerId).toBe(customerChangedExample.customerId);
  });
});

describe('other examples', () => {
  it('are valid', () => {
    expect(validateEventData('CustomerChanged', customerChangedExample)).toEqual([]);
    expect(validateEventData('ArticleChanged', articleChangedExample)).toEqual([]);
    expect(validateEventData('InvoicePosted', invoicePostedExample)).toEqual([]);
    expect(validateEventData('PowerOfficeCustomerChanged', powerOfficeCustomerChangedExample)).toEqual([]);
  });

  it('have invoice totals equal to the sum of their lines', () => {
    const lines = invoicePostedExample.lines;
    expect(invoicePostedExample.totals).toEqual({
      net: sum(lines.map((l) => l.netAmount)),
      vat: sum(lines.map((l) => l.vatAmount)),
      gross: sum(lines.map((l) => l.grossAmount)),
    });
  });

  it('are frozen, so one test cannot spoil another', () => {
    expect(() => {
      (zReportExample82.sales[0] as { grossAmount: number }).grossAmount = 1;
    }).toThrow(TypeError);
    expect(() => {
      (customerChangedExample.address as { city: string }).city = 'Bergen';
    }).toThrow(TypeError);
    expect(zReportExample82.sales[0].grossAmount).toBe(950000);
  });
});
