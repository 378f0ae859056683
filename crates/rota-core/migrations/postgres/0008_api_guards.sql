-- Guards on API calls that must hold across restarts and across several Rota processes:
-- nonces seen per client, rate-limit buckets, acting as another user, and the overlap
-- window of a rotated client secret.

-- A nonce is accepted once per client; it is remembered for twice the ±300 s timestamp
-- window, after which the timestamp check alone refuses a replay.
CREATE TABLE api_nonces (
    company_id BIGINT NOT NULL REFERENCES companies(id),
    client_id BIGINT NOT NULL REFERENCES api_clients(id) ON DELETE CASCADE,
    nonce TEXT NOT NULL,
    expires_at BIGINT NOT NULL,
    PRIMARY KEY (company_id, client_id, nonce)
);
CREATE INDEX api_nonces_expiry ON api_nonces(expires_at);

-- Rate limits by the generic cell rate algorithm: one row per bucket ("client:12",
-- "key:3", "token:<app id>", "login:<address>") holding its theoretical arrival time in
-- milliseconds. Login buckets belong to no company (an address is limited before anyone
-- is known), so the bucket name is the key rather than a company column.
CREATE TABLE rate_limits (
    bucket TEXT PRIMARY KEY,
    tat_ms BIGINT NOT NULL
);
CREATE INDEX rate_limits_tat ON rate_limits(tat_ms);

-- Whether a credential may act as another user of its company with X-Act-As-User.
ALTER TABLE api_clients ADD COLUMN may_act_as_users BIGINT NOT NULL DEFAULT 0;
ALTER TABLE api_keys ADD COLUMN may_act_as_users BIGINT NOT NULL DEFAULT 0;

-- After a rotation with an overlap window, the previous secret keeps working until then.
ALTER TABLE api_clients ADD COLUMN previous_secret_hash TEXT;
ALTER TABLE api_clients ADD COLUMN previous_secret_expires_at BIGINT;

-- A client's or key's own rate limit (calls a minute and burst); absent: the server's.
ALTER TABLE api_clients ADD COLUMN rate_limit_per_minute BIGINT;
ALTER TABLE api_clients ADD COLUMN rate_limit_burst BIGINT;
ALTER TABLE api_keys ADD COLUMN rate_limit_per_minute BIGINT;
ALTER TABLE api_keys ADD COLUMN rate_limit_burst BIGINT;
