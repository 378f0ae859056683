//! The time clock as its user works it: clock in, take and end breaks, clock out, and
//! the entry that runs now. Each locks the user, checks, writes, and ends in the tail.

use serde::Deserialize;
use sqlx::AssertSqlSafe;
use utoipa::ToSchema;

use super::plan::{self, Place, not_clocked_in};
use super::row::{self, COLUMNS, EntryRow, TimeEntry, View};
use super::rules::{self, Stretch};
use super::tail::{Change, finish};
use crate::db::{Db, Tx, now};
use crate::error::{Error, Result, code};
use crate::locks::{self, Owner};
use crate::payroll::guard;
use crate::policy::{Action, Actor};

/// Clocking in: where, and any notes.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClockInInput {
    /// Absent: the shift's (when it is worked for one), else none.
    pub location_id: Option<i64>,
    /// Absent: the shift's, else none.
    pub position_id: Option<i64>,
    /// Absent: the shift's, else none.
    pub site_id: Option<i64>,
    /// The shift worked for: one of the person's own. Absent: their published shift under
    /// way now or starting within the hour, if they have one.
    pub shift_id: Option<i64>,
    #[schema(value_type = Option<crate::openapi::OptionalText500>)]
    pub notes: Option<String>,
}

/// Clocking out: notes replace the entry's when given (blank clears them).
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClockOutInput {
    #[schema(value_type = Option<crate::openapi::OptionalText500>)]
    pub notes: Option<String>,
}

/// Refuses unless the actor may work the clock for themselves.
async fn may_clock(db: &Db, actor: &Actor) -> Result<()> {
    let mut conn = db.pool().acquire().await?;
    let me = plan::person(&mut conn, actor, actor.user_id, Error::not_found("user")).await?;
    plan::allow(actor, Action::ClockTime, &me)
}

/// Locks the actor in `tx` (and holds the payroll periods, which their entries' days
/// must keep open).
async fn lock_self(tx: &mut Tx, actor: &Actor) -> Result<()> {
    locks::lock(
        tx,
        actor.company_id,
        [Owner::PayrollPeriods, Owner::User(actor.user_id)],
    )
    .await
}

/// A write transaction with the actor locked, once they may work the clock.
async fn locked_self(db: &Db, actor: &Actor) -> Result<Tx> {
    may_clock(db, actor).await?;
    let mut tx = db.begin_write().await?;
    lock_self(&mut tx, actor).await?;
    Ok(tx)
}

/// The actor's running entry, read in `tx` with them locked: refused with
/// `not_clocked_in` when none runs, and with `payroll_period_closed` when it started on a
/// day of a closed payroll period.
async fn running_entry(tx: &mut Tx, actor: &Actor) -> Result<EntryRow> {
    let open = row::running(tx, actor.company_id, actor.user_id)
        .await?
        .ok_or_else(not_clocked_in)?;
    guard::ensure_open(tx, actor.company_id, &[open.start_at]).await?;
    Ok(open)
}

/// Starts an entry for the actor now. Refused with `already_clocked_in` while one runs.
pub async fn clock_in(db: &Db, actor: &Actor, input: ClockInInput) -> Result<TimeEntry> {
    may_clock(db, actor).await?;
    let notes = plan::notes(input.notes.as_deref())?;
    let place = Place {
        location_id: input.location_id,
        position_id: input.position_id,
        site_id: input.site_id,
        shift_id: input.shift_id,
    };
    let mut tx = db.begin_write().await?;
    lock_self(&mut tx, actor).await?;
    let stamp = now();
    let (company_id, user_id) = (actor.company_id, actor.user_id);
    let shift = match place.shift_id {
        Some(id) => Some(plan::held_shift(&mut tx, company_id, id, user_id).await?),
        None => plan::shift_at(&mut tx, company_id, user_id, stamp).await?,
    };
    let place = shift.as_ref().map_or(place, |shift| place.or_of(shift));
    place.check(&mut tx, company_id).await?;
    guard::ensure_open(&mut tx, actor.company_id, &[stamp]).await?;
    let entry = Stretch {
        start: stamp,
        end: None,
    };
    plan::check_free(&mut tx, actor.company_id, actor.user_id, entry, None).await?;
    let row: EntryRow = sqlx::query_as(AssertSqlSafe(format!(
        "INSERT INTO time_entries (company_id, user_id, start_at, end_at, location_id, position_id, site_id, shift_id, \
         notes, cash_tips, created_by, updated_by, created_at, updated_at) \
         VALUES ($1, $2, $3, NULL, $4, $5, $6, $7, $8, 0, $2, $2, $3, $3) RETURNING {COLUMNS}"
    )))
    .bind(actor.company_id)
    .bind(actor.user_id)
    .bind(stamp)
    .bind(place.location_id)
    .bind(place.position_id)
    .bind(place.site_id)
    .bind(place.shift_id)
    .bind(&notes)
    .fetch_one(&mut *tx)
    .await
    .map_err(plan::on_second_running)?;
    finish(tx, actor, &row, Change::Created).await
}

/// Ends the actor's running entry now, and its break if one runs. Refused with
/// `not_clocked_in` when none runs, and with `time_entry_too_long` past 24 hours (a
/// manager then sets its end).
pub async fn clock_out(db: &Db, actor: &Actor, input: ClockOutInput) -> Result<TimeEntry> {
    may_clock(db, actor).await?;
    let notes = input
        .notes
        .as_deref()
        .map(|n| plan::notes(Some(n)))
        .transpose()?;
    let mut tx = db.begin_write().await?;
    lock_self(&mut tx, actor).await?;
    let open = running_entry(&mut tx, actor).await?;
    let stamp = now().max(open.start_at);
    rules::check_entry(
        Stretch {
            start: open.start_at,
            end: Some(stamp),
        },
        "end_time",
    )?;
    close_break(&mut tx, &open, stamp).await?;
    let row: EntryRow = sqlx::query_as(AssertSqlSafe(format!(
        "UPDATE time_entries SET end_at = $1, notes = $2, updated_by = $3, updated_at = $1 \
         WHERE company_id = $4 AND id = $5 RETURNING {COLUMNS}"
    )))
    .bind(stamp)
    .bind(notes.unwrap_or_else(|| open.notes.clone()))
    .bind(actor.user_id)
    .bind(actor.company_id)
    .bind(open.id)
    .fetch_one(&mut *tx)
    .await?;
    finish(tx, actor, &row, Change::Updated).await
}

/// Ends the running break of `entry` at `at`; whether one ran.
async fn close_break(tx: &mut Tx, entry: &EntryRow, at: i64) -> Result<bool> {
    let closed = sqlx::query(
        "UPDATE time_entry_breaks SET end_at = CASE WHEN start_at > $1 THEN start_at ELSE $1 END \
         WHERE company_id = $2 AND time_entry_id = $3 AND end_at IS NULL",
    )
    .bind(at)
    .bind(entry.company_id)
    .bind(entry.id)
    .execute(&mut **tx)
    .await?;
    Ok(closed.rows_affected() > 0)
}

/// Starts a break in the actor's running entry now.
pub async fn start_break(db: &Db, actor: &Actor) -> Result<TimeEntry> {
    let mut tx = locked_self(db, actor).await?;
    let open = running_entry(&mut tx, actor).await?;
    let on_break: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM time_entry_breaks WHERE company_id = $1 AND time_entry_id = $2 AND end_at IS NULL",
    )
    .bind(actor.company_id)
    .bind(open.id)
    .fetch_optional(&mut *tx)
    .await?;
    if on_break.is_some() {
        return Err(Error::conflict(
            code::ALREADY_ON_BREAK,
            None,
            "you are on a break already",
        ));
    }
    // Never before the end of the last break, nor the entry's start.
    let last_end: Option<i64> = sqlx::query_scalar(
        "SELECT MAX(end_at) FROM time_entry_breaks WHERE company_id = $1 AND time_entry_id = $2",
    )
    .bind(actor.company_id)
    .bind(open.id)
    .fetch_one(&mut *tx)
    .await?;
    let stamp = now().max(open.start_at).max(last_end.unwrap_or(0));
    sqlx::query(
        "INSERT INTO time_entry_breaks (company_id, time_entry_id, start_at, end_at) VALUES ($1, $2, $3, NULL)",
    )
    .bind(actor.company_id)
    .bind(open.id)
    .bind(stamp)
    .execute(&mut *tx)
    .await?;
    let row = touch(&mut tx, actor, &open, stamp).await?;
    finish(tx, actor, &row, Change::Updated).await
}

/// Ends the running break of the actor's running entry now.
pub async fn end_break(db: &Db, actor: &Actor) -> Result<TimeEntry> {
    let mut tx = locked_self(db, actor).await?;
    let open = running_entry(&mut tx, actor).await?;
    let stamp = now();
    if !close_break(&mut tx, &open, stamp).await? {
        return Err(Error::conflict(
            code::NOT_ON_BREAK,
            None,
            "you are not on a break",
        ));
    }
    let row = touch(&mut tx, actor, &open, stamp).await?;
    finish(tx, actor, &row, Change::Updated).await
}

/// Marks `entry` changed by the actor at `at`.
async fn touch(tx: &mut Tx, actor: &Actor, entry: &EntryRow, at: i64) -> Result<EntryRow> {
    Ok(sqlx::query_as(AssertSqlSafe(format!(
        "UPDATE time_entries SET updated_by = $1, updated_at = $2 WHERE company_id = $3 AND id = $4 RETURNING {COLUMNS}"
    )))
    .bind(actor.user_id)
    .bind(at)
    .bind(entry.company_id)
    .bind(entry.id)
    .fetch_one(&mut **tx)
    .await?)
}

/// The actor's running entry, if they are clocked in.
pub async fn current(db: &Db, actor: &Actor) -> Result<Option<TimeEntry>> {
    let mut conn = db.pool().acquire().await?;
    let me = plan::person(&mut conn, actor, actor.user_id, Error::not_found("user")).await?;
    plan::allow(actor, Action::ViewTime, &me)?;
    let Some(open) = row::running(&mut conn, actor.company_id, actor.user_id).await? else {
        return Ok(None);
    };
    let view = View::load(&mut conn, actor.company_id).await?;
    let breaks = row::breaks_of_one(&mut conn, actor.company_id, open.id).await?;
    view.render(&open, &breaks).map(Some)
}
