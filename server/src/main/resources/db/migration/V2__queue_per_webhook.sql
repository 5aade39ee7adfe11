-- Secondary indexes of payload are keyed by webhook_id, which is unique across accounts, and not
-- by account_id first: on tables without statistics yet (a new installation's first minutes),
-- PostgreSQL took any smaller index led by account_id for lookups by primary key, and read every
-- row of the account each time. The primary keys keep account_id first.

-- The claim takes each webhook's oldest due payloads from its own slice of this index, instead of
-- scanning the oldest due payloads of all webhooks (docs/proposals/0002-lease-at-publish.md).
CREATE INDEX payload_queue ON payload (webhook_id, due_at)
  WHERE state IN ('pending', 'in_flight');
-- Replaced by payload_queue: one index less to write on every publish, claim and record.
DROP INDEX payload_due;

DROP INDEX payload_by_webhook;
CREATE INDEX payload_by_webhook ON payload (webhook_id, state);
-- A publish finds a webhook's subscribers in a cache now; by (account_id, event) the planner
-- also took this index for lookups by primary key, reading every webhook of the account each time.
DROP INDEX webhook_by_event;
