import { CUSTOMER_REFERENCE_PREFIX, customerImportReference, isOurReference } from './customer-reference';

describe('customerImportReference', () => {
  it('is deterministic, prefixed and within PowerOffice 50 characters', () => {
    const ref = customerImportReference('shop-1', 'c-1001');
    expect(ref).toBe(customerImportReference('shop-1', 'c-1001'));
    expect(ref.startsWith(CUSTOMER_REFERENCE_PREFIX)).toBe(true);
    expect(ref.length).toBeLessThanOrEqual(50);
    expect(isOurReference(ref)).toBe(true);
  });

  it.each([
    [
      ['shop-1', 'c-1'],
      ['shop-2', 'c-1'],
    ],
    [
      ['shop-1', 'c-1'],
      ['shop-1', 'c-2'],
    ],
    // No separator ambiguity: the parts are not simply joined.
    [
      ['a|b', 'c'],
      ['a', 'b|c'],
    ],
  ])('differs between %j and %j', (a, b) => {
    expect(customerImportReference(a[0], a[1])).not.toBe(customerImportReference(b[0], b[1]));
  });

  it.each([[null], [undefined], [''], ['ERP-4711'], ['OOP-C-abc']])('%j is not ours', (ref) => {
    expect(isOurReference(ref)).toBe(false);
  });
});
