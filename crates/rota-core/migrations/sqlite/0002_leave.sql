-- Leave: types, working patterns, allowances and their adjustments, requests and their
-- comments, annotations and company holidays. Amounts are integers in the allowance's unit:
-- hundredths of a day for days, minutes for hours.
CREATE TABLE leave_types (
    id INTEGER PRIMARY KEY,
    company_id INTEGER NOT NULL REFERENCES companies(id),
    kind TEXT NOT NULL,
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    colour TEXT NOT NULL,
    unit TEXT NOT NULL,
    is_paid INTEGER NOT NULL,
    deducts_allowance INTEGER NOT NULL,
    requires_approval INTEGER NOT NULL,
    allows_half_days INTEGER NOT NULL,
    min_notice_days INTEGER NOT NULL,
    cancellation_period_days INTEGER NOT NULL,
    minimum_duration_minutes INTEGER NOT NULL,
    allow_concurrent_requests INTEGER NOT NULL,
    note_required INTEGER NOT NULL,
    notes_visible_to INTEGER NOT NULL,
    available_to INTEGER NOT NULL,
    seen_by INTEGER NOT NULL,
    email_on_request INTEGER NOT NULL,
    email_on_decision INTEGER NOT NULL,
    email_on_cancel INTEGER NOT NULL,
    is_active INTEGER NOT NULL,
    staff_note TEXT,
    staff_url TEXT,
    approver_note TEXT,
    approver_url TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX leave_types_code ON leave_types(company_id, kind, code);

CREATE TABLE work_patterns (
    id INTEGER PRIMARY KEY,
    company_id INTEGER NOT NULL REFERENCES companies(id),
    user_id INTEGER REFERENCES users(id),
    start_date TEXT NOT NULL,
    monday INTEGER NOT NULL,
    tuesday INTEGER NOT NULL,
    wednesday INTEGER NOT NULL,
    thursday INTEGER NOT NULL,
    friday INTEGER NOT NULL,
    saturday INTEGER NOT NULL,
    sunday INTEGER NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX work_patterns_user ON work_patterns(company_id, user_id, start_date);

CREATE TABLE allowances (
    id INTEGER PRIMARY KEY,
    company_id INTEGER NOT NULL REFERENCES companies(id),
    user_id INTEGER NOT NULL REFERENCES users(id),
    leave_type_id INTEGER NOT NULL REFERENCES leave_types(id),
    year_start TEXT NOT NULL,
    unit TEXT NOT NULL,
    opening INTEGER NOT NULL,
    adjustments INTEGER NOT NULL,
    carryover_opening INTEGER NOT NULL,
    carryover_used INTEGER NOT NULL,
    carryover_expiry TEXT,
    taken INTEGER NOT NULL,
    pending INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX allowances_year ON allowances(company_id, user_id, leave_type_id, year_start);

CREATE TABLE allowance_adjustments (
    id INTEGER PRIMARY KEY,
    company_id INTEGER NOT NULL REFERENCES companies(id),
    allowance_id INTEGER NOT NULL REFERENCES allowances(id),
    amount INTEGER NOT NULL,
    reason TEXT NOT NULL,
    created_by INTEGER NOT NULL REFERENCES users(id),
    created_at INTEGER NOT NULL
);
CREATE INDEX allowance_adjustments_allowance ON allowance_adjustments(company_id, allowance_id);

CREATE TABLE leave_requests (
    id INTEGER PRIMARY KEY,
    company_id INTEGER NOT NULL REFERENCES companies(id),
    user_id INTEGER NOT NULL REFERENCES users(id),
    leave_type_id INTEGER NOT NULL REFERENCES leave_types(id),
    allowance_id INTEGER REFERENCES allowances(id),
    start_date TEXT NOT NULL,
    end_date TEXT NOT NULL,
    start_part TEXT NOT NULL,
    end_part TEXT NOT NULL,
    start_minute INTEGER,
    end_minute INTEGER,
    amount INTEGER NOT NULL,
    unit TEXT NOT NULL,
    minutes INTEGER NOT NULL,
    day_hundredths INTEGER NOT NULL,
    spent_carryover INTEGER NOT NULL,
    status TEXT NOT NULL,
    note TEXT,
    decision_reason TEXT,
    requested_by INTEGER NOT NULL REFERENCES users(id),
    decided_by INTEGER REFERENCES users(id),
    decided_at INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX leave_requests_user ON leave_requests(company_id, user_id, start_date);
CREATE INDEX leave_requests_dates ON leave_requests(company_id, start_date, end_date);
CREATE INDEX leave_requests_status ON leave_requests(company_id, status, start_date);

CREATE TABLE leave_request_comments (
    id INTEGER PRIMARY KEY,
    company_id INTEGER NOT NULL REFERENCES companies(id),
    request_id INTEGER NOT NULL REFERENCES leave_requests(id),
    user_id INTEGER NOT NULL REFERENCES users(id),
    content TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX leave_request_comments_request ON leave_request_comments(company_id, request_id);
