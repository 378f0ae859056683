//! Changing a request after it is made: editing a pending one (quoted and checked again,
//! its pending time moved with it) and cancelling a pending or approved one.

use serde::Deserialize;
use utoipa::ToSchema;

use super::create::reserve;
use super::decide::{Decision, earn_time_off_in_lieu, settle};
use super::plan::{self, Context, LeaveRequestInput, check_overlap};
use super::read::for_change;
use super::row::{LeaveRequest, RETURNING, RequestRow, RequestStatus};
use super::rules;
use super::tail::{Change, finish};
use crate::db::{Db, now};
use crate::error::{Error, Result, code};
use crate::leave::allowance;
use crate::leave::balance::Spend;
use crate::leave::duration::{DayPart, clock};
use crate::leave::types::TypeKind;
use crate::locks::{self, Owner};
use crate::policy::{Action, Actor};
use crate::validate;

/// Changes to a pending request; absent fields keep their values.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LeaveRequestPatch {
    pub leave_type_id: Option<i64>,
    #[schema(value_type = Option<crate::openapi::Date>)]
    pub start_date: Option<String>,
    #[schema(value_type = Option<crate::openapi::Date>)]
    pub end_date: Option<String>,
    pub start_part: Option<DayPart>,
    pub end_part: Option<DayPart>,
    /// `null` clears the times, leaving a booking in days or half days.
    #[serde(default, deserialize_with = "crate::validate::nullable")]
    #[schema(value_type = Option<crate::openapi::Clock>, nullable)]
    pub start_time: Option<Option<String>>,
    /// `null` clears the times, with `start_time`.
    #[serde(default, deserialize_with = "crate::validate::nullable")]
    #[schema(value_type = Option<crate::openapi::Clock>, nullable)]
    pub end_time: Option<Option<String>>,
    #[schema(value_type = Option<crate::openapi::OptionalText500>)]
    pub note: Option<String>,
}

/// Loads request `id` for a change (an edit or a cancellation) by `actor`.
async fn for_changing(
    db: &Db,
    actor: &Actor,
    id: i64,
    kind: Option<TypeKind>,
    refusal: &'static str,
) -> Result<(RequestRow, Context)> {
    let (row, ctx) = for_change(db, actor, id, kind).await?;
    let action = Action::ChangeLeave {
        overtime: ctx.overtime(),
    };
    if !ctx.may(actor, action) {
        return Err(Error::forbidden(refusal));
    }
    Ok((row, ctx))
}

/// Edits a pending request (the requester, approvers 220 and super users): it is quoted
/// again, checked for overlaps, and its pending time moves with it.
pub async fn edit(
    db: &Db,
    actor: &Actor,
    id: i64,
    patch: LeaveRequestPatch,
) -> Result<LeaveRequest> {
    edit_of_kind(db, actor, id, patch, None).await
}

/// [`edit`] for a face that keeps leave and overtime apart, reaching `kind` only (either,
/// when `None`): a request of the other kind is absent, and a type of the other kind is
/// refused with `wrong_type_kind`.
pub async fn edit_of_kind(
    db: &Db,
    actor: &Actor,
    id: i64,
    patch: LeaveRequestPatch,
    kind: Option<TypeKind>,
) -> Result<LeaveRequest> {
    let (row, _) = for_changing(db, actor, id, kind, "you may not edit this request").await?;
    if row.status != RequestStatus::Pending {
        return Err(Error::conflict(
            code::ALREADY_DECIDED,
            None,
            "only a pending request can be edited; cancel and ask again",
        ));
    }
    let input = LeaveRequestInput {
        user_id: Some(row.user_id),
        leave_type_id: patch.leave_type_id.unwrap_or(row.leave_type_id),
        start_date: patch.start_date.unwrap_or(row.start_date.to_string()),
        end_date: patch.end_date.unwrap_or(row.end_date.to_string()),
        start_part: patch.start_part.or(Some(row.start_part)),
        end_part: patch.end_part.or(Some(row.end_part)),
        start_time: patch
            .start_time
            .unwrap_or_else(|| row.start_minute.map(clock)),
        end_time: patch.end_time.unwrap_or_else(|| row.end_minute.map(clock)),
        note: patch.note.or(row.note.clone()),
    };
    let ctx = plan::context(db, actor, row.user_id, input.leave_type_id).await?;
    rules::type_kind(ctx.leave_type.id, ctx.leave_type.kind, kind)?;
    let planned = plan::plan(db, actor, &ctx, &input).await?;
    let mut tx = db.begin_write().await?;
    locks::lock(&mut tx, ctx.company.id, [Owner::User(ctx.user.id)]).await?;
    check_overlap(&mut tx, &ctx, &planned, Some(id)).await?;
    if let Some(old) = row.allowance_id {
        let allowance = allowance::lock(&mut tx, ctx.company.id, old).await?;
        let mut balance = allowance.balance();
        balance.pending -= row.amount;
        allowance.store(&mut tx, &balance).await?;
    }
    let allowance_id = reserve(&mut tx, &ctx, &planned).await?;
    let update = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "UPDATE leave_requests SET leave_type_id = $1, allowance_id = $2, start_date = $3, end_date = $4, start_part = $5, \
         end_part = $6, start_minute = $7, end_minute = $8, amount = $9, unit = $10, minutes = $11, day_hundredths = $12, \
         note = $13, updated_at = $14 WHERE company_id = $15 AND id = $16 AND status = 'pending'{RETURNING}"
    )))
    .bind(ctx.leave_type.id)
    .bind(allowance_id);
    let written: Option<RequestRow> = planned
        .bind(update)
        .bind(now())
        .bind(ctx.company.id)
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?;
    let written = written.ok_or_else(|| {
        Error::conflict(
            code::ALREADY_DECIDED,
            None,
            "this request was decided meanwhile",
        )
    })?;
    finish(tx, actor, &ctx, written, Change::Edited).await
}

/// Cancels a pending or approved request; an approved one gives its time back.
pub async fn cancel(db: &Db, actor: &Actor, id: i64, decision: Decision) -> Result<LeaveRequest> {
    cancel_of_kind(db, actor, id, decision, None).await
}

/// [`cancel`] for a face that keeps leave and overtime apart, reaching `kind` only
/// (either, when `None`): a request of the other kind is absent.
pub async fn cancel_of_kind(
    db: &Db,
    actor: &Actor,
    id: i64,
    decision: Decision,
    kind: Option<TypeKind>,
) -> Result<LeaveRequest> {
    let (row, ctx) = for_changing(db, actor, id, kind, "you may not cancel this request").await?;
    let reason = validate::optional_text("reason", decision.reason.as_deref(), 500)?;
    if !ctx.may(actor, Action::SkipSelfServiceLimits) {
        rules::cancellation_window(
            jiff::Zoned::now().date(),
            row.start_date,
            ctx.leave_type.cancellation_period_days,
        )?;
    }
    let mut tx = db.begin_write().await?;
    let written = match row.status {
        RequestStatus::Pending => {
            settle(
                &mut tx,
                &ctx,
                row,
                actor.user_id,
                RequestStatus::Cancelled,
                reason,
            )
            .await?
        }
        RequestStatus::Approved => {
            if let Some(allowance_id) = row.allowance_id {
                let allowance = allowance::lock(&mut tx, ctx.company.id, allowance_id).await?;
                let mut balance = allowance.balance();
                balance.refund(Spend {
                    amount: row.amount,
                    from_carryover: row.spent_carryover,
                });
                allowance.store(&mut tx, &balance).await?;
            }
            if ctx.overtime() {
                earn_time_off_in_lieu(&mut tx, &ctx, &row, -1).await?;
            }
            let written: Option<RequestRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "UPDATE leave_requests SET status = 'cancelled', decision_reason = COALESCE($1, decision_reason), updated_at = $2 \
                 WHERE company_id = $3 AND id = $4 AND status = 'approved'{RETURNING}"
            )))
            .bind(reason)
            .bind(now())
            .bind(ctx.company.id)
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
            written.ok_or_else(|| {
                Error::conflict(
                    code::ALREADY_DECIDED,
                    None,
                    "this request changed meanwhile; try again",
                )
            })?
        }
        RequestStatus::Declined | RequestStatus::Cancelled => {
            return Err(Error::conflict(
                code::ALREADY_DECIDED,
                None,
                "this request is already closed",
            ));
        }
    };
    finish(tx, actor, &ctx, written, Change::Cancelled).await
}
