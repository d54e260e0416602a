import { InvoicePosted, invoicePostedExample } from '@lib/contracts';
import { AccountMapping, NS4102_PRESET } from '@lib/tenancy';
import {
  buildOutgoingInvoiceVoucher,
  invoiceSalesAccounts,
  invoiceText,
  PostingTarget,
  VoucherParts,
} from './outgoing-invoice-voucher';

const line = invoicePostedExample.lines[0];
const REFERENCE = '6f1d7c5e-0000-5000-8000-000000000001';
/** VAT code → PowerOffice ids as in the emulator's NS 4102 client (ids deliberately unlike the codes). */
const SALES = new Map<string, PostingTarget>([
  ['3', { accountId: 5003000, vatId: 1003 }],
  ['31', { accountId: 5003030, vatId: 1031 }],
]);
const parts = (over: Partial<VoucherParts> = {}): VoucherParts => ({
  factor: 1,
  customerAccountId: 90010001,
  departmentId: null,
  importReference: REFERENCE,
  sales: SALES,
  ...over,
});

const twoRates: InvoicePosted = {
  ...invoicePostedExample,
  lines: [
    { ...line },
    {
      ...line,
      description: 'Kaffe latte',
      vatCode: '31',
      quantity: 2,
      unitPriceExclVat: 5130,
      netAmount: 10260,
      vatAmount: 1539,
      grossAmount: 11799,
    },
    {
      ...line,
      description: 'Gratis vann',
      quantity: 1,
      unitPriceExclVat: 0,
      netAmount: 0,
      vatAmount: 0,
      grossAmount: 0,
    },
  ],
  totals: { net: 110260, vat: 26539, gross: 136799 },
};

describe('invoiceSalesAccounts', () => {
  it.each<[string, AccountMapping, { accounts: unknown[]; gaps: unknown[] }]>([
    [
      'sales accounts of the cash sales when invoices have none of their own',
      NS4102_PRESET,
      {
        accounts: [
          { vatCode: '3', accountNo: 3000, mappingKey: 'sales.3' },
          { vatCode: '31', accountNo: 3030, mappingKey: 'sales.31' },
        ],
        gaps: [],
      },
    ],
    [
      'the invoice revenue account first, per VAT code',
      { ...NS4102_PRESET, invoiceSales: { '3': { account: 3010 } } },
      {
        accounts: [
          { vatCode: '3', accountNo: 3010, mappingKey: 'invoiceSales.3' },
          { vatCode: '31', accountNo: 3030, mappingKey: 'sales.31' },
        ],
        gaps: [],
      },
    ],
    [
      'every VAT code without an account, naming where to map it',
      { ...NS4102_PRESET, sales: { '3': { account: 3000 } } },
      {
        accounts: [{ vatCode: '3', accountNo: 3000, mappingKey: 'sales.3' }],
        gaps: [
          {
            key: 'invoiceSales.31',
            problem: 'no sales account is mapped for VAT code 31 (neither invoiceSales nor sales)',
          },
        ],
      },
    ],
  ])('uses %s', (_, mapping, expected) => {
    expect(invoiceSalesAccounts(twoRates, mapping)).toEqual(expected);
  });

  it('needs no account for a VAT code that only appears on zero lines', () => {
    const invoice = {
      ...twoRates,
      lines: [line, { ...line, vatCode: '33', netAmount: 0, vatAmount: 0, grossAmount: 0 }],
    };
    expect(invoiceSalesAccounts(invoice, { ...NS4102_PRESET, sales: { '3': { account: 3000 } } }).gaps).toEqual([]);
  });
});

describe('buildOutgoingInvoiceVoucher', () => {
  it('posts the §8.2 credit sale: the total on the customer, the line gross on the sales account', () => {
    expect(buildOutgoingInvoiceVoucher(invoicePostedExample, parts())).toEqual({
      invoiceNo: '5001',
      customerAccountId: 90010001,
      voucherDate: '2026-03-14',
      dueDate: '2026-03-28',
      cid: '50013',
      currencyCode: 'NOK',
      currencyAmount: 125000,
      description: 'Faktura 5001',
      customerReference: 'Ola Nordmann',
      externalImportReference: REFERENCE,
      outgoingInvoiceLines: [
        {
          accountId: 5003000,
          vatId: 1003,
          currencyAmount: 125000,
          quantity: 1,
          description: 'Catering, lunsj for 10 personer',
        },
      ],
    });
  });

  it('keeps one line per invoice line (VAT per line as on the invoice), skipping zero lines, and the lines sum to the total', () => {
    const voucher = buildOutgoingInvoiceVoucher(twoRates, parts());
    expect(voucher.outgoingInvoiceLines.map((l) => [l.accountId, l.vatId, l.currencyAmount, l.description])).toEqual([
      [5003000, 1003, 125000, 'Catering, lunsj for 10 personer'],
      [5003030, 1031, 11799, 'Kaffe latte'],
    ]);
    expect(voucher.outgoingInvoiceLines.reduce((s, l) => s + l.currencyAmount, 0)).toBe(voucher.currencyAmount);
  });

  it.each<[string, InvoicePosted, VoucherParts['factor']]>([
    [
      'as magnitudes',
      { ...invoicePostedExample, invoiceNumber: '5002', kind: 'creditNote', creditedInvoiceNumber: '5001' },
      -1,
    ],
    [
      'signed',
      {
        ...invoicePostedExample,
        invoiceNumber: '5002',
        kind: 'creditNote',
        creditedInvoiceNumber: '5001',
        lines: [{ ...line, quantity: -1, netAmount: -100000, vatAmount: -25000, grossAmount: -125000 }],
        totals: { net: -100000, vat: -25000, gross: -125000 },
      },
      1,
    ],
  ])('posts a credit note given %s with opposite signs, naming the credited invoice', (_, creditNote, factor) => {
    const voucher = buildOutgoingInvoiceVoucher(creditNote, parts({ factor }));
    expect(voucher.currencyAmount).toBe(-125000);
    expect(voucher.outgoingInvoiceLines).toEqual([expect.objectContaining({ currencyAmount: -125000, quantity: -1 })]);
    expect(voucher.description).toBe('Kreditnota 5002 for faktura 5001');
    expect(voucher.invoiceNo).toBe('5002');
  });

  it('puts a mapped department on the header and on every line', () => {
    const voucher = buildOutgoingInvoiceVoucher(twoRates, parts({ departmentId: 77 }));
    expect(voucher.departmentId).toBe(77);
    expect(voucher.outgoingInvoiceLines.every((l) => l.departmentId === 77)).toBe(true);
  });

  it('leaves out KID and buyer reference when the POS has none', () => {
    const { kid: _k, reference: _r, ...bare } = invoicePostedExample;
    const voucher = buildOutgoingInvoiceVoucher(bare, parts());
    expect(voucher).not.toHaveProperty('cid');
    expect(voucher).not.toHaveProperty('customerReference');
  });
});

describe('invoiceText', () => {
  it.each<[Partial<InvoicePosted>, string]>([
    [{ kind: 'invoice' }, 'Faktura 5001'],
    [{ kind: 'creditNote', creditedInvoiceNumber: '4999' }, 'Kreditnota 5001 for faktura 4999'],
    [{ kind: 'creditNote' }, 'Kreditnota 5001'],
  ])('%j → %s', (over, text) => {
    expect(invoiceText({ ...invoicePostedExample, ...over })).toBe(text);
  });
});
