-- Signed-in browsers of the admin pages, kept here so that every node knows them
-- (docs/admin-ui.md). The cookie holds a random token; only its SHA-256 is kept, so the database
-- holds no usable session id. Keyed by that alone, not by account first as the other tables are:
-- the cookie names no account.
CREATE TABLE admin_session (
  id_hash           TEXT NOT NULL PRIMARY KEY,  -- SHA-256 (hex) of the cookie's token
  account_id        TEXT NOT NULL REFERENCES account (id),
  api_key_hash      TEXT NOT NULL,    -- the account's at sign-in: the session ends when it changes
  csrf_token        TEXT NOT NULL,    -- carried by every form of the session
  started           BIGINT NOT NULL,
  last_seen         BIGINT NOT NULL,  -- written at most once a minute
  notice_error      SMALLINT,         -- the message for the next page: 1 an error, 0 not ...
  notice_text       TEXT,             -- ... and its text; both NULL when there is none
  secret_webhook_id TEXT,             -- a Secret to show once, on this webhook's Secret page ...
  secret_sealed     TEXT,             -- ... AES-GCM under the master key, bound to the session ...
  secret_rotated    SMALLINT          -- ... 1 after a rotation, 0 after a creation; NULL when none
);
-- A sign-in keeps the account's sessions to a bound, the least recently seen going first.
CREATE INDEX admin_session_by_account ON admin_session (account_id, last_seen);
