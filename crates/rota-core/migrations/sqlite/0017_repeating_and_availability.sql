-- Repeating shifts (schedule/chains): a chain holds the first shift's fields and its
-- pattern (a local start time and length in the chain's IANA zone, a week interval,
-- When I Work's weekday bitmask, an until date at most a year after the first day);
-- its occurrences are expanded when read, never stored. An occurrence deleted or edited
-- on its own becomes an exception of its chain (an edited one names the detached shift
-- it became). "This and following" ends a chain the day before and starts a new one.
CREATE TABLE shift_chains (
    id INTEGER PRIMARY KEY,
    company_id INTEGER NOT NULL REFERENCES companies(id),
    user_id INTEGER REFERENCES users(id),
    location_id INTEGER NOT NULL REFERENCES locations(id),
    position_id INTEGER REFERENCES positions(id),
    site_id INTEGER REFERENCES sites(id),
    time_zone TEXT NOT NULL,
    first_date TEXT NOT NULL,
    until_date TEXT NOT NULL,
    start_time TEXT NOT NULL,
    length_minutes INTEGER NOT NULL,
    interval_weeks INTEGER NOT NULL,
    weekdays INTEGER NOT NULL,
    colour TEXT NOT NULL,
    notes TEXT,
    published INTEGER NOT NULL,
    created_by INTEGER NOT NULL REFERENCES users(id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    deleted_at INTEGER
);
CREATE INDEX shift_chains_location ON shift_chains(company_id, location_id, until_date);
CREATE INDEX shift_chains_user ON shift_chains(company_id, user_id, until_date);

CREATE TABLE shift_chain_exceptions (
    company_id INTEGER NOT NULL REFERENCES companies(id),
    chain_id INTEGER NOT NULL REFERENCES shift_chains(id),
    day TEXT NOT NULL,
    shift_id INTEGER REFERENCES shifts(id),
    PRIMARY KEY (company_id, chain_id, day)
);

-- Availability events (schedule/availability.rs): a user's available or unavailable
-- time, one-off (no weekdays; first and until the same day) or weekly on the weekdays of
-- the mask until a day; a local start time and length in a zone, expanded as chains are.
-- Assigning a shift over an unavailable time is the outside_availability conflict.
CREATE TABLE availability_events (
    id INTEGER PRIMARY KEY,
    company_id INTEGER NOT NULL REFERENCES companies(id),
    user_id INTEGER NOT NULL REFERENCES users(id),
    kind TEXT NOT NULL
        CONSTRAINT availability_events_kind_known CHECK (kind IN ('available', 'unavailable')),
    time_zone TEXT NOT NULL,
    first_date TEXT NOT NULL,
    until_date TEXT NOT NULL,
    start_time TEXT NOT NULL,
    length_minutes INTEGER NOT NULL,
    weekdays INTEGER,
    notes TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX availability_events_user ON availability_events(company_id, user_id, until_date);
