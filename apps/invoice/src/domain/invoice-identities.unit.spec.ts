import { InvoicePosted, invoicePostedExample } from '@lib/contracts';
import { identityProblems } from './invoice-identities';

const line = invoicePostedExample.lines[0];
const twoLines = (over: Partial<InvoicePosted> = {}): InvoicePosted => ({
  ...invoicePostedExample,
  lines: [
    { ...line, description: 'Catering', netAmount: 100000, vatAmount: 25000, grossAmount: 125000 },
    { ...line, description: 'Kaffe', vatCode: '31', netAmount: 8938, vatAmount: 1341, grossAmount: 10279 },
  ],
  totals: { net: 108938, vat: 26341, gross: 135279 },
  ...over,
});

describe('identityProblems', () => {
  it.each<[string, InvoicePosted]>([
    ['the §8.2 credit sale', invoicePostedExample],
    ['two lines at two VAT rates', twoLines()],
    [
      'a credit note given as negative amounts',
      {
        ...invoicePostedExample,
        kind: 'creditNote',
        lines: [{ ...line, netAmount: -100000, vatAmount: -25000, grossAmount: -125000 }],
        totals: { net: -100000, vat: -25000, gross: -125000 },
      },
    ],
  ])('accepts %s', (_, invoice) => {
    expect(identityProblems(invoice)).toEqual([]);
  });

  it.each<[string, InvoicePosted, { where: string; message: string }[]]>([
    [
      'a line whose net + VAT is not its gross',
      twoLines({
        lines: [twoLines().lines[0], { ...twoLines().lines[1], grossAmount: 10280 }],
        totals: { net: 108938, vat: 26341, gross: 135280 },
      }),
      [
        { where: 'lines[1]', message: 'line 2 ("Kaffe"): net 89.38 + VAT 13.41 = 102.79, but its gross is 102.80' },
        { where: 'totals', message: 'total net 1089.38 + VAT 263.41 = 1352.79, but the total gross is 1352.80' },
      ],
    ],
    [
      'lines that do not add up to the totals',
      twoLines({ totals: { net: 108938, vat: 26342, gross: 135280 } }),
      [
        { where: 'totals.vat', message: "the lines' VAT adds up to 263.41, but the invoice total says 263.42" },
        { where: 'totals.gross', message: "the lines' gross adds up to 1352.79, but the invoice total says 1352.80" },
      ],
    ],
    [
      'a one-øre difference in the total net',
      twoLines({ totals: { net: 108937, vat: 26341, gross: 135279 } }),
      [
        { where: 'totals.net', message: "the lines' net adds up to 1089.38, but the invoice total says 1089.37" },
        { where: 'totals', message: 'total net 1089.37 + VAT 263.41 = 1352.78, but the total gross is 1352.79' },
      ],
    ],
  ])('names the line and the numbers for %s', (_, invoice, expected) => {
    expect(identityProblems(invoice)).toEqual(expected);
  });

  it('shortens a long line description in the message', () => {
    const long = 'x'.repeat(100);
    const invoice = { ...invoicePostedExample, lines: [{ ...line, description: long, grossAmount: 1 }] };
    const [first] = identityProblems(invoice);
    expect(first.message).toContain(`"${'x'.repeat(39)}…"`);
  });
});
