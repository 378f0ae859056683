-- A company's schedule version: a number that every write to what a schedule read shows
-- moves on, in the same transaction, whichever path writes it (the shifts, their breaks,
-- repeating shifts and their exceptions, locations' time zones, the company's zone and
-- owner, and what decides who sees whose shift: a user's department, visibility and
-- approvers). `schedule::cache` keeps a rendered read only while the version it was read
-- at is the latest, so a read on one server sees a change made through another.
-- Written by triggers, as an upsert (a company's row appears with its first change).
CREATE TABLE schedule_versions (
    company_id BIGINT PRIMARY KEY REFERENCES companies(id),
    version BIGINT NOT NULL
);

CREATE FUNCTION bump_schedule_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        INSERT INTO schedule_versions (company_id, version) VALUES (OLD.company_id, 1)
        ON CONFLICT (company_id) DO UPDATE SET version = schedule_versions.version + 1;
    END IF;
    IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.company_id <> OLD.company_id) THEN
        INSERT INTO schedule_versions (company_id, version) VALUES (NEW.company_id, 1)
        ON CONFLICT (company_id) DO UPDATE SET version = schedule_versions.version + 1;
    END IF;
    RETURN NULL;
END
$$;

CREATE FUNCTION bump_company_schedule_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO schedule_versions (company_id, version) VALUES (NEW.id, 1)
        ON CONFLICT (company_id) DO UPDATE SET version = schedule_versions.version + 1;
    RETURN NULL;
END
$$;

CREATE TRIGGER shifts_schedule_version AFTER INSERT OR UPDATE OR DELETE ON shifts
    FOR EACH ROW EXECUTE FUNCTION bump_schedule_version();

CREATE TRIGGER shift_breaks_schedule_version AFTER INSERT OR UPDATE OR DELETE ON shift_breaks
    FOR EACH ROW EXECUTE FUNCTION bump_schedule_version();

CREATE TRIGGER shift_chains_schedule_version AFTER INSERT OR UPDATE OR DELETE ON shift_chains
    FOR EACH ROW EXECUTE FUNCTION bump_schedule_version();

CREATE TRIGGER shift_chain_exceptions_schedule_version AFTER INSERT OR UPDATE OR DELETE ON shift_chain_exceptions
    FOR EACH ROW EXECUTE FUNCTION bump_schedule_version();

CREATE TRIGGER locations_schedule_version AFTER INSERT OR UPDATE OR DELETE ON locations
    FOR EACH ROW EXECUTE FUNCTION bump_schedule_version();

-- A person is neither added nor removed while they hold shifts; what changes is who sees
-- their shifts.
CREATE TRIGGER users_schedule_version AFTER UPDATE OF company_id, department_id, is_hidden, approver_id, approver_role, notifier_2_id, notifier_2_role, notifier_3_id, notifier_3_role ON users
    FOR EACH ROW WHEN (OLD.company_id IS DISTINCT FROM NEW.company_id OR OLD.department_id IS DISTINCT FROM NEW.department_id OR OLD.is_hidden IS DISTINCT FROM NEW.is_hidden OR OLD.approver_id IS DISTINCT FROM NEW.approver_id OR OLD.approver_role IS DISTINCT FROM NEW.approver_role OR OLD.notifier_2_id IS DISTINCT FROM NEW.notifier_2_id OR OLD.notifier_2_role IS DISTINCT FROM NEW.notifier_2_role OR OLD.notifier_3_id IS DISTINCT FROM NEW.notifier_3_id OR OLD.notifier_3_role IS DISTINCT FROM NEW.notifier_3_role)
    EXECUTE FUNCTION bump_schedule_version();

CREATE TRIGGER companies_schedule_version AFTER UPDATE OF owner_id, time_zone ON companies
    FOR EACH ROW WHEN (OLD.owner_id IS DISTINCT FROM NEW.owner_id OR OLD.time_zone IS DISTINCT FROM NEW.time_zone)
    EXECUTE FUNCTION bump_company_schedule_version();
