import { Injectable } from '@nestjs/common';
import type { ProductFields } from './domain/product-draft';
import type { ArticleRecord, ArticleState } from './domain/sync-decision';

/** A DataSource (reads, markers) or the event's transaction EntityManager (what `persist` records). */
export interface Queryable {
  query(sql: string, parameters?: unknown[]): Promise<unknown>;
}

/** A product written to PowerOffice, as recorded in the event's transaction. */
export interface SyncedArticle {
  tenantId: string;
  articleId: string;
  articleNumber: string;
  version: number;
  poProductId: number;
  code: string;
  contentHash: string;
  syncedProduct: ProductFields;
  state: Exclude<ArticleState, 'failed'>;
}

export interface FailedArticle {
  tenantId: string;
  articleId: string;
  articleNumber: string;
  version: number;
  errorCode: string;
  errorMessage: string;
}

interface ArticleRow {
  tenant_id: string;
  article_id: string;
  article_number: string;
  po_product_id: string | null;
  code: string | null;
  last_version: number;
  content_hash: string | null;
  synced_product: ProductFields | null;
  state: ArticleState;
  error_code: string | null;
  error_message: string | null;
}

const MAX_ERROR_MESSAGE = 2000;

/** article_sync.articles, product_creations and product_groups. */
@Injectable()
export class ArticlesRepository {
  async find(db: Queryable, tenantId: string, articleId: string): Promise<ArticleRecord | null> {
    const rows = (await db.query(
      `SELECT tenant_id, article_id, article_number, po_product_id, code, last_version, content_hash, synced_product,
              state, error_code, error_message
         FROM article_sync.articles WHERE tenant_id = $1 AND article_id = $2`,
      [tenantId, articleId],
    )) as ArticleRow[];
    const r = rows[0];
    if (!r) return null;
    return {
      tenantId: r.tenant_id,
      articleId: r.article_id,
      articleNumber: r.article_number,
      poProductId: r.po_product_id === null ? null : Number(r.po_product_id),
      code: r.code,
      lastVersion: r.last_version,
      contentHash: r.content_hash,
      syncedProduct: r.synced_product,
      state: r.state,
      errorCode: r.error_code,
      errorMessage: r.error_message,
    };
  }

  /**
   * Records the product in the event's transaction, and removes the creation marker with it. Never
   * moves an article back to an older version (a replay racing the live flow).
   */
  async recordSynced(tx: Queryable, a: SyncedArticle): Promise<void> {
    await tx.query(
      `INSERT INTO article_sync.articles AS t
              (tenant_id, article_id, article_number, po_product_id, code, last_version, content_hash, synced_product,
               state, error_code, error_message, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, NULL, NULL, now())
       ON CONFLICT (tenant_id, article_id) DO UPDATE SET
              article_number = EXCLUDED.article_number, po_product_id = EXCLUDED.po_product_id, code = EXCLUDED.code,
              last_version = EXCLUDED.last_version, content_hash = EXCLUDED.content_hash,
              synced_product = EXCLUDED.synced_product, state = EXCLUDED.state,
              error_code = NULL, error_message = NULL, updated_at = now()
        WHERE t.last_version <= EXCLUDED.last_version`,
      [
        a.tenantId,
        a.articleId,
        a.articleNumber,
        a.poProductId,
        a.code,
        a.version,
        a.contentHash,
        JSON.stringify(a.syncedProduct),
        a.state,
      ],
    );
    await tx.query(`DELETE FROM article_sync.product_creations WHERE tenant_id = $1 AND article_id = $2`, [
      a.tenantId,
      a.articleId,
    ]);
  }

  /**
   * Records that a version failed, for the status view. Written outside the event's transaction
   * (the pipeline runs `persist` only on success); keeps the product and hash of the last success,
   * so the next version still knows the product, and never overwrites a newer version's state.
   */
  async recordFailure(db: Queryable, f: FailedArticle): Promise<void> {
    await db.query(
      `INSERT INTO article_sync.articles AS t
              (tenant_id, article_id, article_number, last_version, state, error_code, error_message, updated_at)
       VALUES ($1, $2, $3, $4, 'failed', $5, $6, now())
       ON CONFLICT (tenant_id, article_id) DO UPDATE SET
              article_number = EXCLUDED.article_number, last_version = EXCLUDED.last_version, state = 'failed',
              error_code = EXCLUDED.error_code, error_message = EXCLUDED.error_message, updated_at = now()
        WHERE t.last_version <= EXCLUDED.last_version`,
      [f.tenantId, f.articleId, f.articleNumber, f.version, f.errorCode, f.errorMessage.slice(0, MAX_ERROR_MESSAGE)],
    );
  }

  /** The code an earlier attempt was about to create, when it got as far as the POST. */
  async creationMarker(db: Queryable, tenantId: string, articleId: string): Promise<string | null> {
    const rows = (await db.query(
      `SELECT code FROM article_sync.product_creations WHERE tenant_id = $1 AND article_id = $2`,
      [tenantId, articleId],
    )) as { code: string }[];
    return rows[0]?.code ?? null;
  }

  /** Written, and committed on its own, right before POST /Products (see mustLookUpBeforeCreate). */
  async markCreation(db: Queryable, tenantId: string, articleId: string, code: string): Promise<void> {
    await db.query(
      `INSERT INTO article_sync.product_creations (tenant_id, article_id, code) VALUES ($1, $2, $3)
       ON CONFLICT (tenant_id, article_id) DO UPDATE SET code = EXCLUDED.code, started_at = now()`,
      [tenantId, articleId, code],
    );
  }

  async productGroupId(db: Queryable, tenantId: string, code: string): Promise<number | null> {
    const rows = (await db.query(
      `SELECT po_product_group_id FROM article_sync.product_groups WHERE tenant_id = $1 AND code = $2`,
      [tenantId, code],
    )) as { po_product_group_id: string }[];
    return rows[0] ? Number(rows[0].po_product_group_id) : null;
  }

  async saveProductGroup(db: Queryable, tenantId: string, code: string, productGroupId: number): Promise<void> {
    await db.query(
      `INSERT INTO article_sync.product_groups (tenant_id, code, po_product_group_id) VALUES ($1, $2, $3)
       ON CONFLICT (tenant_id, code) DO UPDATE SET po_product_group_id = EXCLUDED.po_product_group_id, resolved_at = now()`,
      [tenantId, code, productGroupId],
    );
  }
}
