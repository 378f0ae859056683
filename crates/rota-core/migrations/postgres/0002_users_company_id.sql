-- The user list pages by id within a company (`company_id = $1 AND id > $2 ORDER BY id`).
-- Without an index that serves both, SQLite picked one of the (company_id, …) indexes and
-- sorted every user of the company for each page.
CREATE INDEX users_company_id ON users(company_id, id);
