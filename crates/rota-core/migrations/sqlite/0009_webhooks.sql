-- Webhooks: a company's subscriptions, the deliveries its events owe them (an outbox,
-- written in the transaction that makes the change), and the log of every attempt.
-- The server signs with a subscription's secret, so it is kept readable: sealed with the
-- server's secret key when there is one (v1:…, rota_core::sealing), as issued otherwise.
CREATE TABLE webhook_subscriptions (
    id INTEGER PRIMARY KEY,
    company_id INTEGER NOT NULL REFERENCES companies(id),
    url TEXT NOT NULL,
    description TEXT,
    -- A JSON array of event names, or ["*"] for every event.
    events TEXT NOT NULL,
    secret TEXT NOT NULL,
    enabled INTEGER NOT NULL,
    created_by INTEGER REFERENCES users(id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    secret_rotated_at INTEGER NOT NULL
);
CREATE INDEX webhook_subscriptions_company ON webhook_subscriptions(company_id, id);

-- One event owed to one subscription. Queued (delivered_at and failed_at null), delivered,
-- or given up after its last attempt; kept 30 days from when it was queued (then the
-- sweep removes it and its attempts). The payload is the exact body sent.
CREATE TABLE webhook_deliveries (
    id INTEGER PRIMARY KEY,
    company_id INTEGER NOT NULL REFERENCES companies(id),
    subscription_id INTEGER NOT NULL REFERENCES webhook_subscriptions(id),
    event_id TEXT NOT NULL,
    event TEXT NOT NULL,
    payload TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    -- Attempts started; a worker claims a row by raising this from the value it read.
    attempts INTEGER NOT NULL,
    next_attempt_at INTEGER NOT NULL,
    delivered_at INTEGER,
    failed_at INTEGER,
    last_error TEXT
);
-- The worker's question, across companies as the mail outbox's is.
CREATE INDEX webhook_deliveries_due ON webhook_deliveries(next_attempt_at) WHERE delivered_at IS NULL AND failed_at IS NULL;
CREATE INDEX webhook_deliveries_subscription ON webhook_deliveries(company_id, subscription_id, id);
-- The sweep's question: which deliveries are past the log's retention?
CREATE INDEX webhook_deliveries_created ON webhook_deliveries(created_at);

-- The delivery log: one row per attempt, with the receiver's status or the error.
CREATE TABLE webhook_attempts (
    id INTEGER PRIMARY KEY,
    company_id INTEGER NOT NULL REFERENCES companies(id),
    delivery_id INTEGER NOT NULL REFERENCES webhook_deliveries(id),
    attempted_at INTEGER NOT NULL,
    status_code INTEGER,
    error TEXT,
    duration_ms INTEGER NOT NULL
);
CREATE INDEX webhook_attempts_delivery ON webhook_attempts(company_id, delivery_id, id);
