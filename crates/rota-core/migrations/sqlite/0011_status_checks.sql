-- no-transaction
-- The status columns accept only the statuses Rota knows (people/types.rs `UserStatus`,
-- leave/request.rs `RequestStatus`), so a bad write fails in the database, not later when
-- a reader decodes the row.
--
-- SQLite adds a CHECK only by rebuilding the table (https://sqlite.org/lang_altertable.html,
-- "making other kinds of table schema changes"): a new table with the constraint, every row
-- copied, the old table dropped, the new one renamed, its indexes made again. Foreign keys
-- are switched off meanwhile (PRAGMA foreign_keys does nothing inside a transaction, hence
-- no-transaction above, and the rebuild in its own BEGIN … COMMIT): otherwise dropping the
-- old table would check every row that refers to it. The other tables' REFERENCES name the
-- table, not its storage, so they hold again once it is renamed back. No trigger or view
-- refers to these tables.
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
    user_type_id INTEGER NOT NULL,
    status TEXT NOT NULL
        CONSTRAINT users_status_known CHECK (status IN ('active', 'pending', 'archived')),
    department_id INTEGER REFERENCES departments(id),
    region_id INTEGER REFERENCES regions(id),
    approver_id INTEGER REFERENCES users(id),
    approver_role TEXT NOT NULL,
    notifier_2_id INTEGER REFERENCES users(id),
    notifier_2_role TEXT NOT NULL,
    notifier_3_id INTEGER REFERENCES users(id),
    notifier_3_role TEXT NOT NULL,
    manager_id INTEGER REFERENCES users(id),
    job_title TEXT,
    employment_start_date TEXT,
    employment_end_date TEXT,
    working_days TEXT NOT NULL,
    holiday_country TEXT,
    holiday_subdivision TEXT,
    time_zone TEXT,
    allowance_unit TEXT NOT NULL,
    hourly_rate_cents INTEGER,
    hours_max_minutes INTEGER,
    hours_preferred_minutes INTEGER,
    employment_type TEXT,
    notes TEXT,
    is_hidden INTEGER NOT NULL,
    is_private INTEGER NOT NULL,
    is_payroll INTEGER NOT NULL,
    is_trusted INTEGER NOT NULL,
    email_type TEXT NOT NULL,
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

CREATE TABLE leave_requests_checked (
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
COMMIT;
PRAGMA foreign_keys = ON;
