-- Secret iCal feed addresses: per user, department or company, revocable and
-- regenerable. Only a digest of each address's token is kept.
CREATE TABLE ical_feeds (
    id INTEGER PRIMARY KEY,
    company_id INTEGER NOT NULL REFERENCES companies(id),
    created_by INTEGER NOT NULL REFERENCES users(id),
    scope TEXT NOT NULL,
    target_id INTEGER,
    token_hash TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    revoked_at INTEGER
);
CREATE UNIQUE INDEX ical_feeds_token ON ical_feeds(token_hash);
CREATE INDEX ical_feeds_creator ON ical_feeds(company_id, created_by);
