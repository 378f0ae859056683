//! Setting an allowance's figures outright, as WhosOff's user-allowance calls do: the
//! opening and the carry-over set, and the adjustment that brings what remains to the
//! figure asked ([`Balance::set_to`]), in one transaction with the allowance locked and
//! audited as the native opening and adjustment are; and removing an allowance nothing
//! was booked against.
//!
//! A face converts the amounts it is sent into the allowance's unit first: [`place`] (or
//! [`place_of`]) says where the allowance is, its unit and what a day is worth there.

use jiff::civil::Date;

use super::{
    Allowance, AllowanceRow, SELECT, ensure, holiday_type, lock, render, target_user, year_rule,
};
use crate::access::audit::AuditAction;
use crate::company::{self, Company};
use crate::db::Db;
use crate::error::{Error, Result, code};
use crate::leave::balance::Shown;
use crate::leave::patterns;
use crate::leave::types::LeaveType;
use crate::org;
use crate::people::record::UserRecord;
use crate::people::types::AllowanceUnit;
use crate::policy::{Action, Actor, FieldClass};

/// Where an allowance is (a user's, of a deducting leave type, for the leave year starting
/// `year_start`), the unit its figures are kept in and the user's working day on the
/// year's first day (the average of their pattern's working days; 0 when it has none).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Place {
    pub user_id: i64,
    pub leave_type_id: i64,
    pub year_start: Date,
    pub unit: AllowanceUnit,
    pub day_minutes: i64,
}

/// The figures to set, in the allowance's unit; `None` keeps what it shows now.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Figures {
    pub opening: Option<i64>,
    pub remaining: Option<i64>,
    pub carryover_opening: Option<i64>,
    pub carryover_remaining: Option<i64>,
}

/// What [`locate`] found: the allowance's company, user, type and year, and its row when
/// it exists.
struct Located {
    company: Company,
    user: UserRecord,
    leave_type: LeaveType,
    year_start: Date,
    row: Option<AllowanceRow>,
}

/// The deducting leave type `id` names, or with `None` the company's Holiday type: `004a`
/// when it keeps no allowance.
async fn deducting_type(db: &Db, actor: &Actor, id: Option<i64>) -> Result<LeaveType> {
    let found = match id {
        Some(id) => Some(
            org::get::<LeaveType>(db, actor, id)
                .await
                .map_err(|_| Error::unknown_reference("leave type", "leave_type_id"))?,
        ),
        None => {
            let mut conn = db.pool().acquire().await?;
            holiday_type(&mut conn, actor.company_id).await?
        }
    };
    found.filter(|t| t.deducts_allowance).ok_or_else(|| {
        Error::conflict(
            code::NO_ALLOWANCE,
            Some("leave_type_id"),
            "No allowances set: this leave type keeps no allowance (name one that deducts from it)",
        )
    })
}

/// The allowance of `user_id` and the leave type in the year holding `on`, once the actor
/// may change it (a super user; someone the actor may not see is absent).
async fn locate(
    db: &Db,
    actor: &Actor,
    user_id: i64,
    leave_type_id: Option<i64>,
    on: Date,
) -> Result<Located> {
    let company = company::load(db.pool(), actor.company_id).await?;
    let action = Action::EditUser(FieldClass::Privileged);
    let user = target_user(db, actor, &company, user_id, action).await?;
    let leave_type = deducting_type(db, actor, leave_type_id).await?;
    let year_start = year_rule(&company)?.year_of(on)?;
    let row = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE company_id = $1 AND user_id = $2 AND leave_type_id = $3 AND year_start = $4"
    )))
    .bind(company.id)
    .bind(user.id)
    .bind(leave_type.id)
    .bind(year_start.to_string())
    .fetch_optional(db.pool())
    .await?;
    Ok(Located {
        company,
        user,
        leave_type,
        year_start,
        row,
    })
}

/// Where the allowance of `user_id` of a leave type (the Holiday type when `None`) in the
/// leave year holding `on` is, whether it exists yet or not.
pub async fn place(
    db: &Db,
    actor: &Actor,
    user_id: i64,
    leave_type_id: Option<i64>,
    on: Date,
) -> Result<Place> {
    let found = locate(db, actor, user_id, leave_type_id, on).await?;
    let unit = match &found.row {
        Some(row) => row.unit,
        None => AllowanceUnit::from_stored(&found.user.allowance_unit)?,
    };
    let mut conn = db.pool().acquire().await?;
    let day_minutes = patterns::book(&mut conn, found.company.id, found.user.id)
        .await?
        .on(found.year_start)
        .average_day();
    Ok(Place {
        user_id: found.user.id,
        leave_type_id: found.leave_type.id,
        year_start: found.year_start,
        unit,
        day_minutes,
    })
}

/// Where the allowance `id` is; another company's, or one of a user the actor may not
/// see, is absent.
pub async fn place_of(db: &Db, actor: &Actor, id: i64) -> Result<Place> {
    let row: AllowanceRow = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE company_id = $1 AND id = $2"
    )))
    .bind(actor.company_id)
    .bind(id)
    .fetch_optional(db.pool())
    .await?
    .ok_or(Error::not_found("allowance"))?;
    place(
        db,
        actor,
        row.user_id,
        Some(row.leave_type_id),
        row.year_start,
    )
    .await
    .map_err(|error| match error {
        Error::NotFound { .. } => Error::not_found("allowance"),
        other => other,
    })
}

/// Sets the allowance at `place` (opening it first if it does not exist yet) to show
/// `figures`: one transaction with the allowance locked, audited as the native opening
/// (`allowance.opening_set`) when the opening or carry-over changes and as an adjustment
/// (`allowance.adjusted`) when what remains moves. Refused with `conflict` if the
/// allowance's unit is no longer the one `place` converted to.
pub async fn set(db: &Db, actor: &Actor, place: &Place, figures: Figures) -> Result<Allowance> {
    let found = locate(
        db,
        actor,
        place.user_id,
        Some(place.leave_type_id),
        place.year_start,
    )
    .await?;
    let mut tx = db.begin_write().await?;
    let row = ensure(
        &mut tx,
        &found.company,
        &found.user,
        &found.leave_type,
        found.year_start,
    )
    .await?;
    let row = lock(&mut tx, found.company.id, row.id).await?;
    if row.unit != place.unit {
        return Err(Error::conflict(
            code::CONFLICT,
            None,
            "the allowance's unit changed meanwhile; try again",
        ));
    }
    let today = jiff::Zoned::now().date();
    let live = row.carryover_live_on(today.max(row.year_start));
    let mut balance = row.balance();
    let now = balance.shown(live);
    let wanted = Shown {
        opening: figures.opening.unwrap_or(now.opening),
        remaining: figures.remaining.unwrap_or(now.remaining),
        carryover_opening: figures.carryover_opening.unwrap_or(now.carryover_opening),
        carryover_remaining: figures
            .carryover_remaining
            .unwrap_or(now.carryover_remaining),
    };
    let allow_negative = found.company.settings.allow_negative_balance;
    let before = (balance.opening, balance.carryover_opening);
    let amount = balance.set_to(wanted, live, allow_negative)?;
    row.store(&mut tx, &balance).await?;
    let row = lock(&mut tx, found.company.id, row.id).await?;
    if (row.opening, row.carryover_opening) != before {
        super::record_opening(&mut tx, actor, &row).await?;
    }
    if amount != 0 {
        let reason = format!("remaining set to {}", wanted.remaining);
        super::record_adjustment(&mut tx, actor, &row, amount, &reason).await?;
    }
    tx.commit().await?;
    render(&row, &found.leave_type, year_rule(&found.company)?, today)
}

/// Removes the allowance `id` with its adjustments, when no request was ever booked
/// against it (`in_use` otherwise: its balance is the history of those requests). The
/// year then has no figures of its own: the next read opens it afresh with the default
/// entitlement, as a year never set. Audited as `allowance.removed`.
pub async fn remove(db: &Db, actor: &Actor, id: i64) -> Result<()> {
    let place = place_of(db, actor, id).await?;
    let company_id = actor.company_id;
    let mut tx = db.begin_write().await?;
    let row = lock(&mut tx, company_id, id).await?;
    let booked: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM leave_requests WHERE company_id = $1 AND allowance_id = $2",
    )
    .bind(company_id)
    .bind(id)
    .fetch_one(&mut *tx)
    .await?;
    if booked > 0 {
        return Err(Error::conflict(
            code::IN_USE,
            None,
            "requests were booked against this allowance: set its figures instead",
        ));
    }
    for statement in [
        "DELETE FROM allowance_adjustments WHERE company_id = $1 AND allowance_id = $2",
        "DELETE FROM allowances WHERE company_id = $1 AND id = $2",
    ] {
        sqlx::query(statement)
            .bind(company_id)
            .bind(id)
            .execute(&mut *tx)
            .await?;
    }
    crate::access::audit::record_by(
        &mut tx,
        actor,
        AuditAction::AllowanceRemoved,
        Some(("user", place.user_id)),
        serde_json::json!({"allowance_id": id, "leave_type_id": place.leave_type_id,
            "year_start": place.year_start.to_string(), "opening": row.opening,
            "adjustments": row.adjustments, "carryover_opening": row.carryover_opening}),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
