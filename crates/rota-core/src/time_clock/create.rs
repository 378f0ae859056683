//! A manager makes a time entry for someone they manage: its times, its breaks and where
//! it was worked, checked, then written under the user's lock.

use serde::Deserialize;
use sqlx::AssertSqlSafe;
use utoipa::ToSchema;

use super::plan::{self, Place};
use super::row::{COLUMNS, EntryRow, TimeEntry};
use super::rules::{self, Stretch};
use super::tail::{Change, finish};
use crate::db::{Db, Tx, now};
use crate::error::{Error, Result};
use crate::locks::{self, Owner};
use crate::payroll::guard;
use crate::policy::{Action, Actor};
use crate::validate;

/// A break as a manager writes it. Named `TimeBreakInput` in the OpenAPI document, apart
/// from a shift's scheduled `BreakInput`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[schema(as = TimeBreakInput)]
#[serde(deny_unknown_fields)]
pub struct BreakInput {
    #[schema(value_type = crate::openapi::Instant)]
    pub start_time: String,
    /// Absent only for the last break of a running entry.
    #[schema(value_type = Option<crate::openapi::Instant>)]
    pub end_time: Option<String>,
}

/// A new time entry.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TimeEntryInput {
    /// Whose time it is.
    pub user_id: i64,
    #[schema(value_type = crate::openapi::Instant)]
    pub start_time: String,
    /// Absent for an entry that still runs (the user is clocked in). At most 24 hours
    /// after `start_time`, never before it.
    #[schema(value_type = Option<crate::openapi::Instant>)]
    pub end_time: Option<String>,
    pub location_id: Option<i64>,
    pub position_id: Option<i64>,
    pub site_id: Option<i64>,
    /// The shift it was worked for: one of `user_id`'s own.
    pub shift_id: Option<i64>,
    #[schema(value_type = Option<crate::openapi::OptionalText500>)]
    pub notes: Option<String>,
    #[schema(value_type = Option<crate::openapi::CashTips>)]
    pub cash_tips: Option<i64>,
    /// Breaks inside the entry, none overlapping another.
    pub breaks: Option<Vec<BreakInput>>,
}

/// Breaks read from input, in order of start.
pub(crate) fn parse_breaks(input: &[BreakInput]) -> Result<Vec<Stretch>> {
    let mut breaks = input
        .iter()
        .map(|b| {
            Ok(Stretch {
                start: validate::instant("breaks", &b.start_time)?,
                end: b
                    .end_time
                    .as_deref()
                    .map(|end| validate::instant("breaks", end))
                    .transpose()?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    breaks.sort_by_key(|b| b.start);
    Ok(breaks)
}

/// Writes `breaks` as the breaks of entry `id`, in place of any it had.
pub(crate) async fn store_breaks(
    tx: &mut Tx,
    company_id: i64,
    id: i64,
    breaks: &[Stretch],
) -> Result<()> {
    sqlx::query("DELETE FROM time_entry_breaks WHERE company_id = $1 AND time_entry_id = $2")
        .bind(company_id)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    for b in breaks {
        sqlx::query(
            "INSERT INTO time_entry_breaks (company_id, time_entry_id, start_at, end_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(company_id)
        .bind(id)
        .bind(b.start)
        .bind(b.end)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// Makes an entry for a user the actor manages (super users: anyone).
pub async fn create(db: &Db, actor: &Actor, input: TimeEntryInput) -> Result<TimeEntry> {
    let mut conn = db.pool().acquire().await?;
    let user = plan::person(
        &mut conn,
        actor,
        input.user_id,
        Error::unknown_reference("user", "user_id"),
    )
    .await?;
    drop(conn);
    plan::allow(actor, Action::ManageTime, &user)?;
    let entry = Stretch {
        start: validate::instant("start_time", &input.start_time)?,
        end: input
            .end_time
            .as_deref()
            .map(|end| validate::instant("end_time", end))
            .transpose()?,
    };
    rules::check_entry(entry, "end_time")?;
    let breaks = parse_breaks(input.breaks.as_deref().unwrap_or_default())?;
    rules::check_breaks(entry, &breaks)?;
    let notes = plan::notes(input.notes.as_deref())?;
    let cash_tips = plan::cash_tips(input.cash_tips.unwrap_or(0))?;
    let place = Place {
        location_id: input.location_id,
        position_id: input.position_id,
        site_id: input.site_id,
        shift_id: input.shift_id,
    };
    let mut tx = db.begin_write().await?;
    locks::lock(
        &mut tx,
        actor.company_id,
        [Owner::PayrollPeriods, Owner::User(user.id)],
    )
    .await?;
    guard::ensure_open(&mut tx, actor.company_id, &[entry.start]).await?;
    place.check(&mut tx, actor.company_id).await?;
    if let Some(id) = place.shift_id {
        plan::held_shift(&mut tx, actor.company_id, id, user.id).await?;
    }
    plan::check_free(&mut tx, actor.company_id, user.id, entry, None).await?;
    let row: EntryRow = sqlx::query_as(AssertSqlSafe(format!(
        "INSERT INTO time_entries (company_id, user_id, start_at, end_at, location_id, position_id, site_id, shift_id, \
         notes, cash_tips, created_by, updated_by, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11, $12, $12) RETURNING {COLUMNS}"
    )))
    .bind(actor.company_id)
    .bind(user.id)
    .bind(entry.start)
    .bind(entry.end)
    .bind(place.location_id)
    .bind(place.position_id)
    .bind(place.site_id)
    .bind(place.shift_id)
    .bind(&notes)
    .bind(cash_tips)
    .bind(actor.user_id)
    .bind(now())
    .fetch_one(&mut *tx)
    .await
    .map_err(plan::on_second_running)?;
    store_breaks(&mut tx, actor.company_id, row.id, &breaks).await?;
    finish(tx, actor, &row, Change::Created).await
}
