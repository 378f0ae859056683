-- Closing a payroll period (rota_core::payroll::close): a period is open, then closed
-- (its hours frozen in payroll_period_hours, time entries on its days refused), reopened
-- by a super user or finalised, which is final.
ALTER TABLE payroll_periods ADD COLUMN status TEXT NOT NULL DEFAULT 'open'
    CONSTRAINT payroll_periods_status_known CHECK (status IN ('open', 'closed', 'finalised'));
ALTER TABLE payroll_periods ADD COLUMN closed_at INTEGER;
ALTER TABLE payroll_periods ADD COLUMN closed_by INTEGER REFERENCES users(id);
ALTER TABLE payroll_periods ADD COLUMN finalised_at INTEGER;

-- The hours of a closed period as they were when it closed: one row per person and type
-- (regular, overtime, paid_leave, holiday), in minutes, the hourly rate that paid them and
-- their cost, both in cents. Written whole when a period closes, removed when it reopens.
CREATE TABLE payroll_period_hours (
    company_id INTEGER NOT NULL REFERENCES companies(id),
    period_id INTEGER NOT NULL REFERENCES payroll_periods(id),
    user_id INTEGER NOT NULL REFERENCES users(id),
    type TEXT NOT NULL
        CONSTRAINT payroll_period_hours_type_known CHECK (type IN ('regular', 'overtime', 'paid_leave', 'holiday')),
    minutes INTEGER NOT NULL,
    rate_cents INTEGER NOT NULL,
    cost_cents INTEGER NOT NULL,
    PRIMARY KEY (company_id, period_id, user_id, type)
);

-- A close looks for the entries of its days that are not approved (running ones never
-- are): few, once a period is settled, so they have an index of their own.
CREATE INDEX time_entries_unapproved ON time_entries(company_id, start_at) WHERE approved_at IS NULL;
