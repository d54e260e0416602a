import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * libs/pipeline: the inbox (which events a consumer group has already turned into an outcome) and
 * the transactional outbox (outcome and dead-letter records waiting for the relay to publish them).
 */
export class CreatePipelineSchema1795829231456 implements MigrationInterface {
  name = 'CreatePipelineSchema1795829231456';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE SCHEMA IF NOT EXISTS pipeline`);

    // One row per (consumer group, event). Written in the transaction that records the event's
    // effects and outcome rows, so "processed" and "outcome queued" can never disagree.
    await q.query(`
      CREATE TABLE pipeline.inbox (
        consumer_group  text NOT NULL,
        event_id        text NOT NULL,
        status          text NOT NULL CHECK (status IN ('succeeded', 'failed')),
        runs            integer NOT NULL DEFAULT 1 CHECK (runs > 0),
        event_type      text,
        tenant_id       text,
        topic           text NOT NULL,
        partition       integer NOT NULL,
        "offset"        bigint NOT NULL,
        attempts        integer NOT NULL CHECK (attempts >= 0),
        outcome_ids     text[] NOT NULL DEFAULT '{}',
        outcome_types   text[] NOT NULL DEFAULT '{}',
        error_code      text,
        error_message   text,
        processed_at    timestamptz NOT NULL DEFAULT now(),
        redriven_at     timestamptz,
        PRIMARY KEY (consumer_group, event_id)
      )`);
    await q.query(
      `CREATE INDEX inbox_failed_idx ON pipeline.inbox (consumer_group, tenant_id) WHERE status = 'failed'`,
    );
    await q.query(
      `COMMENT ON COLUMN pipeline.inbox.runs IS 'times the event was processed to an outcome: 1, plus one per redrive after a failure'`,
    );
    await q.query(
      `COMMENT ON COLUMN pipeline.inbox."offset" IS 'position of the record that produced the current status; a redelivery of that same record is a duplicate'`,
    );

    // Key and value are bytes: dead letters keep the original record exactly, even when it is not
    // valid UTF-8 or JSON.
    await q.query(`
      CREATE TABLE pipeline.outbox (
        id            bigserial PRIMARY KEY,
        topic         text NOT NULL,
        key           bytea,
        value         bytea,
        headers       jsonb NOT NULL DEFAULT '{}'::jsonb,
        created_at      timestamptz NOT NULL DEFAULT now(),
        published_at    timestamptz,
        quarantined_at  timestamptz,
        publish_error   text
      )`);
    await q.query(
      `CREATE INDEX outbox_unpublished_idx ON pipeline.outbox (id) WHERE published_at IS NULL AND quarantined_at IS NULL`,
    );
    await q.query(
      `COMMENT ON COLUMN pipeline.outbox.quarantined_at IS 'the broker refused the record itself (e.g. too large); set aside so it cannot block the rows behind it'`,
    );
    await q.query(
      `CREATE INDEX outbox_published_at_idx ON pipeline.outbox (published_at) WHERE published_at IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS pipeline.outbox`);
    await q.query(`DROP TABLE IF EXISTS pipeline.inbox`);
  }
}
