import { AccountMapping, NS4102_PRESET } from '@lib/tenancy';
import { productGroupCodeFor, SalesAccountChoice, salesAccountFor } from './account-choice';

const mapping: AccountMapping = {
  ...NS4102_PRESET,
  salesByArticleGroup: { 'g-12': { '31': { account: 3031 } }, 'g-empty': {} },
  productGroups: { 'g-12': 'DRIKKE', 'g-blank': '  ' },
};

describe('salesAccountFor: the sales account a product gets, by VAT code and article group', () => {
  it.each<[string, string | undefined, SalesAccountChoice | null, string]>([
    ['31', undefined, { key: 'sales.31', account: 3030 }, 'no group: the shop-wide account of the code'],
    ['3', undefined, { key: 'sales.3', account: 3000 }, '25 %'],
    ['31', 'g-12', { key: 'salesByArticleGroup.g-12.31', account: 3031 }, "the group's own split wins"],
    ['3', 'g-12', { key: 'sales.3', account: 3000 }, 'the group splits another code: falls back to sales'],
    ['31', 'g-empty', { key: 'sales.31', account: 3030 }, 'a group with no splits falls back'],
    ['31', 'g-unknown', { key: 'sales.31', account: 3030 }, 'an unmapped group falls back'],
    ['33', 'g-12', { key: 'sales.33', account: 3050 }, '12 %'],
    ['52', undefined, null, 'a code nobody mapped: null (MAPPING_MISSING sales.52)'],
    ['52', 'g-12', null, 'not mapped for the group either'],
  ])('VAT %s, group %s → %j (%s)', (vatCode, group, expected) => {
    expect(salesAccountFor(mapping, vatCode, group)).toEqual(expected);
  });

  it('reads a mapping without the optional sections', () => {
    expect(salesAccountFor({ payments: {}, sales: {} }, '3', 'g-12')).toBeNull();
  });
});

describe('productGroupCodeFor: the PowerOffice product group of an article group', () => {
  it.each<[string | undefined, string | null]>([
    ['g-12', 'DRIKKE'],
    ['g-unknown', null],
    [undefined, null],
    ['g-blank', null],
  ])('article group %s → %s', (group, expected) => {
    expect(productGroupCodeFor(mapping, group)).toBe(expected);
  });
});
