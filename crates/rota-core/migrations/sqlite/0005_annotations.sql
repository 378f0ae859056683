-- Annotations (business closed, no time off, announcement) for the company, a location or
-- a department; and the company's own holidays and overrides of public ones.
CREATE TABLE annotations (
    id INTEGER PRIMARY KEY,
    company_id INTEGER NOT NULL REFERENCES companies(id),
    kind TEXT NOT NULL,
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
CREATE INDEX annotations_dates ON annotations(company_id, start_date, end_date);

CREATE TABLE company_holidays (
    id INTEGER PRIMARY KEY,
    company_id INTEGER NOT NULL REFERENCES companies(id),
    date TEXT NOT NULL,
    name TEXT NOT NULL,
    country TEXT,
    working_day INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX company_holidays_day ON company_holidays(company_id, date, name);
