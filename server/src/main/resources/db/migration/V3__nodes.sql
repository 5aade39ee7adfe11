-- Nodes that deliver, each with a heartbeat. When a node's heartbeat stops (kill -9, a lost
-- machine), another node releases its leases at once instead of when each runs out
-- (docs/operations.md, Recovery).
CREATE TABLE node (
  id           BIGINT NOT NULL PRIMARY KEY,
  host         TEXT NOT NULL,
  started      BIGINT NOT NULL,
  heartbeat_at BIGINT NOT NULL
);

-- The node a payload in_flight is leased to. NULL for payloads in other states, and for leases
-- taken before this column: those come back when their lease runs out, as before.
ALTER TABLE payload ADD COLUMN leased_by BIGINT;
