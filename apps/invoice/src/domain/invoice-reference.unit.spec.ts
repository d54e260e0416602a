import { invoicePostedExample } from '@lib/contracts';
import { canonicalJson, invoiceContentHash, invoiceImportReference } from './invoice-reference';

describe('invoiceImportReference', () => {
  it('is the same for every attempt of one invoice number, and a UUID that fits PowerOffice reference fields', () => {
    const a = invoiceImportReference('shop-1', '5001');
    expect(invoiceImportReference('shop-1', '5001')).toBe(a);
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(a.length).toBeLessThanOrEqual(50);
  });

  it.each([
    ['another invoice number', 'shop-1', '5002'],
    ['another tenant', 'shop-2', '5001'],
    ['a number that only differs by joining', 'shop-1:', '5001'.slice(1)],
  ])('differs for %s', (_, tenant, number) => {
    expect(invoiceImportReference(tenant, number)).not.toBe(invoiceImportReference('shop-1', '5001'));
  });
});

describe('invoiceContentHash', () => {
  it('does not depend on the order of keys', () => {
    const reversed = (v: unknown): unknown =>
      Array.isArray(v)
        ? v.map(reversed)
        : v !== null && typeof v === 'object'
          ? Object.fromEntries(
              Object.entries(v)
                .reverse()
                .map(([k, x]) => [k, reversed(x)]),
            )
          : v;
    const reordered = reversed(invoicePostedExample) as typeof invoicePostedExample;
    expect(Object.keys(reordered)[0]).toBe('totals');
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: 3 }] })).toBe('{"a":[{"c":3,"d":2}],"b":1}');
    expect(invoiceContentHash(reordered)).toBe(invoiceContentHash(invoicePostedExample));
  });

  it('changes when an amount changes by one øre', () => {
    const changed = { ...invoicePostedExample, totals: { ...invoicePostedExample.totals, gross: 125001 } };
    expect(invoiceContentHash(changed)).not.toBe(invoiceContentHash(invoicePostedExample));
  });
});
