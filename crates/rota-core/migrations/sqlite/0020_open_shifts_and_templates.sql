-- Open shifts that need a manager's approval (schedule/open_requests): a shift flag; the
-- company's schedule settings (whether new open shifts require approval by default, and
-- which conflicts are warnings rather than refusals; a company without a row keeps the
-- defaults: no approval, every conflict refused); one approval request per shift, holding
-- the bids of the people who asked to take it. A request's stored status is pending,
-- approved, cancelled or denied; `expired` (the shift started while it was pending) and
-- `cancelled` (the shift deleted, taken by other means or no longer needing approval)
-- are also worked out when it is read. And shift templates (When I Work's blocks): a
-- start and end time of day (an end not after the start ends the next day), breaks, and
-- the position, location, site, colour and notes a shift made from one takes by default.
ALTER TABLE shifts ADD COLUMN requires_approval INTEGER NOT NULL DEFAULT 0;

CREATE TABLE schedule_settings (
    company_id INTEGER PRIMARY KEY REFERENCES companies(id),
    open_shifts_require_approval INTEGER NOT NULL,
    warn_shift_overlap INTEGER NOT NULL,
    warn_shift_over_leave INTEGER NOT NULL,
    warn_business_closed INTEGER NOT NULL,
    warn_outside_availability INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE TABLE open_shift_requests (
    id INTEGER PRIMARY KEY,
    company_id INTEGER NOT NULL REFERENCES companies(id),
    shift_id INTEGER NOT NULL REFERENCES shifts(id),
    status TEXT NOT NULL
        CONSTRAINT open_shift_requests_status_known CHECK (status IN ('pending', 'approved', 'cancelled', 'denied')),
    approved_user_id INTEGER REFERENCES users(id),
    created_by INTEGER NOT NULL REFERENCES users(id),
    updated_by INTEGER NOT NULL REFERENCES users(id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX open_shift_requests_shift ON open_shift_requests(company_id, shift_id);

CREATE TABLE open_shift_bids (
    id INTEGER PRIMARY KEY,
    company_id INTEGER NOT NULL REFERENCES companies(id),
    request_id INTEGER NOT NULL REFERENCES open_shift_requests(id),
    user_id INTEGER NOT NULL REFERENCES users(id),
    created_at INTEGER NOT NULL,
    withdrawn_at INTEGER
);
CREATE UNIQUE INDEX open_shift_bids_user ON open_shift_bids(company_id, request_id, user_id);
CREATE INDEX open_shift_bids_bidder ON open_shift_bids(company_id, user_id);

CREATE TABLE shift_templates (
    id INTEGER PRIMARY KEY,
    company_id INTEGER NOT NULL REFERENCES companies(id),
    name TEXT NOT NULL,
    start_time TEXT NOT NULL,
    end_time TEXT NOT NULL,
    location_id INTEGER REFERENCES locations(id),
    position_id INTEGER REFERENCES positions(id),
    site_id INTEGER REFERENCES sites(id),
    colour TEXT NOT NULL,
    notes TEXT,
    created_by INTEGER NOT NULL REFERENCES users(id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX shift_templates_company ON shift_templates(company_id, id);

CREATE TABLE shift_template_breaks (
    id INTEGER PRIMARY KEY,
    company_id INTEGER NOT NULL REFERENCES companies(id),
    template_id INTEGER NOT NULL REFERENCES shift_templates(id),
    sort INTEGER NOT NULL,
    length_minutes INTEGER NOT NULL,
    paid INTEGER NOT NULL,
    start_time TEXT
);
CREATE INDEX shift_template_breaks_template ON shift_template_breaks(company_id, template_id);
