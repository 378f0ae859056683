-- Swaps and drops (schedule/swap): the holder of a published shift offers it to named
-- colleagues, each offering a shift of theirs in exchange (a swap), or to anyone it fits
-- (a drop, or to named colleagues only). Statuses are When I Work's lists: the swap's
-- (pending, approved, declined, completed, canceled, expired) and each recipient's
-- (pending_approval, pending_acceptance, declined, accepted, canceled, expired, denied).
-- A drop naming nobody is open to all until someone picks it up (who then becomes its
-- one recipient). The swap keeps the shift's holder and times as offered: a shift changed since expires it.
CREATE TABLE swaps (
    id INTEGER PRIMARY KEY,
    company_id INTEGER NOT NULL REFERENCES companies(id),
    kind TEXT NOT NULL
        CONSTRAINT swaps_kind_known CHECK (kind IN ('swap', 'drop')),
    shift_id INTEGER NOT NULL REFERENCES shifts(id),
    user_id INTEGER NOT NULL REFERENCES users(id),
    location_id INTEGER NOT NULL REFERENCES locations(id),
    starts_at INTEGER NOT NULL,
    ends_at INTEGER NOT NULL,
    status TEXT NOT NULL
        CONSTRAINT swaps_status_known CHECK (status IN ('pending', 'approved', 'declined', 'completed', 'canceled', 'expired')),
    requires_approval INTEGER NOT NULL,
    open_to_all INTEGER NOT NULL,
    accepted_user_id INTEGER REFERENCES users(id),
    decided_by INTEGER REFERENCES users(id),
    created_by INTEGER NOT NULL REFERENCES users(id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    completed_at INTEGER
);
CREATE INDEX swaps_shift ON swaps(company_id, shift_id, status);
CREATE INDEX swaps_user ON swaps(company_id, user_id, starts_at);
CREATE INDEX swaps_location ON swaps(company_id, location_id, starts_at);

CREATE TABLE swap_recipients (
    company_id INTEGER NOT NULL REFERENCES companies(id),
    swap_id INTEGER NOT NULL REFERENCES swaps(id),
    user_id INTEGER NOT NULL REFERENCES users(id),
    shift_id INTEGER REFERENCES shifts(id),
    status TEXT NOT NULL
        CONSTRAINT swap_recipients_status_known CHECK (status IN ('pending_approval', 'pending_acceptance', 'declined', 'accepted', 'canceled', 'expired', 'denied')),
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (company_id, swap_id, user_id)
);
CREATE INDEX swap_recipients_user ON swap_recipients(company_id, user_id);

-- Message threads (schedule/messages.rs): one table for every subject, named by its kind
-- and id. The kinds stay an open list, as audit actions do: an open-shift request joins
-- them without rebuilding the table.
CREATE TABLE messages (
    id INTEGER PRIMARY KEY,
    company_id INTEGER NOT NULL REFERENCES companies(id),
    subject_kind TEXT NOT NULL,
    subject_id INTEGER NOT NULL,
    user_id INTEGER NOT NULL REFERENCES users(id),
    content TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX messages_subject ON messages(company_id, subject_kind, subject_id, id);
