-- The time clock: a company's rounding rules, its people's time entries (clocked in and
-- out, or made by a manager) and the breaks inside them. Instants are Unix seconds (UTC);
-- an entry or a break without an end is still running. Rounded times and lengths are
-- worked out when an entry is read, from the rules in force then (rota_core::time_clock).

-- One row per company that changed its rules; a company without one rounds nothing
-- (1 minute, nearest), the defaults of rota_core::time_clock::TimeClockSettings.
CREATE TABLE time_clock_settings (
    company_id INTEGER PRIMARY KEY REFERENCES companies(id),
    clock_in_increment INTEGER NOT NULL
        CONSTRAINT time_clock_settings_clock_in_increment_known CHECK (clock_in_increment IN (1, 5, 6, 10, 15, 30)),
    clock_in_rounding TEXT NOT NULL
        CONSTRAINT time_clock_settings_clock_in_rounding_known CHECK (clock_in_rounding IN ('nearest', 'employee_favour', 'company_favour')),
    clock_out_increment INTEGER NOT NULL
        CONSTRAINT time_clock_settings_clock_out_increment_known CHECK (clock_out_increment IN (1, 5, 6, 10, 15, 30)),
    clock_out_rounding TEXT NOT NULL
        CONSTRAINT time_clock_settings_clock_out_rounding_known CHECK (clock_out_rounding IN ('nearest', 'employee_favour', 'company_favour')),
    updated_at INTEGER NOT NULL
);

CREATE TABLE time_entries (
    id INTEGER PRIMARY KEY,
    company_id INTEGER NOT NULL REFERENCES companies(id),
    user_id INTEGER NOT NULL REFERENCES users(id),
    start_at INTEGER NOT NULL,
    end_at INTEGER,
    location_id INTEGER REFERENCES locations(id),
    position_id INTEGER REFERENCES positions(id),
    site_id INTEGER REFERENCES sites(id),
    notes TEXT,
    -- Cash tips declared for the entry, in cents.
    cash_tips INTEGER NOT NULL,
    approved_by INTEGER REFERENCES users(id),
    approved_at INTEGER,
    created_by INTEGER REFERENCES users(id),
    updated_by INTEGER REFERENCES users(id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
-- A user's entries by start: the overlap check and their own list.
CREATE INDEX time_entries_user ON time_entries(company_id, user_id, start_at);
-- The company's entries by start: a manager's list over a date range.
CREATE INDEX time_entries_start ON time_entries(company_id, start_at);
-- At most one running entry per user, whatever the service checks first.
CREATE UNIQUE INDEX time_entries_one_open ON time_entries(company_id, user_id) WHERE end_at IS NULL;

CREATE TABLE time_entry_breaks (
    id INTEGER PRIMARY KEY,
    company_id INTEGER NOT NULL REFERENCES companies(id),
    time_entry_id INTEGER NOT NULL REFERENCES time_entries(id) ON DELETE CASCADE,
    start_at INTEGER NOT NULL,
    end_at INTEGER
);
CREATE INDEX time_entry_breaks_entry ON time_entry_breaks(company_id, time_entry_id, start_at);
