-- no-transaction
-- Every column whose values are a closed list in the Rust code accepts only that list, as
-- 0011 did for the statuses: roles by their WhosOff code (users.user_type_id, the leave
-- types' thresholds, the API credentials' role ceilings: people/types.rs `UserType`),
-- approver and notifier roles (`ApproverRole`), e-mail types (`EmailType`), allowance units
-- (`AllowanceUnit`, on users, leave types, allowances and requests), leave type kinds
-- (leave/types.rs `TypeKind`), day parts (leave/duration.rs `DayPart`), annotation kinds
-- (leave/annotations.rs `AnnotationKind`), iCal feed scopes (leave/ical.rs `FeedScope`) and
-- MFA challenge purposes (mfa/challenge.rs `Purpose`). Audit actions and webhook events are
-- left open: each new area adds to them, and a CHECK would make every addition a rebuild.
--
-- The tables are rebuilt as in 0011 (see there why foreign keys are off and why the rebuild
-- runs outside sqlx's transaction); each keeps its columns, in order, and its indexes.
PRAGMA foreign_keys = OFF;
BEGIN IMMEDIATE;
CREATE TABLE users_checked (
    id INTEGER PRIMARY KEY,
    company_id INTEGER NOT NULL REFERENCES companies(id),
    email TEXT NOT NULL,
    password_hash TEXT,
    staff_code TEXT,
    title TEXT,
    first_name TEXT NOT NULL,
    middle_name TEXT,
    last_name TEXT NOT NULL,
    work_phone TEXT,
    mobile_phone TEXT,
    user_type_id INTEGER NOT NULL
        CONSTRAINT users_user_type_known CHECK (user_type_id IN (100, 200, 210, 220, 300, 310)),
    status TEXT NOT NULL
        CONSTRAINT users_status_known CHECK (status IN ('active', 'pending', 'archived')),
    department_id INTEGER REFERENCES departments(id),
    region_id INTEGER REFERENCES regions(id),
    approver_id INTEGER REFERENCES users(id),
    approver_role TEXT NOT NULL
        CONSTRAINT users_approver_role_known CHECK (approver_role IN ('none', 'approver_both', 'approver_leave', 'approver_overtime', 'notifier_both', 'notifier_leave', 'notifier_overtime')),
    notifier_2_id INTEGER REFERENCES users(id),
    notifier_2_role TEXT NOT NULL
        CONSTRAINT users_notifier_2_role_known CHECK (notifier_2_role IN ('none', 'approver_both', 'approver_leave', 'approver_overtime', 'notifier_both', 'notifier_leave', 'notifier_overtime')),
    notifier_3_id INTEGER REFERENCES users(id),
    notifier_3_role TEXT NOT NULL
        CONSTRAINT users_notifier_3_role_known CHECK (notifier_3_role IN ('none', 'approver_both', 'approver_leave', 'approver_overtime', 'notifier_both', 'notifier_leave', 'notifier_overtime')),
    manager_id INTEGER REFERENCES users(id),
    job_title TEXT,
    employment_start_date TEXT,
    employment_end_date TEXT,
    working_days TEXT NOT NULL,
    holiday_country TEXT,
    holiday_subdivision TEXT,
    time_zone TEXT,
    allowance_unit TEXT NOT NULL
        CONSTRAINT users_allowance_unit_known CHECK (allowance_unit IN ('days', 'hours')),
    hourly_rate_cents INTEGER,
    hours_max_minutes INTEGER,
    hours_preferred_minutes INTEGER,
    employment_type TEXT,
    notes TEXT,
    is_hidden INTEGER NOT NULL,
    is_private INTEGER NOT NULL,
    is_payroll INTEGER NOT NULL,
    is_trusted INTEGER NOT NULL,
    email_type TEXT NOT NULL
        CONSTRAINT users_email_type_known CHECK (email_type IN ('none', 'text', 'html')),
    default_view_type_id INTEGER NOT NULL,
    default_view_id INTEGER,
    default_sorting_id INTEGER NOT NULL,
    active_directory_username TEXT,
    image_url_small TEXT,
    image_url_large TEXT,
    lockout_date INTEGER,
    force_mfa INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
INSERT INTO users_checked (id, company_id, email, password_hash, staff_code, title, first_name, middle_name, last_name, work_phone, mobile_phone, user_type_id, status, department_id, region_id, approver_id, approver_role, notifier_2_id, notifier_2_role, notifier_3_id, notifier_3_role, manager_id, job_title, employment_start_date, employment_end_date, working_days, holiday_country, holiday_subdivision, time_zone, allowance_unit, hourly_rate_cents, hours_max_minutes, hours_preferred_minutes, employment_type, notes, is_hidden, is_private, is_payroll, is_trusted, email_type, default_view_type_id, default_view_id, default_sorting_id, active_directory_username, image_url_small, image_url_large, lockout_date, force_mfa, created_at, updated_at)
    SELECT id, company_id, email, password_hash, staff_code, title, first_name, middle_name, last_name, work_phone, mobile_phone, user_type_id, status, department_id, region_id, approver_id, approver_role, notifier_2_id, notifier_2_role, notifier_3_id, notifier_3_role, manager_id, job_title, employment_start_date, employment_end_date, working_days, holiday_country, holiday_subdivision, time_zone, allowance_unit, hourly_rate_cents, hours_max_minutes, hours_preferred_minutes, employment_type, notes, is_hidden, is_private, is_payroll, is_trusted, email_type, default_view_type_id, default_view_id, default_sorting_id, active_directory_username, image_url_small, image_url_large, lockout_date, force_mfa, created_at, updated_at FROM users;
DROP TABLE users;
ALTER TABLE users_checked RENAME TO users;
CREATE UNIQUE INDEX users_email ON users(company_id, email);
CREATE INDEX users_company_id ON users(company_id, id);
CREATE INDEX users_department ON users(company_id, department_id);
CREATE INDEX users_region ON users(company_id, region_id);
CREATE INDEX users_approver ON users(company_id, approver_id);
CREATE INDEX users_last_name ON users(company_id, last_name);
CREATE INDEX users_email_any ON users(email);

CREATE TABLE leave_types_checked (
    id INTEGER PRIMARY KEY,
    company_id INTEGER NOT NULL REFERENCES companies(id),
    kind TEXT NOT NULL
        CONSTRAINT leave_types_kind_known CHECK (kind IN ('leave', 'overtime')),
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    colour TEXT NOT NULL,
    unit TEXT NOT NULL
        CONSTRAINT leave_types_unit_known CHECK (unit IN ('days', 'hours')),
    is_paid INTEGER NOT NULL,
    deducts_allowance INTEGER NOT NULL,
    requires_approval INTEGER NOT NULL,
    allows_half_days INTEGER NOT NULL,
    min_notice_days INTEGER NOT NULL,
    cancellation_period_days INTEGER NOT NULL,
    minimum_duration_minutes INTEGER NOT NULL,
    allow_concurrent_requests INTEGER NOT NULL,
    note_required INTEGER NOT NULL,
    notes_visible_to INTEGER NOT NULL
        CONSTRAINT leave_types_notes_visible_to_known CHECK (notes_visible_to IN (100, 200, 210, 220, 300, 310)),
    available_to INTEGER NOT NULL
        CONSTRAINT leave_types_available_to_known CHECK (available_to IN (100, 200, 210, 220, 300, 310)),
    seen_by INTEGER NOT NULL
        CONSTRAINT leave_types_seen_by_known CHECK (seen_by IN (100, 200, 210, 220, 300, 310)),
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
INSERT INTO leave_types_checked (id, company_id, kind, code, name, colour, unit, is_paid, deducts_allowance, requires_approval, allows_half_days, min_notice_days, cancellation_period_days, minimum_duration_minutes, allow_concurrent_requests, note_required, notes_visible_to, available_to, seen_by, email_on_request, email_on_decision, email_on_cancel, is_active, staff_note, staff_url, approver_note, approver_url, created_at, updated_at)
    SELECT id, company_id, kind, code, name, colour, unit, is_paid, deducts_allowance, requires_approval, allows_half_days, min_notice_days, cancellation_period_days, minimum_duration_minutes, allow_concurrent_requests, note_required, notes_visible_to, available_to, seen_by, email_on_request, email_on_decision, email_on_cancel, is_active, staff_note, staff_url, approver_note, approver_url, created_at, updated_at FROM leave_types;
DROP TABLE leave_types;
ALTER TABLE leave_types_checked RENAME TO leave_types;
CREATE UNIQUE INDEX leave_types_code ON leave_types(company_id, kind, code);

CREATE TABLE allowances_checked (
    id INTEGER PRIMARY KEY,
    company_id INTEGER NOT NULL REFERENCES companies(id),
    user_id INTEGER NOT NULL REFERENCES users(id),
    leave_type_id INTEGER NOT NULL REFERENCES leave_types(id),
    year_start TEXT NOT NULL,
    unit TEXT NOT NULL
        CONSTRAINT allowances_unit_known CHECK (unit IN ('days', 'hours')),
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
INSERT INTO allowances_checked (id, company_id, user_id, leave_type_id, year_start, unit, opening, adjustments, carryover_opening, carryover_used, carryover_expiry, taken, pending, created_at, updated_at)
    SELECT id, company_id, user_id, leave_type_id, year_start, unit, opening, adjustments, carryover_opening, carryover_used, carryover_expiry, taken, pending, created_at, updated_at FROM allowances;
DROP TABLE allowances;
ALTER TABLE allowances_checked RENAME TO allowances;
CREATE UNIQUE INDEX allowances_year ON allowances(company_id, user_id, leave_type_id, year_start);

CREATE TABLE leave_requests_checked (
    id INTEGER PRIMARY KEY,
    company_id INTEGER NOT NULL REFERENCES companies(id),
    user_id INTEGER NOT NULL REFERENCES users(id),
    leave_type_id INTEGER NOT NULL REFERENCES leave_types(id),
    allowance_id INTEGER REFERENCES allowances(id),
    start_date TEXT NOT NULL,
    end_date TEXT NOT NULL,
    start_part TEXT NOT NULL
        CONSTRAINT leave_requests_start_part_known CHECK (start_part IN ('full', 'morning', 'afternoon')),
    end_part TEXT NOT NULL
        CONSTRAINT leave_requests_end_part_known CHECK (end_part IN ('full', 'morning', 'afternoon')),
    start_minute INTEGER,
    end_minute INTEGER,
    amount INTEGER NOT NULL,
    unit TEXT NOT NULL
        CONSTRAINT leave_requests_unit_known CHECK (unit IN ('days', 'hours')),
    minutes INTEGER NOT NULL,
    day_hundredths INTEGER NOT NULL,
    spent_carryover INTEGER NOT NULL,
    status TEXT NOT NULL
        CONSTRAINT leave_requests_status_known CHECK (status IN ('pending', 'approved', 'declined', 'cancelled')),
    note TEXT,
    decision_reason TEXT,
    requested_by INTEGER NOT NULL REFERENCES users(id),
    decided_by INTEGER REFERENCES users(id),
    decided_at INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
INSERT INTO leave_requests_checked (id, company_id, user_id, leave_type_id, allowance_id, start_date, end_date, start_part, end_part, start_minute, end_minute, amount, unit, minutes, day_hundredths, spent_carryover, status, note, decision_reason, requested_by, decided_by, decided_at, created_at, updated_at)
    SELECT id, company_id, user_id, leave_type_id, allowance_id, start_date, end_date, start_part, end_part, start_minute, end_minute, amount, unit, minutes, day_hundredths, spent_carryover, status, note, decision_reason, requested_by, decided_by, decided_at, created_at, updated_at FROM leave_requests;
DROP TABLE leave_requests;
ALTER TABLE leave_requests_checked RENAME TO leave_requests;
CREATE INDEX leave_requests_user ON leave_requests(company_id, user_id, start_date);
CREATE INDEX leave_requests_dates ON leave_requests(company_id, start_date, end_date);
CREATE INDEX leave_requests_status ON leave_requests(company_id, status, start_date);

CREATE TABLE annotations_checked (
    id INTEGER PRIMARY KEY,
    company_id INTEGER NOT NULL REFERENCES companies(id),
    kind TEXT NOT NULL
        CONSTRAINT annotations_kind_known CHECK (kind IN ('business_closed', 'no_time_off', 'announcement')),
    title TEXT NOT NULL,
    message TEXT,
    colour TEXT NOT NULL,
    start_date TEXT NOT NULL,
    end_date TEXT NOT NULL,
    location_id INTEGER REFERENCES locations(id),
    department_id INTEGER REFERENCES departments(id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
INSERT INTO annotations_checked (id, company_id, kind, title, message, colour, start_date, end_date, location_id, department_id, created_at, updated_at)
    SELECT id, company_id, kind, title, message, colour, start_date, end_date, location_id, department_id, created_at, updated_at FROM annotations;
DROP TABLE annotations;
ALTER TABLE annotations_checked RENAME TO annotations;
CREATE INDEX annotations_dates ON annotations(company_id, start_date, end_date);

CREATE TABLE ical_feeds_checked (
    id INTEGER PRIMARY KEY,
    company_id INTEGER NOT NULL REFERENCES companies(id),
    created_by INTEGER NOT NULL REFERENCES users(id),
    scope TEXT NOT NULL
        CONSTRAINT ical_feeds_scope_known CHECK (scope IN ('user', 'department', 'company')),
    target_id INTEGER,
    token_hash TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    revoked_at INTEGER
);
INSERT INTO ical_feeds_checked (id, company_id, created_by, scope, target_id, token_hash, created_at, revoked_at)
    SELECT id, company_id, created_by, scope, target_id, token_hash, created_at, revoked_at FROM ical_feeds;
DROP TABLE ical_feeds;
ALTER TABLE ical_feeds_checked RENAME TO ical_feeds;
CREATE UNIQUE INDEX ical_feeds_token ON ical_feeds(token_hash);
CREATE INDEX ical_feeds_creator ON ical_feeds(company_id, created_by);

CREATE TABLE api_clients_checked (
    id INTEGER PRIMARY KEY,
    company_id INTEGER NOT NULL REFERENCES companies(id),
    app_id TEXT NOT NULL,
    secret_hash TEXT NOT NULL,
    name TEXT NOT NULL,
    description TEXT,
    notes TEXT,
    scopes TEXT NOT NULL,
    role_ceiling INTEGER NOT NULL
        CONSTRAINT api_clients_role_ceiling_known CHECK (role_ceiling IN (100, 200, 210, 220, 300, 310)),
    acts_as_user_id INTEGER NOT NULL REFERENCES users(id),
    ip_allow_list TEXT NOT NULL,
    requires_nonce INTEGER NOT NULL,
    enabled INTEGER NOT NULL,
    created_by INTEGER REFERENCES users(id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    secret_rotated_at INTEGER NOT NULL,
    last_used_at INTEGER,
    may_act_as_users INTEGER NOT NULL DEFAULT 0,
    previous_secret_hash TEXT,
    previous_secret_expires_at INTEGER,
    rate_limit_per_minute INTEGER,
    rate_limit_burst INTEGER
);
INSERT INTO api_clients_checked (id, company_id, app_id, secret_hash, name, description, notes, scopes, role_ceiling, acts_as_user_id, ip_allow_list, requires_nonce, enabled, created_by, created_at, updated_at, secret_rotated_at, last_used_at, may_act_as_users, previous_secret_hash, previous_secret_expires_at, rate_limit_per_minute, rate_limit_burst)
    SELECT id, company_id, app_id, secret_hash, name, description, notes, scopes, role_ceiling, acts_as_user_id, ip_allow_list, requires_nonce, enabled, created_by, created_at, updated_at, secret_rotated_at, last_used_at, may_act_as_users, previous_secret_hash, previous_secret_expires_at, rate_limit_per_minute, rate_limit_burst FROM api_clients;
DROP TABLE api_clients;
ALTER TABLE api_clients_checked RENAME TO api_clients;
CREATE UNIQUE INDEX api_clients_app_id ON api_clients(app_id);
CREATE INDEX api_clients_company ON api_clients(company_id, id);

CREATE TABLE api_keys_checked (
    id INTEGER PRIMARY KEY,
    company_id INTEGER NOT NULL REFERENCES companies(id),
    name TEXT NOT NULL,
    key_hash TEXT NOT NULL,
    key_hint TEXT NOT NULL,
    scopes TEXT NOT NULL,
    role_ceiling INTEGER NOT NULL
        CONSTRAINT api_keys_role_ceiling_known CHECK (role_ceiling IN (100, 200, 210, 220, 300, 310)),
    acts_as_user_id INTEGER NOT NULL REFERENCES users(id),
    ip_allow_list TEXT NOT NULL,
    expires_at INTEGER,
    enabled INTEGER NOT NULL,
    created_by INTEGER REFERENCES users(id),
    created_at INTEGER NOT NULL,
    last_used_at INTEGER,
    may_act_as_users INTEGER NOT NULL DEFAULT 0,
    rate_limit_per_minute INTEGER,
    rate_limit_burst INTEGER
);
INSERT INTO api_keys_checked (id, company_id, name, key_hash, key_hint, scopes, role_ceiling, acts_as_user_id, ip_allow_list, expires_at, enabled, created_by, created_at, last_used_at, may_act_as_users, rate_limit_per_minute, rate_limit_burst)
    SELECT id, company_id, name, key_hash, key_hint, scopes, role_ceiling, acts_as_user_id, ip_allow_list, expires_at, enabled, created_by, created_at, last_used_at, may_act_as_users, rate_limit_per_minute, rate_limit_burst FROM api_keys;
DROP TABLE api_keys;
ALTER TABLE api_keys_checked RENAME TO api_keys;
CREATE UNIQUE INDEX api_keys_hash ON api_keys(key_hash);
CREATE INDEX api_keys_company ON api_keys(company_id, id);

CREATE TABLE mfa_challenges_checked (
    id INTEGER PRIMARY KEY,
    company_id INTEGER NOT NULL REFERENCES companies(id),
    user_id INTEGER NOT NULL REFERENCES users(id),
    token_hash TEXT NOT NULL,
    purpose TEXT NOT NULL
        CONSTRAINT mfa_challenges_purpose_known CHECK (purpose IN ('verify', 'enrol')),
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
INSERT INTO mfa_challenges_checked (id, company_id, user_id, token_hash, purpose, created_at, expires_at)
    SELECT id, company_id, user_id, token_hash, purpose, created_at, expires_at FROM mfa_challenges;
DROP TABLE mfa_challenges;
ALTER TABLE mfa_challenges_checked RENAME TO mfa_challenges;
CREATE UNIQUE INDEX mfa_challenges_token ON mfa_challenges(token_hash);
CREATE INDEX mfa_challenges_user ON mfa_challenges(company_id, user_id);
COMMIT;
PRAGMA foreign_keys = ON;
