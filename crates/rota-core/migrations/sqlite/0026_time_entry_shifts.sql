-- The shift a time entry was worked for (When I Work's `shift_id` on a time): named when
-- clocking in or by a manager, or found at clock-in (the person's published shift under
-- way or starting within the hour). Shifts are soft-deleted, so the link outlives a
-- deleted shift.
ALTER TABLE time_entries ADD COLUMN shift_id INTEGER REFERENCES shifts(id);
-- The entries worked for a shift.
CREATE INDEX time_entries_shift ON time_entries(company_id, shift_id) WHERE shift_id IS NOT NULL;
