-- The status columns accept only the statuses Rota knows (people/types.rs `UserStatus`,
-- leave/request.rs `RequestStatus`), so a bad write fails in the database, not later when
-- a reader decodes the row. (SQLite rebuilds its tables for the same constraints.)
ALTER TABLE users ADD CONSTRAINT users_status_known
    CHECK (status IN ('active', 'pending', 'archived'));
ALTER TABLE leave_requests ADD CONSTRAINT leave_requests_status_known
    CHECK (status IN ('pending', 'approved', 'declined', 'cancelled'));
