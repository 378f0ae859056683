//! What every change to a time entry starts from: whose entry it is (as the policy sees
//! them), the references it names, and the check that reads the user's other entries
//! (no overlap, one running entry), made after the user is locked.

use sqlx::{AnyConnection, AssertSqlSafe};

use super::rules::Stretch;
use crate::company;
use crate::db::Tx;
use crate::error::{Error, Result, code};
use crate::org::{self, Kind};
use crate::people::view::facts;
use crate::policy::{Action, Actor, Target, UserFacts, may};
use crate::validate;

/// The most cash tips an entry declares, in cents.
pub const MAX_CASH_TIPS: i64 = 100_000_000;

/// `user_id` as the policy sees them, when the actor may see them at all; otherwise the
/// answer an absent user gets, naming `field` (or the entry, for an entry's user).
pub(crate) async fn person(
    conn: &mut AnyConnection,
    actor: &Actor,
    user_id: i64,
    absent: Error,
) -> Result<UserFacts> {
    let company = company::load(&mut *conn, actor.company_id).await?;
    let Some(record) = crate::people::service::load(conn, actor.company_id, user_id).await? else {
        return Err(absent);
    };
    let facts = facts(&record, company.owner_id);
    if may(actor, Action::ViewUser, Target::User(&facts)) {
        Ok(facts)
    } else {
        Err(absent)
    }
}

/// Refuses unless `actor` may `action` on `user`.
pub(crate) fn allow(actor: &Actor, action: Action, user: &UserFacts) -> Result<()> {
    if may(actor, action, Target::User(user)) {
        Ok(())
    } else {
        Err(Error::forbidden(match action {
            Action::ClockTime => "you may clock only yourself in and out",
            Action::ApproveTime => "you may not approve this user's time",
            _ => "you may not manage this user's time",
        }))
    }
}

/// Where and for what an entry was worked: each optional, each checked to be the
/// company's, and the shift to be the entry's person's.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Place {
    pub location_id: Option<i64>,
    pub position_id: Option<i64>,
    pub site_id: Option<i64>,
    pub shift_id: Option<i64>,
}

/// How early before its start a shift is found for someone clocking in: an hour.
pub const SHIFT_LEAD_SECONDS: i64 = 3600;

/// What a time entry takes from the shift it is worked for.
#[derive(Debug, Clone, Copy, sqlx::FromRow)]
pub(crate) struct ShiftFacts {
    pub id: i64,
    pub user_id: Option<i64>,
    pub location_id: i64,
    pub position_id: Option<i64>,
    pub site_id: Option<i64>,
}

const SHIFT_FACTS: &str = "SELECT id, user_id, location_id, position_id, site_id FROM shifts";

impl Place {
    /// Fails with 404 naming the field of a place the company does not have. The shift is
    /// checked where it is named ([`held_shift`]).
    pub async fn check(&self, tx: &mut Tx, company_id: i64) -> Result<()> {
        for (kind, id, field) in [
            (Kind::Location, self.location_id, "location_id"),
            (Kind::Position, self.position_id, "position_id"),
            (Kind::Site, self.site_id, "site_id"),
        ] {
            org::ensure_exists(tx, kind, company_id, id, field).await?;
        }
        Ok(())
    }

    /// This place, what it leaves open taken from `shift`.
    pub fn or_of(self, shift: &ShiftFacts) -> Self {
        Self {
            location_id: self.location_id.or(Some(shift.location_id)),
            position_id: self.position_id.or(shift.position_id),
            site_id: self.site_id.or(shift.site_id),
            shift_id: Some(shift.id),
        }
    }
}

/// Shift `id` of the company, not deleted, held by `user_id`: 404 on `shift_id` for
/// one the company does not have, 409 `shift_not_theirs` for someone else's.
pub(crate) async fn held_shift(
    tx: &mut Tx,
    company_id: i64,
    id: i64,
    user_id: i64,
) -> Result<ShiftFacts> {
    let shift: ShiftFacts = sqlx::query_as(AssertSqlSafe(format!(
        "{SHIFT_FACTS} WHERE company_id = $1 AND id = $2 AND deleted_at IS NULL"
    )))
    .bind(company_id)
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?
    .ok_or_else(|| Error::unknown_reference("shift", "shift_id"))?;
    if shift.user_id != Some(user_id) {
        return Err(Error::conflict(
            code::SHIFT_NOT_THEIRS,
            Some("shift_id"),
            "the shift is not this person's: an entry is worked for one of its own person's shifts",
        ));
    }
    Ok(shift)
}

/// The published shift of `user_id` under way at `at`, or starting within
/// [`SHIFT_LEAD_SECONDS`] of it (the earliest, when several are).
pub(crate) async fn shift_at(
    tx: &mut Tx,
    company_id: i64,
    user_id: i64,
    at: i64,
) -> Result<Option<ShiftFacts>> {
    Ok(sqlx::query_as(AssertSqlSafe(format!(
        "{SHIFT_FACTS} WHERE company_id = $1 AND user_id = $2 AND starts_at <= $3 AND ends_at > $4 \
         AND published = 1 AND deleted_at IS NULL ORDER BY starts_at, id LIMIT 1"
    )))
    .bind(company_id)
    .bind(user_id)
    .bind(at + SHIFT_LEAD_SECONDS)
    .bind(at)
    .fetch_optional(&mut **tx)
    .await?)
}

/// Notes on an entry: at most 500 characters, blank for none.
pub(crate) fn notes(value: Option<&str>) -> Result<Option<String>> {
    validate::optional_text("notes", value, 500)
}

pub(crate) fn cash_tips(value: i64) -> Result<i64> {
    validate::within("cash_tips", value, 0, MAX_CASH_TIPS)
}

/// Refuses `entry` for `user_id` when another of their entries (not `except`) runs while
/// this one would too (`already_clocked_in`) or shares any moment with it
/// (`time_entry_overlap`). Call it with the user locked.
pub(crate) async fn check_free(
    tx: &mut Tx,
    company_id: i64,
    user_id: i64,
    entry: Stretch,
    except: Option<i64>,
) -> Result<()> {
    let except = except.unwrap_or(0);
    if entry.end.is_none() {
        let running: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM time_entries WHERE company_id = $1 AND user_id = $2 AND end_at IS NULL AND id <> $3",
        )
        .bind(company_id)
        .bind(user_id)
        .bind(except)
        .fetch_optional(&mut **tx)
        .await?;
        if running.is_some() {
            return Err(already_clocked_in());
        }
    }
    let clash: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM time_entries WHERE company_id = $1 AND user_id = $2 AND id <> $3 \
         AND start_at < $4 AND (end_at IS NULL OR end_at > $5) ORDER BY start_at LIMIT 1",
    )
    .bind(company_id)
    .bind(user_id)
    .bind(except)
    .bind(entry.end.unwrap_or(i64::MAX))
    .bind(entry.start)
    .fetch_optional(&mut **tx)
    .await?;
    match clash {
        Some(id) => Err(Error::conflict(
            code::TIME_ENTRY_OVERLAP,
            Some("start_time"),
            format!("this overlaps time entry {id} of the same user"),
        )),
        None => Ok(()),
    }
}

pub(crate) fn already_clocked_in() -> Error {
    Error::conflict(
        code::ALREADY_CLOCKED_IN,
        None,
        "the user is clocked in already: clock out first",
    )
}

/// The running entry's absence, when clocking out or taking a break.
pub(crate) fn not_clocked_in() -> Error {
    Error::conflict(code::NOT_CLOCKED_IN, None, "you are not clocked in")
}

/// Maps the one-running-entry index's violation (a race the lock should prevent) to
/// `already_clocked_in`; any other error is converted as `?` would.
pub(crate) fn on_second_running(error: sqlx::Error) -> Error {
    match &error {
        sqlx::Error::Database(db) if db.is_unique_violation() => already_clocked_in(),
        _ => Error::from(error),
    }
}
