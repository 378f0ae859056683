-- API access and security: the audit log, API access per company, API clients (App ID and
-- secret), the bearer tokens minted from them, and scoped API keys. Secrets and tokens are
-- kept only as SHA-256 digests.
CREATE TABLE audit_events (
    id INTEGER PRIMARY KEY,
    company_id INTEGER NOT NULL REFERENCES companies(id),
    at INTEGER NOT NULL,
    actor_user_id INTEGER,
    api_client_id INTEGER,
    api_key_id INTEGER,
    source_ip TEXT,
    action TEXT NOT NULL,
    target_type TEXT,
    target_id INTEGER,
    details TEXT NOT NULL
);
CREATE INDEX audit_events_company ON audit_events(company_id, id);
CREATE INDEX audit_events_action ON audit_events(company_id, action, id);

-- Whether the company lets other systems in, and the company-wide IP allow-list every
-- client and key must also pass (a JSON array of CIDR ranges; empty admits any address).
CREATE TABLE api_access (
    company_id INTEGER PRIMARY KEY REFERENCES companies(id),
    enabled INTEGER NOT NULL,
    ip_allow_list TEXT NOT NULL,
    changed_by INTEGER,
    changed_at INTEGER NOT NULL
);

CREATE TABLE api_clients (
    id INTEGER PRIMARY KEY,
    company_id INTEGER NOT NULL REFERENCES companies(id),
    app_id TEXT NOT NULL,
    secret_hash TEXT NOT NULL,
    name TEXT NOT NULL,
    description TEXT,
    notes TEXT,
    scopes TEXT NOT NULL,
    role_ceiling INTEGER NOT NULL,
    acts_as_user_id INTEGER NOT NULL REFERENCES users(id),
    ip_allow_list TEXT NOT NULL,
    requires_nonce INTEGER NOT NULL,
    enabled INTEGER NOT NULL,
    created_by INTEGER REFERENCES users(id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    secret_rotated_at INTEGER NOT NULL,
    last_used_at INTEGER
);
CREATE UNIQUE INDEX api_clients_app_id ON api_clients(app_id);
CREATE INDEX api_clients_company ON api_clients(company_id, id);

-- A bearer token lives 15 minutes. It is minted from a client (client credentials) or,
-- later, from a client plus a user's own sign-in (WhosOff's authenticate), in which case
-- user_id binds it to that user; otherwise it acts as the client's acts_as_user_id.
CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY,
    company_id INTEGER NOT NULL REFERENCES companies(id),
    client_id INTEGER NOT NULL REFERENCES api_clients(id) ON DELETE CASCADE,
    user_id INTEGER REFERENCES users(id),
    token_hash TEXT NOT NULL,
    grant_type TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX api_tokens_hash ON api_tokens(token_hash);
CREATE INDEX api_tokens_client ON api_tokens(company_id, client_id);

-- Scoped API keys (Offly style): long-lived bearer keys, `rota_k_` + random + checksum.
CREATE TABLE api_keys (
    id INTEGER PRIMARY KEY,
    company_id INTEGER NOT NULL REFERENCES companies(id),
    name TEXT NOT NULL,
    key_hash TEXT NOT NULL,
    key_hint TEXT NOT NULL,
    scopes TEXT NOT NULL,
    role_ceiling INTEGER NOT NULL,
    acts_as_user_id INTEGER NOT NULL REFERENCES users(id),
    ip_allow_list TEXT NOT NULL,
    expires_at INTEGER,
    enabled INTEGER NOT NULL,
    created_by INTEGER REFERENCES users(id),
    created_at INTEGER NOT NULL,
    last_used_at INTEGER
);
CREATE UNIQUE INDEX api_keys_hash ON api_keys(key_hash);
CREATE INDEX api_keys_company ON api_keys(company_id, id);
