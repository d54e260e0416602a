import type { AccountMapping } from '@lib/tenancy';

/** The mapped sales account an article's product posts to, and the mapping key it came from. */
export interface SalesAccountChoice {
  /** Where in the mapping, e.g. `sales.31` or `salesByArticleGroup.g-12.31` (for messages). */
  key: string;
  account: number;
}

/**
 * The sales account for an article: the article group's own split for the VAT code when the
 * mapping has one (`salesByArticleGroup`), else the shop's account for the VAT code (`sales`).
 * Null when neither maps the code: the accountant must add `sales.<vatCode>`.
 */
export function salesAccountFor(
  mapping: AccountMapping,
  vatCode: string,
  articleGroupId?: string,
): SalesAccountChoice | null {
  const byGroup = articleGroupId === undefined ? undefined : mapping.salesByArticleGroup?.[articleGroupId]?.[vatCode];
  if (byGroup) return { key: `salesByArticleGroup.${articleGroupId}.${vatCode}`, account: byGroup.account };
  const shopWide = mapping.sales?.[vatCode];
  if (shopWide) return { key: `sales.${vatCode}`, account: shopWide.account };
  return null;
}

/** The PowerOffice product group code an article group is mapped to, if any (`productGroups`). */
export function productGroupCodeFor(mapping: AccountMapping, articleGroupId?: string): string | null {
  if (articleGroupId === undefined) return null;
  const code = mapping.productGroups?.[articleGroupId];
  return typeof code === 'string' && code.trim() !== '' ? code.trim() : null;
}
