-- Every column whose values are a closed list in the Rust code accepts only that list (see
-- the SQLite migration of the same number for the list and its sources; SQLite rebuilds its
-- tables for the same constraints).
ALTER TABLE users ADD CONSTRAINT users_user_type_known
    CHECK (user_type_id IN (100, 200, 210, 220, 300, 310));
ALTER TABLE users ADD CONSTRAINT users_approver_role_known
    CHECK (approver_role IN ('none', 'approver_both', 'approver_leave', 'approver_overtime', 'notifier_both', 'notifier_leave', 'notifier_overtime'));
ALTER TABLE users ADD CONSTRAINT users_notifier_2_role_known
    CHECK (notifier_2_role IN ('none', 'approver_both', 'approver_leave', 'approver_overtime', 'notifier_both', 'notifier_leave', 'notifier_overtime'));
ALTER TABLE users ADD CONSTRAINT users_notifier_3_role_known
    CHECK (notifier_3_role IN ('none', 'approver_both', 'approver_leave', 'approver_overtime', 'notifier_both', 'notifier_leave', 'notifier_overtime'));
ALTER TABLE users ADD CONSTRAINT users_allowance_unit_known
    CHECK (allowance_unit IN ('days', 'hours'));
ALTER TABLE users ADD CONSTRAINT users_email_type_known
    CHECK (email_type IN ('none', 'text', 'html'));
ALTER TABLE leave_types ADD CONSTRAINT leave_types_kind_known
    CHECK (kind IN ('leave', 'overtime'));
ALTER TABLE leave_types ADD CONSTRAINT leave_types_unit_known
    CHECK (unit IN ('days', 'hours'));
ALTER TABLE leave_types ADD CONSTRAINT leave_types_notes_visible_to_known
    CHECK (notes_visible_to IN (100, 200, 210, 220, 300, 310));
ALTER TABLE leave_types ADD CONSTRAINT leave_types_available_to_known
    CHECK (available_to IN (100, 200, 210, 220, 300, 310));
ALTER TABLE leave_types ADD CONSTRAINT leave_types_seen_by_known
    CHECK (seen_by IN (100, 200, 210, 220, 300, 310));
ALTER TABLE allowances ADD CONSTRAINT allowances_unit_known
    CHECK (unit IN ('days', 'hours'));
ALTER TABLE leave_requests ADD CONSTRAINT leave_requests_start_part_known
    CHECK (start_part IN ('full', 'morning', 'afternoon'));
ALTER TABLE leave_requests ADD CONSTRAINT leave_requests_end_part_known
    CHECK (end_part IN ('full', 'morning', 'afternoon'));
ALTER TABLE leave_requests ADD CONSTRAINT leave_requests_unit_known
    CHECK (unit IN ('days', 'hours'));
ALTER TABLE annotations ADD CONSTRAINT annotations_kind_known
    CHECK (kind IN ('business_closed', 'no_time_off', 'announcement'));
ALTER TABLE ical_feeds ADD CONSTRAINT ical_feeds_scope_known
    CHECK (scope IN ('user', 'department', 'company'));
ALTER TABLE api_clients ADD CONSTRAINT api_clients_role_ceiling_known
    CHECK (role_ceiling IN (100, 200, 210, 220, 300, 310));
ALTER TABLE api_keys ADD CONSTRAINT api_keys_role_ceiling_known
    CHECK (role_ceiling IN (100, 200, 210, 220, 300, 310));
ALTER TABLE mfa_challenges ADD CONSTRAINT mfa_challenges_purpose_known
    CHECK (purpose IN ('verify', 'enrol'));
