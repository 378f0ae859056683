-- Links mailed to a person to set their own password: an invitation (a person created
-- without a password; seven days) or a reset asked for on the sign-in page (one hour).
-- Each is single-use and stored as the digest of its token, like sessions; asking again
-- replaces the unused link of the same purpose.
CREATE TABLE password_links (
    id INTEGER PRIMARY KEY,
    company_id INTEGER NOT NULL REFERENCES companies(id),
    user_id INTEGER NOT NULL REFERENCES users(id),
    purpose TEXT NOT NULL
        CONSTRAINT password_links_purpose_known CHECK (purpose IN ('invitation', 'reset')),
    token_hash TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at INTEGER
);
CREATE UNIQUE INDEX password_links_token ON password_links(token_hash);
CREATE INDEX password_links_user ON password_links(company_id, user_id);
