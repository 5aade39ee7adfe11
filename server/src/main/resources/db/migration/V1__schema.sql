-- Times are epoch milliseconds (UTC) in both stores, so the SQL reads the same on each.
-- Every table's key starts with account_id: the schema can be distributed by account.

CREATE TABLE account (
  id           TEXT PRIMARY KEY,
  name         TEXT NOT NULL,
  api_key_hash TEXT NOT NULL,  -- SHA-256 of the API key; the key itself is never stored
  created      BIGINT NOT NULL
);

CREATE TABLE webhook (
  account_id            TEXT NOT NULL REFERENCES account (id),
  id                    TEXT NOT NULL,
  name                  TEXT NOT NULL,
  description           TEXT NOT NULL,
  event                 TEXT NOT NULL,
  url                   TEXT NOT NULL,
  is_enabled            SMALLINT NOT NULL,
  secret_sealed         TEXT NOT NULL,  -- AES-GCM under the master key
  previous_secret_sealed TEXT,          -- the secret before the last rotation ...
  previous_secret_until BIGINT,         -- ... still signing until this time
  retry_schedule        TEXT,           -- NULL: the server-wide schedule
  batch_size            INTEGER NOT NULL,
  last_execution        BIGINT,
  created               BIGINT NOT NULL,
  modified              BIGINT NOT NULL,
  PRIMARY KEY (account_id, id)
);
CREATE INDEX webhook_by_event ON webhook (account_id, event);

CREATE TABLE event (
  account_id      TEXT NOT NULL,
  id              TEXT NOT NULL,
  event           TEXT NOT NULL,
  data            TEXT NOT NULL,  -- canonical JSON (see CanonicalJson)
  idempotency_key TEXT,
  created         BIGINT NOT NULL,
  PRIMARY KEY (account_id, id)
);
CREATE UNIQUE INDEX event_idempotency ON event (account_id, idempotency_key)
  WHERE idempotency_key IS NOT NULL;

CREATE TABLE payload (
  account_id TEXT NOT NULL,
  id         TEXT NOT NULL,
  webhook_id TEXT NOT NULL,
  event_id   TEXT NOT NULL,
  state      TEXT NOT NULL,     -- pending | in_flight | held | delivered | failed
  attempts   INTEGER NOT NULL,  -- attempts started so far
  -- pending: when the next attempt is due; in_flight: when the lease ends and the payload is due
  -- again (its node died); otherwise: when it reached its state.
  due_at     BIGINT NOT NULL,
  created    BIGINT NOT NULL,
  PRIMARY KEY (account_id, id)
);
-- The dispatcher's queue: only payloads that can become due are in it.
CREATE INDEX payload_due ON payload (due_at) WHERE state IN ('pending', 'in_flight');
CREATE INDEX payload_by_webhook ON payload (account_id, webhook_id, state);

CREATE TABLE delivery_log (
  account_id       TEXT NOT NULL,
  id               TEXT NOT NULL,
  webhook_id       TEXT NOT NULL,
  payload_id       TEXT NOT NULL,
  attempt          INTEGER NOT NULL,
  created          BIGINT NOT NULL,
  response_code    INTEGER NOT NULL,  -- 0 when no response came (see error)
  execution_micros BIGINT NOT NULL,
  error            TEXT,
  response_body    TEXT,              -- the first few KB of the response
  PRIMARY KEY (account_id, id)
);
CREATE INDEX delivery_log_by_webhook ON delivery_log (account_id, webhook_id, created);
