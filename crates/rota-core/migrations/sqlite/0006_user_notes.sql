-- Notes about a user for approvers (WhosOff's user notes), and restrictions: pairs of
-- people who should not be away at the same time (WhosOff's user restrictions).
CREATE TABLE user_notes (
    id INTEGER PRIMARY KEY,
    company_id INTEGER NOT NULL REFERENCES companies(id),
    user_id INTEGER NOT NULL REFERENCES users(id),
    restricted INTEGER NOT NULL,
    note TEXT NOT NULL,
    changed_by INTEGER NOT NULL REFERENCES users(id),
    changed_at INTEGER NOT NULL
);
CREATE INDEX user_notes_user ON user_notes(company_id, user_id);

CREATE TABLE user_restrictions (
    id INTEGER PRIMARY KEY,
    company_id INTEGER NOT NULL REFERENCES companies(id),
    user_id INTEGER NOT NULL REFERENCES users(id),
    restricted_user_id INTEGER NOT NULL REFERENCES users(id),
    created_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX user_restrictions_pair ON user_restrictions(company_id, user_id, restricted_user_id);
