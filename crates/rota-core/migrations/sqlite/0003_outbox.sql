-- The mail outbox. An e-mail is written here in the same transaction as the change that
-- causes it, and the mail worker sends it later, so a rolled-back change sends nothing and
-- a crash loses nothing. A row is queued (sent_at and failed_at both null), sent (sent_at),
-- or given up after its last attempt (failed_at); it is kept either way.
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    company_id INTEGER NOT NULL REFERENCES companies(id),
    kind TEXT NOT NULL,
    recipient_user_id INTEGER REFERENCES users(id),
    recipient_address TEXT NOT NULL,
    subject TEXT NOT NULL,
    text_body TEXT NOT NULL,
    html_body TEXT,
    created_at INTEGER NOT NULL,
    -- Attempts started; a worker claims a row by raising this from the value it read.
    attempts INTEGER NOT NULL,
    -- When the row is next due; a claim moves it past the send, so a worker that dies
    -- mid-send leaves the row due again once that lease runs out.
    next_attempt_at INTEGER NOT NULL,
    sent_at INTEGER,
    failed_at INTEGER,
    last_error TEXT
);
-- The worker's question: which unsent rows are due?
CREATE INDEX outbox_due ON outbox(next_attempt_at) WHERE sent_at IS NULL AND failed_at IS NULL;
