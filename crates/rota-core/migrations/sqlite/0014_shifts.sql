-- Shifts (schedule/): a user's (or, without one, an open) shift at a location, from one
-- instant to another (Unix seconds, UTC), with its scheduled breaks, published or draft,
-- soft-deleted so that its history survives; and that history, one row per change, with
-- its reason from When I Work's list (schedule/history.rs `Reason`) and what changed.
CREATE TABLE shifts (
    id INTEGER PRIMARY KEY,
    company_id INTEGER NOT NULL REFERENCES companies(id),
    user_id INTEGER REFERENCES users(id),
    location_id INTEGER NOT NULL REFERENCES locations(id),
    position_id INTEGER REFERENCES positions(id),
    site_id INTEGER REFERENCES sites(id),
    starts_at INTEGER NOT NULL,
    ends_at INTEGER NOT NULL,
    colour TEXT NOT NULL,
    notes TEXT,
    published INTEGER NOT NULL,
    published_at INTEGER,
    acknowledged_at INTEGER,
    created_by INTEGER NOT NULL REFERENCES users(id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    deleted_at INTEGER
);
CREATE INDEX shifts_starts ON shifts(company_id, starts_at);
CREATE INDEX shifts_user ON shifts(company_id, user_id, starts_at);
CREATE INDEX shifts_location ON shifts(company_id, location_id, starts_at);

CREATE TABLE shift_breaks (
    id INTEGER PRIMARY KEY,
    company_id INTEGER NOT NULL REFERENCES companies(id),
    shift_id INTEGER NOT NULL REFERENCES shifts(id),
    sort INTEGER NOT NULL,
    length_minutes INTEGER NOT NULL,
    paid INTEGER NOT NULL,
    starts_at INTEGER
);
CREATE INDEX shift_breaks_shift ON shift_breaks(company_id, shift_id);

CREATE TABLE shift_history (
    id INTEGER PRIMARY KEY,
    company_id INTEGER NOT NULL REFERENCES companies(id),
    shift_id INTEGER NOT NULL REFERENCES shifts(id),
    at INTEGER NOT NULL,
    actor_user_id INTEGER REFERENCES users(id),
    reason TEXT NOT NULL
        CONSTRAINT shift_history_reason_known CHECK (reason IN ('create', 'assign', 'unassign', 'take', 'delete', 'split', 'swap', 'drop', 'edit', 'assign_approve', 'repeating_delete', 'overwrite_conflicts_delete', 'deleted_assigned_user', 'user_removed_from_schedule', 'created_from_repeating_series', 'updated_from_repeating_series', 'publish', 'unpublish', 'delete_bulk', 'delete_clear', 'acknowledge')),
    changes TEXT NOT NULL
);
CREATE INDEX shift_history_shift ON shift_history(company_id, shift_id, id);
