import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * apps/article-sync: which PowerOffice product each POS article became, what was last sent (so an
 * unchanged article costs no call), the markers that tell a retry to look up before it creates,
 * the product groups already resolved, and the view the console reads.
 */
export class CreateArticleSyncSchema1795829925325 implements MigrationInterface {
  name = 'CreateArticleSyncSchema1795829925325';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE SCHEMA IF NOT EXISTS article_sync`);

    await q.query(`
      CREATE TABLE article_sync.articles (
        tenant_id       text NOT NULL,
        article_id      text NOT NULL,
        article_number  text NOT NULL,
        po_product_id   bigint,
        code            text,
        last_version    integer NOT NULL CHECK (last_version > 0),
        content_hash    text,
        synced_product  jsonb,
        state           text NOT NULL CHECK (state IN ('synced', 'failed', 'archived')),
        error_code      text,
        error_message   text,
        updated_at      timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, article_id),
        CHECK ((state = 'failed') = (error_code IS NOT NULL)),
        CHECK (state = 'failed' OR po_product_id IS NOT NULL)
      )`);
    await q.query(
      `COMMENT ON COLUMN article_sync.articles.article_number IS 'the article number as last seen from the POS (also when that version failed)'`,
    );
    await q.query(
      `COMMENT ON COLUMN article_sync.articles.code IS 'the PowerOffice product Code as last synced; null until a product exists'`,
    );
    await q.query(
      `COMMENT ON COLUMN article_sync.articles.last_version IS 'highest article version processed (synced or failed); older versions change nothing'`,
    );
    await q.query(
      `COMMENT ON COLUMN article_sync.articles.content_hash IS 'hash of the product as last written to PowerOffice; an event with the same hash costs no call'`,
    );
    await q.query(
      `COMMENT ON COLUMN article_sync.articles.synced_product IS 'the product fields as last written (camelCase, øre): live updates send only what differs from it'`,
    );
    await q.query(`CREATE INDEX articles_failed_idx ON article_sync.articles (tenant_id) WHERE state = 'failed'`);

    // Written (outside the event's transaction) right before POST /Products and removed in the
    // transaction that records the product: a row here means an earlier attempt may have created
    // the product without recording it, so the next attempt looks it up by code first.
    await q.query(`
      CREATE TABLE article_sync.product_creations (
        tenant_id   text NOT NULL,
        article_id  text NOT NULL,
        code        text NOT NULL,
        started_at  timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, article_id)
      )`);

    await q.query(`
      CREATE TABLE article_sync.product_groups (
        tenant_id              text NOT NULL,
        code                   text NOT NULL,
        po_product_group_id    bigint NOT NULL,
        resolved_at            timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, code)
      )`);

    // The console's window on this flow: no internals (hashes, sent fields, markers).
    await q.query(`
      CREATE VIEW article_sync.status_view AS
        SELECT tenant_id, article_id, article_number, state, po_product_id, error_code, error_message, updated_at
          FROM article_sync.articles`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP VIEW IF EXISTS article_sync.status_view`);
    await q.query(`DROP TABLE IF EXISTS article_sync.product_groups`);
    await q.query(`DROP TABLE IF EXISTS article_sync.product_creations`);
    await q.query(`DROP TABLE IF EXISTS article_sync.articles`);
  }
}
