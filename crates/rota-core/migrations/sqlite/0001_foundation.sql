-- Foundation: companies, people, organisation, sessions. Timestamps are Unix seconds (UTC),
-- dates are ISO 8601 text, flags are 0/1 integers: one representation on both engines.
CREATE TABLE companies (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    time_zone TEXT NOT NULL,
    week_start INTEGER NOT NULL,
    leave_year_start_month INTEGER NOT NULL,
    leave_year_start_day INTEGER NOT NULL,
    holiday_country TEXT,
    settings TEXT NOT NULL,
    owner_id INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE TABLE departments (
    id INTEGER PRIMARY KEY,
    company_id INTEGER NOT NULL REFERENCES companies(id),
    name TEXT NOT NULL,
    min_user INTEGER NOT NULL,
    max_user INTEGER,
    manager_id INTEGER,
    default_allowance INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX departments_name ON departments(company_id, name);

CREATE TABLE regions (
    id INTEGER PRIMARY KEY,
    company_id INTEGER NOT NULL REFERENCES companies(id),
    name TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX regions_name ON regions(company_id, name);

CREATE TABLE locations (
    id INTEGER PRIMARY KEY,
    company_id INTEGER NOT NULL REFERENCES companies(id),
    name TEXT NOT NULL,
    address TEXT,
    latitude REAL,
    longitude REAL,
    time_zone TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX locations_name ON locations(company_id, name);

CREATE TABLE sites (
    id INTEGER PRIMARY KEY,
    company_id INTEGER NOT NULL REFERENCES companies(id),
    location_id INTEGER NOT NULL REFERENCES locations(id),
    name TEXT NOT NULL,
    color TEXT,
    description TEXT,
    address TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX sites_location ON sites(company_id, location_id);

CREATE TABLE positions (
    id INTEGER PRIMARY KEY,
    company_id INTEGER NOT NULL REFERENCES companies(id),
    name TEXT NOT NULL,
    color TEXT,
    sort INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX positions_name ON positions(company_id, name);

CREATE TABLE tags (
    id INTEGER PRIMARY KEY,
    company_id INTEGER NOT NULL REFERENCES companies(id),
    name TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX tags_name ON tags(company_id, name);

CREATE TABLE users (
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
    status TEXT NOT NULL,
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
CREATE UNIQUE INDEX users_email ON users(company_id, email);
-- The user list pages by id within a company (company_id = $1 AND id > $2 ORDER BY id).
CREATE INDEX users_company_id ON users(company_id, id);
CREATE INDEX users_department ON users(company_id, department_id);
CREATE INDEX users_region ON users(company_id, region_id);
CREATE INDEX users_approver ON users(company_id, approver_id);
CREATE INDEX users_last_name ON users(company_id, last_name);
CREATE INDEX users_email_any ON users(email);

CREATE TABLE user_locations (
    company_id INTEGER NOT NULL,
    user_id INTEGER NOT NULL REFERENCES users(id),
    location_id INTEGER NOT NULL REFERENCES locations(id),
    PRIMARY KEY (company_id, user_id, location_id)
);
CREATE INDEX user_locations_location ON user_locations(company_id, location_id);

CREATE TABLE user_positions (
    company_id INTEGER NOT NULL,
    user_id INTEGER NOT NULL REFERENCES users(id),
    position_id INTEGER NOT NULL REFERENCES positions(id),
    hourly_rate_cents INTEGER,
    PRIMARY KEY (company_id, user_id, position_id)
);
CREATE INDEX user_positions_position ON user_positions(company_id, position_id);

CREATE TABLE user_tags (
    company_id INTEGER NOT NULL,
    user_id INTEGER NOT NULL REFERENCES users(id),
    tag_id INTEGER NOT NULL REFERENCES tags(id),
    PRIMARY KEY (company_id, user_id, tag_id)
);
CREATE INDEX user_tags_tag ON user_tags(company_id, tag_id);

CREATE TABLE sessions (
    id INTEGER PRIMARY KEY,
    company_id INTEGER NOT NULL REFERENCES companies(id),
    user_id INTEGER NOT NULL REFERENCES users(id),
    token_hash TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX sessions_token ON sessions(token_hash);

CREATE TABLE login_attempts (
    id INTEGER PRIMARY KEY,
    company_id INTEGER NOT NULL REFERENCES companies(id),
    user_id INTEGER NOT NULL REFERENCES users(id),
    succeeded INTEGER NOT NULL,
    device TEXT,
    at INTEGER NOT NULL
);
CREATE INDEX login_attempts_user ON login_attempts(company_id, user_id, at);

CREATE TABLE server_secrets (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
