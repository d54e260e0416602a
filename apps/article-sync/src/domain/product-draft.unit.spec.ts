import { ArticleChanged, articleChangedExample } from '@lib/contracts';
import { contentHash, draftProduct, ProductDraft, ProductTerms, productFields } from './product-draft';

const terms: ProductTerms = { vatRate: 0.15, salesAccountId: 103030, productGroupCode: 'DRIKKE' };
const article = (changes: Partial<ArticleChanged> = {}): ArticleChanged => ({ ...articleChangedExample, ...changes });

describe('draftProduct: an article as the PowerOffice product it should be', () => {
  it('maps the fixture latte: code, texts, type, unit, net price, account, group', () => {
    expect(draftProduct(article(), terms)).toEqual({
      code: '2001',
      name: 'Kaffe latte',
      description: 'Take-away, 0,4 l',
      productType: 'Product',
      unitOfMeasureCode: 'EA',
      unitPrice: 5130,
      standardSalesAccountId: 103030,
      productGroupCode: 'DRIKKE',
      isArchived: false,
    });
  });

  it.each<[Partial<ArticleChanged>, Partial<ProductDraft>, string]>([
    [{ active: false }, { isArchived: true }, 'an inactive article is archived'],
    [{ type: 'Service' }, { productType: 'Service' }, 'services stay services'],
    [{ description: undefined }, { description: null }, 'no description'],
    [{ description: '   ' }, { description: null }, 'a blank description is none'],
    [{ unit: undefined }, { unitOfMeasureCode: null }, 'no unit'],
    [{ unitPriceInclVat: -300 }, { unitPrice: -261 }, 'negative price (pant): -260.87 → -261'],
  ])('%j → %j (%s)', (changes, expected) => {
    expect(draftProduct(article(changes), terms)).toMatchObject(expected);
  });

  it('takes the VAT rate it is given (0 % keeps the price)', () => {
    expect(draftProduct(article(), { ...terms, vatRate: 0 }).unitPrice).toBe(5900);
  });
});

describe('contentHash: equal for an equal product, different for any change', () => {
  const base = draftProduct(article(), terms);

  it('ignores what does not reach PowerOffice (version, changedAt, article id, group name)', () => {
    const other = draftProduct(
      article({
        version: 99,
        changedAt: '2027-01-01T00:00:00Z',
        articleId: 'other',
        articleGroup: { id: 'g-12', name: 'x' },
      }),
      terms,
    );
    expect(contentHash(other)).toBe(contentHash(base));
  });

  it('does not depend on the order the draft was built in', () => {
    const reordered = Object.fromEntries(Object.entries(base).reverse()) as typeof base;
    expect(contentHash(reordered)).toBe(contentHash(base));
  });

  it.each([
    ['name', article({ name: 'Kaffe latte stor' }), terms],
    ['price', article({ unitPriceInclVat: 6000 }), terms],
    ['active', article({ active: false }), terms],
    ['unit', article({ unit: 'LTR' }), terms],
    ['description', article({ description: undefined }), terms],
    ['article number', article({ articleNumber: '2001-B' }), terms],
    ['VAT rate', article(), { ...terms, vatRate: 0.25 }],
    ['sales account (mapping changed)', article(), { ...terms, salesAccountId: 103000 }],
    ['product group', article(), { ...terms, productGroupCode: null }],
  ])('changes with the %s', (_what, changed, changedTerms) => {
    expect(contentHash(draftProduct(changed, changedTerms))).not.toBe(contentHash(base));
  });
});

describe('productFields', () => {
  it('swaps the group code for the resolved id and keeps the rest', () => {
    const draft = draftProduct(article(), terms);
    const { productGroupCode: _code, ...rest } = draft;
    expect(productFields(draft, 42)).toEqual({ ...rest, productGroupId: 42 });
    expect(productFields(draft, null).productGroupId).toBeNull();
  });
});
