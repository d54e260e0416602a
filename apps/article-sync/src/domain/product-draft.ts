import { createHash } from 'node:crypto';
import type { ArticleChanged, ArticleType } from '@lib/contracts';
import { netPriceFromGross } from './net-price';

/**
 * What an article should look like as a PowerOffice product, before the product group's code is
 * resolved to its id (that may cost calls, and is only worth doing when something changed).
 */
export interface ProductDraft {
  /** The POS article number. */
  code: string;
  name: string;
  description: string | null;
  productType: ArticleType;
  unitOfMeasureCode: string | null;
  /** Price excl. VAT, øre. */
  unitPrice: number;
  standardSalesAccountId: number;
  productGroupCode: string | null;
  /** Inactive in the POS = archived in PowerOffice (kept there for posted history). */
  isArchived: boolean;
}

/** What the draft depends on besides the article: the tenant's mapping and VAT data as of today. */
export interface ProductTerms {
  vatRate: number;
  salesAccountId: number;
  productGroupCode: string | null;
}

export function draftProduct(article: ArticleChanged, terms: ProductTerms): ProductDraft {
  return {
    code: article.articleNumber,
    name: article.name,
    description: emptyToNull(article.description),
    productType: article.type,
    unitOfMeasureCode: emptyToNull(article.unit),
    unitPrice: netPriceFromGross(article.unitPriceInclVat, terms.vatRate),
    standardSalesAccountId: terms.salesAccountId,
    productGroupCode: terms.productGroupCode,
    isArchived: !article.active,
  };
}

/**
 * A fingerprint of the draft: equal hashes mean PowerOffice already has this product as we would
 * write it, so the event costs no call. It covers the resolved terms too, so a new mapping or a VAT
 * rate change makes the next event of the article write again. Keys are hashed in a fixed order.
 */
export function contentHash(draft: ProductDraft): string {
  const canonical: (keyof ProductDraft)[] = [
    'code',
    'name',
    'description',
    'productType',
    'unitOfMeasureCode',
    'unitPrice',
    'standardSalesAccountId',
    'productGroupCode',
    'isArchived',
  ];
  const values = canonical.map((k) => [k, draft[k]]);
  return createHash('sha256').update(JSON.stringify(values)).digest('hex');
}

/** The PowerOffice product fields this integration owns (ProductChanges names; money in øre). */
export interface ProductFields {
  code: string;
  name: string;
  description: string | null;
  productType: ArticleType;
  unitOfMeasureCode: string | null;
  unitPrice: number;
  standardSalesAccountId: number;
  productGroupId: number | null;
  isArchived: boolean;
}

/** The draft as PowerOffice fields, with the product group's id (null: no group). */
export function productFields(draft: ProductDraft, productGroupId: number | null): ProductFields {
  return {
    code: draft.code,
    name: draft.name,
    description: draft.description,
    productType: draft.productType,
    unitOfMeasureCode: draft.unitOfMeasureCode,
    unitPrice: draft.unitPrice,
    standardSalesAccountId: draft.standardSalesAccountId,
    productGroupId,
    isArchived: draft.isArchived,
  };
}

function emptyToNull(value: string | undefined): string | null {
  return value === undefined || value.trim() === '' ? null : value;
}
