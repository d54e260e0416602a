import type { ProcessingMode } from '@lib/pipeline';
import type { SyncAction } from '@lib/contracts';
import type { ProductFields } from './product-draft';

export type ArticleState = 'synced' | 'failed' | 'archived';

/** What this flow remembers of an article (a row of article_sync.articles). */
export interface ArticleRecord {
  tenantId: string;
  articleId: string;
  articleNumber: string;
  poProductId: number | null;
  /** The product's Code as last synced. */
  code: string | null;
  lastVersion: number;
  contentHash: string | null;
  syncedProduct: ProductFields | null;
  state: ArticleState;
  errorCode: string | null;
  errorMessage: string | null;
}

/**
 * What to do with a version of an article, given what was recorded before:
 *  - `stale`: an older version than one already processed (a replay, a redrive of an old dead
 *    letter): it changes nothing;
 *  - `unchanged`: PowerOffice already has this product exactly as it would be written: no call;
 *  - `create`: no product yet;
 *  - `update`: the product exists and differs.
 */
export type SyncDecision =
  | { kind: 'stale'; lastVersion: number }
  | { kind: 'unchanged'; productId: number }
  | { kind: 'create' }
  | { kind: 'update'; productId: number };

/** Checked first, before the mapping is even read: a stale version must not fail on today's mapping. */
export function isStale(record: ArticleRecord | null, version: number): boolean {
  return record !== null && version < record.lastVersion;
}

export function decideSync(record: ArticleRecord | null, version: number, hash: string): SyncDecision {
  if (record && isStale(record, version)) return { kind: 'stale', lastVersion: record.lastVersion };
  if (!record || record.poProductId === null) return { kind: 'create' };
  if (record.contentHash === hash) return { kind: 'unchanged', productId: record.poProductId };
  return { kind: 'update', productId: record.poProductId };
}

/** The outcome's action for a write: an inactive article's product is `archived`, whatever it took. */
export function actionOf(kind: 'create' | 'update', archived: boolean): SyncAction {
  if (archived) return 'archived';
  return kind === 'create' ? 'created' : 'updated';
}

/**
 * Whether to look the product up by code before creating it.
 *
 * Products have no ExternalImportReference in PowerOffice, so the code is the only way to find a
 * product an earlier attempt created. Looking up every time would double the cost of the initial
 * load (the API budget is the scarce resource: 1 call per new article is the floor), so it is done
 * only when an earlier attempt may have created the product without recording it: a creation
 * marker exists (written right before every POST, removed when the product is recorded), or this
 * is a retry or a redrive (belt and braces: the marker is the precise signal). Replays and dry runs
 * compare with PowerOffice anyway.
 */
export function mustLookUpBeforeCreate(p: {
  markerExists: boolean;
  attempt: number;
  redrive: number;
  mode: ProcessingMode;
}): boolean {
  return p.markerExists || p.attempt > 1 || p.redrive > 0 || p.mode !== 'live';
}
