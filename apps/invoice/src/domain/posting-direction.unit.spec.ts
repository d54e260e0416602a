import { InvoicePosted, invoicePostedExample } from '@lib/contracts';
import { postingDirection } from './posting-direction';

const withTotal = (kind: InvoicePosted['kind'], gross: number): InvoicePosted => ({
  ...invoicePostedExample,
  kind,
  totals: { net: gross, vat: 0, gross },
});

describe('postingDirection', () => {
  it.each<[string, InvoicePosted, number]>([
    ['an invoice posts as it is', withTotal('invoice', 125000), 1],
    ['a credit note sent as magnitudes is turned negative', withTotal('creditNote', 125000), -1],
    ['a credit note sent signed stays negative', withTotal('creditNote', -125000), 1],
  ])('%s', (_, invoice, factor) => {
    expect(postingDirection(invoice)).toEqual({ factor });
  });

  it.each<[string, InvoicePosted, RegExp]>([
    ['an invoice with a negative total', withTotal('invoice', -100), /negative total.*"creditNote"/],
    ['an invoice of 0.00', withTotal('invoice', 0), /invoice 5001 has a total of 0\.00/],
    ['a credit note of 0.00', withTotal('creditNote', 0), /credit note 5001 has a total of 0\.00/],
  ])('refuses %s', (_, invoice, problem) => {
    const direction = postingDirection(invoice);
    expect('problem' in direction && direction.problem).toMatch(problem);
  });
});
