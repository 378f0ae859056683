-- Payroll: a company's pay-period rule and overtime thresholds, and the rates positions
-- pay (rota_core::payroll).
-- One row per company that set its rule; a company without one pays weekly from
-- 2024-01-01 with no overtime, the defaults of rota_core::payroll::PayrollSettings.
CREATE TABLE payroll_settings (
    company_id INTEGER PRIMARY KEY REFERENCES companies(id),
    frequency TEXT NOT NULL
        CONSTRAINT payroll_settings_frequency_known CHECK (frequency IN ('weekly', 'fortnightly', 'semi_monthly', 'monthly')),
    -- The day the first period starts (YYYY-MM-DD).
    first_day TEXT NOT NULL,
    -- Minutes past which worked time is overtime; 0: that threshold is off.
    daily_overtime_minutes INTEGER NOT NULL
        CONSTRAINT payroll_settings_daily_overtime_range CHECK (daily_overtime_minutes BETWEEN 0 AND 1440),
    weekly_overtime_minutes INTEGER NOT NULL
        CONSTRAINT payroll_settings_weekly_overtime_range CHECK (weekly_overtime_minutes BETWEEN 0 AND 10080),
    week_starts_on TEXT NOT NULL
        CONSTRAINT payroll_settings_week_starts_on_known CHECK (week_starts_on IN ('monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday')),
    -- Overtime pay as a percentage of the hourly rate (150: time and a half).
    overtime_multiplier INTEGER NOT NULL
        CONSTRAINT payroll_settings_overtime_multiplier_range CHECK (overtime_multiplier BETWEEN 100 AND 1000),
    updated_at INTEGER NOT NULL,
    -- A half month starts on the 1st or the 16th.
    CONSTRAINT payroll_settings_semi_monthly_day CHECK (frequency <> 'semi_monthly' OR substr(first_day, 9, 2) IN ('01', '16'))
);

-- A position's hourly rate in cents, paid where the user has no rate of their own
-- (rota_core::payroll::rates); users keep theirs in users and user_positions.
ALTER TABLE positions ADD COLUMN hourly_rate_cents INTEGER
    CONSTRAINT positions_hourly_rate_not_negative CHECK (hourly_rate_cents >= 0);

-- A company's payroll periods, cut from its rule: the current and the next exist whenever
-- periods are listed (rota_core::payroll::period). Both days are included (YYYY-MM-DD).
CREATE TABLE payroll_periods (
    id INTEGER PRIMARY KEY,
    company_id INTEGER NOT NULL REFERENCES companies(id),
    start_date TEXT NOT NULL,
    end_date TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    CONSTRAINT payroll_periods_ordered CHECK (end_date >= start_date)
);
-- One period per start: cutting the same period twice at once leaves one row.
CREATE UNIQUE INDEX payroll_periods_start ON payroll_periods(company_id, start_date);
