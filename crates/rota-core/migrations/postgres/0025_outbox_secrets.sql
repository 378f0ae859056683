-- A message that carries a secret (a mailed link to set a password) holds it only until it
-- is sent or given up: then its bodies are replaced by a line saying so, so that the
-- outbox, kept as a record of what was sent, is no store of working links.
ALTER TABLE outbox ADD COLUMN holds_secret BIGINT NOT NULL DEFAULT 0;
