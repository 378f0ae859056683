//! Rules that check, then write: each names the row that owns its invariant and locks it
//! here, inside the transaction that checks and writes, before it checks.
//!
//! On PostgreSQL a READ COMMITTED transaction takes a fresh snapshot for every statement,
//! so once the owner's row is locked, the check that follows sees everything committed by
//! whoever held the lock before: two requests that would both pass the check now run one
//! after the other. On SQLite [`crate::db::Db::begin_write`] already holds the database's
//! one write lock for the whole transaction, so there is nothing more to take.
//!
//! The lock is `FOR NO KEY UPDATE`: it excludes other lockers and writers of the row but
//! not the `KEY SHARE` lock that a foreign-key check takes, so inserting a row that refers
//! to the owner (a leave request naming its user) never waits for it and cannot deadlock
//! with it. See docs/architecture.md, "Rules that check, then write".

use sqlx::AssertSqlSafe;

use crate::db::Tx;
use crate::error::Result;

/// A row that owns an invariant. The order of the variants is the order locks are taken
/// in, so that two transactions needing several owners never wait for each other in a
/// cycle: the company first, then departments, then users, then shifts, each kind by
/// ascending id (allowances, locked by [`crate::leave::allowance::lock`] when balances
/// move, come after all of these).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Owner {
    /// What the whole company holds once: its payroll periods, which never overlap and
    /// which close, reopen and finalise one at a time.
    Company,
    /// The company's closed payroll periods as a time-entry write sees them: the company's
    /// row held *shared* (`FOR SHARE`), so writes never wait for one another, only for a
    /// payroll period closing, reopening or finalising (which lock [`Owner::Company`]), and
    /// a period cannot close between a write's check that its day is open and its commit.
    PayrollPeriods,
    /// A department's staffing: how many of its people may be away on a day.
    Department(i64),
    /// A person's own calendar (no overlapping leave) and their sign-in failures.
    User(i64),
    /// A shift's one holder: an open shift is taken by one person only.
    Shift(i64),
}

impl Owner {
    /// The row's table, the column naming its company, and its id (`company_id` for the
    /// company itself, whose row is its own company).
    fn row(self, company_id: i64) -> (&'static str, &'static str, i64) {
        match self {
            Owner::Company | Owner::PayrollPeriods => ("companies", "id", company_id),
            Owner::Department(id) => ("departments", "company_id", id),
            Owner::User(id) => ("users", "company_id", id),
            Owner::Shift(id) => ("shifts", "company_id", id),
        }
    }
}

/// The owners to lock, sorted into lock order without repeats.
fn lock_order(owners: impl IntoIterator<Item = Owner>) -> Vec<Owner> {
    let mut owners: Vec<Owner> = owners.into_iter().collect();
    owners.sort_unstable();
    owners.dedup();
    owners
}

/// The clause that ends a `SELECT` reading rows to change in `tx`: `FOR NO KEY UPDATE` on
/// PostgreSQL, nothing on SQLite (whose write lock the transaction already holds). Every
/// row lock in Rota is taken with it, here and where a row is read to be changed
/// ([`crate::leave::allowance::lock`]).
pub(crate) fn for_update(tx: &Tx) -> &'static str {
    if tx.backend_name() == "PostgreSQL" {
        " FOR NO KEY UPDATE"
    } else {
        ""
    }
}

/// The clause that ends a `SELECT` reading a row that `tx` will delete unless something
/// refers to it: `FOR UPDATE` on PostgreSQL, nothing on SQLite. It waits for every
/// transaction that has written a reference to the row (a foreign-key check holds the row
/// `FOR KEY SHARE`) and keeps new ones out, so the count of references that follows sees
/// them all. See docs/architecture.md, "A row deleted unless it is in use".
pub(crate) fn for_delete(tx: &Tx) -> &'static str {
    if tx.backend_name() == "PostgreSQL" {
        " FOR UPDATE"
    } else {
        ""
    }
}

/// The clause that ends a `SELECT` checking that a row a write is about to refer to
/// exists: `FOR KEY SHARE` on PostgreSQL (the lock the foreign-key check would take
/// anyway, taken before the check rather than after it), nothing on SQLite. A delete of
/// that row holding [`for_delete`] is waited for, so the check sees it gone.
pub(crate) fn for_reference(tx: &Tx) -> &'static str {
    if tx.backend_name() == "PostgreSQL" {
        " FOR KEY SHARE"
    } else {
        ""
    }
}

/// Locks every row in `owners` (of `company_id`) until `tx` ends. Call it once per
/// transaction, with every owner the transaction's rules need, before the first check.
pub(crate) async fn lock(
    tx: &mut Tx,
    company_id: i64,
    owners: impl IntoIterator<Item = Owner>,
) -> Result<()> {
    let clause = for_update(tx);
    if clause.is_empty() {
        return Ok(());
    }
    for owner in lock_order(owners) {
        let (table, company_column, id) = owner.row(company_id);
        let clause = if owner == Owner::PayrollPeriods {
            " FOR SHARE"
        } else {
            clause
        };
        sqlx::query(AssertSqlSafe(format!(
            "SELECT id FROM {table} WHERE {company_column} = $1 AND id = $2{clause}"
        )))
        .bind(company_id)
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_company_comes_first_then_its_payroll_periods_departments_users_and_shifts_each_by_ascending_id()
     {
        let order = lock_order([
            Owner::Shift(1),
            Owner::Company,
            Owner::User(9),
            Owner::PayrollPeriods,
            Owner::Department(4),
            Owner::User(2),
            Owner::User(9),
            Owner::Department(1),
        ]);
        assert_eq!(
            order,
            [
                Owner::Company,
                Owner::PayrollPeriods,
                Owner::Department(1),
                Owner::Department(4),
                Owner::User(2),
                Owner::User(9),
                Owner::Shift(1)
            ]
        );
    }
}
