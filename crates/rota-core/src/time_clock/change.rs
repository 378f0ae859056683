//! A manager edits or deletes an entry of someone they manage. Approved entries are
//! edited only this way (their users never change them: the clock only touches a running
//! entry, and a running entry cannot be approved), and an edit keeps the approval.

use serde::Deserialize;
use sqlx::AssertSqlSafe;
use utoipa::ToSchema;

use super::create::{BreakInput, parse_breaks, store_breaks};
use super::plan::{self, Place};
use super::read::for_action;
use super::row::{self, COLUMNS, EntryRow, TimeEntry};
use super::rules::{self, Stretch};
use super::tail::{self, Change, finish};
use crate::db::{Db, Tx, now};
use crate::error::{Error, Result, code};
use crate::locks::{self, Owner};
use crate::payroll::guard;
use crate::policy::{Action, Actor};
use crate::validate;

/// Changes to an entry; absent fields keep their values, `null` clears the nullable ones.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TimeEntryPatch {
    #[schema(value_type = Option<crate::openapi::Instant>)]
    pub start_time: Option<String>,
    /// `null` makes the entry run again (the user clocked in).
    #[serde(default, deserialize_with = "crate::validate::nullable")]
    #[schema(value_type = Option<crate::openapi::Instant>)]
    pub end_time: Option<Option<String>>,
    #[serde(default, deserialize_with = "crate::validate::nullable")]
    #[schema(value_type = Option<i64>)]
    pub location_id: Option<Option<i64>>,
    #[serde(default, deserialize_with = "crate::validate::nullable")]
    #[schema(value_type = Option<i64>)]
    pub position_id: Option<Option<i64>>,
    #[serde(default, deserialize_with = "crate::validate::nullable")]
    #[schema(value_type = Option<i64>)]
    pub site_id: Option<Option<i64>>,
    /// The shift it was worked for: one of the entry's person's own.
    #[serde(default, deserialize_with = "crate::validate::nullable")]
    #[schema(value_type = Option<i64>)]
    pub shift_id: Option<Option<i64>>,
    #[schema(value_type = Option<crate::openapi::OptionalText500>)]
    pub notes: Option<String>,
    #[schema(value_type = Option<crate::openapi::CashTips>)]
    pub cash_tips: Option<i64>,
    /// Replaces every break of the entry.
    pub breaks: Option<Vec<BreakInput>>,
}

/// Entry `id` read again inside `tx`, its user locked first; refused when it is on a day
/// of a closed payroll period.
async fn relock(tx: &mut Tx, actor: &Actor, row: &EntryRow) -> Result<EntryRow> {
    locks::lock(
        tx,
        actor.company_id,
        [Owner::PayrollPeriods, Owner::User(row.user_id)],
    )
    .await?;
    let row = row::load(tx, actor.company_id, row.id)
        .await?
        .ok_or(Error::not_found("time entry"))?;
    guard::ensure_open(tx, actor.company_id, &[row.start_at]).await?;
    Ok(row)
}

/// Edits an entry: its times, breaks, place, notes and tips.
pub async fn edit(db: &Db, actor: &Actor, id: i64, patch: TimeEntryPatch) -> Result<TimeEntry> {
    let (row, _) = for_action(db, actor, id, Action::ManageTime).await?;
    let start = patch
        .start_time
        .as_deref()
        .map(|start| validate::instant("start_time", start))
        .transpose()?;
    let end = patch
        .end_time
        .as_ref()
        .map(|end| {
            end.as_deref()
                .map(|end| validate::instant("end_time", end))
                .transpose()
        })
        .transpose()?;
    let new_breaks = patch.breaks.as_deref().map(parse_breaks).transpose()?;
    let notes = patch
        .notes
        .as_deref()
        .map(|notes| plan::notes(Some(notes)))
        .transpose()?;
    let cash_tips = patch.cash_tips.map(plan::cash_tips).transpose()?;
    let mut tx = db.begin_write().await?;
    let row = relock(&mut tx, actor, &row).await?;
    let entry = Stretch {
        start: start.unwrap_or(row.start_at),
        end: end.unwrap_or(row.end_at),
    };
    rules::check_entry(entry, "end_time")?;
    // Nor moved onto a day of a closed period.
    guard::ensure_open(&mut tx, actor.company_id, &[entry.start]).await?;
    if entry.end.is_none() && row.approved_at.is_some() {
        return Err(Error::conflict(
            code::TIME_ENTRY_RUNNING,
            Some("end_time"),
            "an approved time entry cannot run again: take the approval back first",
        ));
    }
    let breaks = match new_breaks {
        Some(breaks) => breaks,
        None => row::breaks_of_one(&mut tx, actor.company_id, row.id)
            .await?
            .iter()
            .map(row::BreakRow::stretch)
            .collect(),
    };
    rules::check_breaks(entry, &breaks)?;
    let place = Place {
        location_id: patch.location_id.unwrap_or(row.location_id),
        position_id: patch.position_id.unwrap_or(row.position_id),
        site_id: patch.site_id.unwrap_or(row.site_id),
        shift_id: patch.shift_id.unwrap_or(row.shift_id),
    };
    place.check(&mut tx, actor.company_id).await?;
    // Only a shift named now is checked: a link kept stays, even to a shift since deleted
    // or given away.
    if let Some(Some(id)) = patch.shift_id {
        plan::held_shift(&mut tx, actor.company_id, id, row.user_id).await?;
    }
    plan::check_free(&mut tx, actor.company_id, row.user_id, entry, Some(row.id)).await?;
    let updated: EntryRow = sqlx::query_as(AssertSqlSafe(format!(
        "UPDATE time_entries SET start_at = $1, end_at = $2, location_id = $3, position_id = $4, site_id = $5, \
         shift_id = $6, notes = $7, cash_tips = $8, updated_by = $9, updated_at = $10 WHERE company_id = $11 AND id = $12 \
         RETURNING {COLUMNS}"
    )))
    .bind(entry.start)
    .bind(entry.end)
    .bind(place.location_id)
    .bind(place.position_id)
    .bind(place.site_id)
    .bind(place.shift_id)
    .bind(notes.unwrap_or_else(|| row.notes.clone()))
    .bind(cash_tips.unwrap_or(row.cash_tips))
    .bind(actor.user_id)
    .bind(now())
    .bind(actor.company_id)
    .bind(row.id)
    .fetch_one(&mut *tx)
    .await
    .map_err(plan::on_second_running)?;
    store_breaks(&mut tx, actor.company_id, row.id, &breaks).await?;
    finish(tx, actor, &updated, Change::Updated).await
}

/// Deletes an entry and its breaks; announces it as it was.
pub async fn delete(db: &Db, actor: &Actor, id: i64) -> Result<()> {
    let (row, _) = for_action(db, actor, id, Action::ManageTime).await?;
    let mut tx = db.begin_write().await?;
    let row = relock(&mut tx, actor, &row).await?;
    let shown = tail::show(&mut tx, &row).await?;
    store_breaks(&mut tx, actor.company_id, row.id, &[]).await?;
    sqlx::query("DELETE FROM time_entries WHERE company_id = $1 AND id = $2")
        .bind(actor.company_id)
        .bind(row.id)
        .execute(&mut *tx)
        .await?;
    tail::announce(tx, actor, &shown, Change::Deleted).await
}
