-- Multi-factor authentication (TOTP, RFC 6238). A user's factor holds the TOTP seed sealed
-- with the server's secret key (never in clear), the last time step accepted (a code is
-- never accepted twice) and the bad-code counter that locks verification. confirmed_at
-- stays NULL while an enrolment waits for its first code.
CREATE TABLE mfa_factors (
    company_id INTEGER NOT NULL REFERENCES companies(id),
    user_id INTEGER NOT NULL REFERENCES users(id),
    sealed_seed TEXT NOT NULL,
    confirmed_at INTEGER,
    last_used_step INTEGER NOT NULL,
    failures INTEGER NOT NULL,
    first_failure_at INTEGER,
    locked_until INTEGER,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (company_id, user_id)
);

-- Single-use recovery codes, kept only as SHA-256 digests.
CREATE TABLE mfa_recovery_codes (
    id INTEGER PRIMARY KEY,
    company_id INTEGER NOT NULL REFERENCES companies(id),
    user_id INTEGER NOT NULL REFERENCES users(id),
    code_hash TEXT NOT NULL,
    used_at INTEGER
);
CREATE INDEX mfa_recovery_codes_user ON mfa_recovery_codes(company_id, user_id);

-- The second step of a sign-in: a short-lived token (digest only) that a password opened
-- and that a code ('verify') or a first enrolment ('enrol') turns into a session.
CREATE TABLE mfa_challenges (
    id INTEGER PRIMARY KEY,
    company_id INTEGER NOT NULL REFERENCES companies(id),
    user_id INTEGER NOT NULL REFERENCES users(id),
    token_hash TEXT NOT NULL,
    purpose TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX mfa_challenges_token ON mfa_challenges(token_hash);
CREATE INDEX mfa_challenges_user ON mfa_challenges(company_id, user_id);
