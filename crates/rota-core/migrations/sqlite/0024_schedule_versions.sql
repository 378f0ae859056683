-- A company's schedule version: a number that every write to what a schedule read shows
-- moves on, in the same transaction, whichever path writes it (the shifts, their breaks,
-- repeating shifts and their exceptions, locations' time zones, the company's zone and
-- owner, and what decides who sees whose shift: a user's department, visibility and
-- approvers). `schedule::cache` keeps a rendered read only while the version it was read
-- at is the latest, so a read on one server sees a change made through another.
-- Written by triggers, as an upsert (a company's row appears with its first change).
CREATE TABLE schedule_versions (
    company_id INTEGER PRIMARY KEY REFERENCES companies(id),
    version INTEGER NOT NULL
);

-- shifts
CREATE TRIGGER shifts_schedule_version_insert AFTER INSERT ON shifts BEGIN
    INSERT INTO schedule_versions (company_id, version) VALUES (NEW.company_id, 1)
        ON CONFLICT (company_id) DO UPDATE SET version = schedule_versions.version + 1;
END;
CREATE TRIGGER shifts_schedule_version_delete AFTER DELETE ON shifts BEGIN
    INSERT INTO schedule_versions (company_id, version) VALUES (OLD.company_id, 1)
        ON CONFLICT (company_id) DO UPDATE SET version = schedule_versions.version + 1;
END;
CREATE TRIGGER shifts_schedule_version_update AFTER UPDATE ON shifts BEGIN
    INSERT INTO schedule_versions (company_id, version) VALUES (NEW.company_id, 1)
        ON CONFLICT (company_id) DO UPDATE SET version = schedule_versions.version + 1;
END;

-- shift_breaks
CREATE TRIGGER shift_breaks_schedule_version_insert AFTER INSERT ON shift_breaks BEGIN
    INSERT INTO schedule_versions (company_id, version) VALUES (NEW.company_id, 1)
        ON CONFLICT (company_id) DO UPDATE SET version = schedule_versions.version + 1;
END;
CREATE TRIGGER shift_breaks_schedule_version_delete AFTER DELETE ON shift_breaks BEGIN
    INSERT INTO schedule_versions (company_id, version) VALUES (OLD.company_id, 1)
        ON CONFLICT (company_id) DO UPDATE SET version = schedule_versions.version + 1;
END;
CREATE TRIGGER shift_breaks_schedule_version_update AFTER UPDATE ON shift_breaks BEGIN
    INSERT INTO schedule_versions (company_id, version) VALUES (NEW.company_id, 1)
        ON CONFLICT (company_id) DO UPDATE SET version = schedule_versions.version + 1;
END;

-- shift_chains
CREATE TRIGGER shift_chains_schedule_version_insert AFTER INSERT ON shift_chains BEGIN
    INSERT INTO schedule_versions (company_id, version) VALUES (NEW.company_id, 1)
        ON CONFLICT (company_id) DO UPDATE SET version = schedule_versions.version + 1;
END;
CREATE TRIGGER shift_chains_schedule_version_delete AFTER DELETE ON shift_chains BEGIN
    INSERT INTO schedule_versions (company_id, version) VALUES (OLD.company_id, 1)
        ON CONFLICT (company_id) DO UPDATE SET version = schedule_versions.version + 1;
END;
CREATE TRIGGER shift_chains_schedule_version_update AFTER UPDATE ON shift_chains BEGIN
    INSERT INTO schedule_versions (company_id, version) VALUES (NEW.company_id, 1)
        ON CONFLICT (company_id) DO UPDATE SET version = schedule_versions.version + 1;
END;

-- shift_chain_exceptions
CREATE TRIGGER shift_chain_exceptions_schedule_version_insert AFTER INSERT ON shift_chain_exceptions BEGIN
    INSERT INTO schedule_versions (company_id, version) VALUES (NEW.company_id, 1)
        ON CONFLICT (company_id) DO UPDATE SET version = schedule_versions.version + 1;
END;
CREATE TRIGGER shift_chain_exceptions_schedule_version_delete AFTER DELETE ON shift_chain_exceptions BEGIN
    INSERT INTO schedule_versions (company_id, version) VALUES (OLD.company_id, 1)
        ON CONFLICT (company_id) DO UPDATE SET version = schedule_versions.version + 1;
END;
CREATE TRIGGER shift_chain_exceptions_schedule_version_update AFTER UPDATE ON shift_chain_exceptions BEGIN
    INSERT INTO schedule_versions (company_id, version) VALUES (NEW.company_id, 1)
        ON CONFLICT (company_id) DO UPDATE SET version = schedule_versions.version + 1;
END;

-- locations
CREATE TRIGGER locations_schedule_version_insert AFTER INSERT ON locations BEGIN
    INSERT INTO schedule_versions (company_id, version) VALUES (NEW.company_id, 1)
        ON CONFLICT (company_id) DO UPDATE SET version = schedule_versions.version + 1;
END;
CREATE TRIGGER locations_schedule_version_delete AFTER DELETE ON locations BEGIN
    INSERT INTO schedule_versions (company_id, version) VALUES (OLD.company_id, 1)
        ON CONFLICT (company_id) DO UPDATE SET version = schedule_versions.version + 1;
END;
CREATE TRIGGER locations_schedule_version_update AFTER UPDATE ON locations BEGIN
    INSERT INTO schedule_versions (company_id, version) VALUES (NEW.company_id, 1)
        ON CONFLICT (company_id) DO UPDATE SET version = schedule_versions.version + 1;
END;

-- users: a person is neither added nor removed while they hold shifts; what changes
-- is who sees their shifts
CREATE TRIGGER users_schedule_version_update AFTER UPDATE OF company_id, department_id, is_hidden, approver_id, approver_role, notifier_2_id, notifier_2_role, notifier_3_id, notifier_3_role ON users
    WHEN OLD.company_id IS NOT NEW.company_id OR OLD.department_id IS NOT NEW.department_id OR OLD.is_hidden IS NOT NEW.is_hidden OR OLD.approver_id IS NOT NEW.approver_id OR OLD.approver_role IS NOT NEW.approver_role OR OLD.notifier_2_id IS NOT NEW.notifier_2_id OR OLD.notifier_2_role IS NOT NEW.notifier_2_role OR OLD.notifier_3_id IS NOT NEW.notifier_3_id OR OLD.notifier_3_role IS NOT NEW.notifier_3_role
BEGIN
    INSERT INTO schedule_versions (company_id, version) VALUES (NEW.company_id, 1)
        ON CONFLICT (company_id) DO UPDATE SET version = schedule_versions.version + 1;
END;
CREATE TRIGGER users_schedule_version_moved AFTER UPDATE OF company_id ON users
    WHEN OLD.company_id IS NOT NEW.company_id
BEGIN
    INSERT INTO schedule_versions (company_id, version) VALUES (OLD.company_id, 1)
        ON CONFLICT (company_id) DO UPDATE SET version = schedule_versions.version + 1;
END;

-- companies
CREATE TRIGGER companies_schedule_version_update AFTER UPDATE OF owner_id, time_zone ON companies
    WHEN OLD.owner_id IS NOT NEW.owner_id OR OLD.time_zone IS NOT NEW.time_zone
BEGIN
    INSERT INTO schedule_versions (company_id, version) VALUES (NEW.id, 1)
        ON CONFLICT (company_id) DO UPDATE SET version = schedule_versions.version + 1;
END;
