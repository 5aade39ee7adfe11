-- The claim takes each webhook's oldest due payloads from its own slice of this index, instead of
-- scanning the oldest due payloads of all webhooks (docs/proposals/0002-lease-at-publish.md).
CREATE INDEX payload_queue ON payload (account_id, webhook_id, due_at)
  WHERE state IN ('pending', 'in_flight');
-- Replaced by payload_queue: one index less to write on every publish, claim and record.
DROP INDEX payload_due;
-- A publish finds a webhook's subscribers in a cache now; by (account_id, event) the planner
-- also took this index for lookups by primary key on a table without statistics yet, reading
-- every webhook of the account each time.
DROP INDEX webhook_by_event;
