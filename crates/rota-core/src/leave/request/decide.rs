//! Deciding a pending request: approve (after the staffing rules, with the department and
//! the restricted colleagues locked) or decline. [`settle`] moves the allowance and
//! writes the decision once, conditionally on the request still being pending.

use serde::Deserialize;
use utoipa::ToSchema;

use super::plan::{Context, lock_staffing, staffing_warnings};
use super::read::for_change;
use super::row::{LeaveRequest, RETURNING, RequestRow, RequestStatus};
use super::tail::{Change, finish};
use crate::db::{Db, Tx, now};
use crate::error::{Error, Result, code};
use crate::leave::allowance::{self, year_rule};
use crate::leave::days_off::DaysOff;
use crate::leave::duration::absence_days;
use crate::leave::patterns;
use crate::leave::types::{LeaveType, TypeKind};
use crate::policy::{Action, Actor, Target, may};
use crate::validate;

/// An approver's decision.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Decision {
    /// Required to decline; optional otherwise.
    #[schema(value_type = Option<crate::openapi::OptionalText500>)]
    pub reason: Option<String>,
    /// A super user approving although the department falls below its minimum staff.
    #[serde(default)]
    pub override_staffing: bool,
    /// On approving leave: open the requester's published shifts on its days, for anyone
    /// they fit to take (the approver must manage them).
    #[serde(default)]
    pub open_shifts: bool,
}

/// Moves the pending request `row` to `status` inside `tx`: approving spends the allowance
/// (or, for overtime, earns time off in lieu); declining and cancelling release what was
/// pending. Returns the row as written.
pub(crate) async fn settle(
    tx: &mut Tx,
    ctx: &Context,
    row: RequestRow,
    decider: i64,
    status: RequestStatus,
    reason: Option<String>,
) -> Result<RequestRow> {
    let mut spent_carryover = 0;
    if let Some(allowance_id) = row.allowance_id {
        let allowance = allowance::lock(tx, ctx.company.id, allowance_id).await?;
        let mut balance = allowance.balance();
        balance.pending -= row.amount;
        if status == RequestStatus::Approved {
            let spend = balance.spend(
                row.amount,
                allowance.carryover_live_on(row.start_date),
                ctx.company.settings.allow_negative_balance,
            )?;
            spent_carryover = spend.from_carryover;
        }
        allowance.store(tx, &balance).await?;
    }
    if status == RequestStatus::Approved && ctx.overtime() {
        earn_time_off_in_lieu(tx, ctx, &row, 1).await?;
    }
    // Written only while the request is pending and still as `row` was read: an edit
    // committed since (new dates, type or amount) makes this a conflict, not a decision
    // over figures that are no longer the request's.
    let written: Option<RequestRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "UPDATE leave_requests SET status = $1, decision_reason = $2, decided_by = $3, decided_at = $4, spent_carryover = $5, updated_at = $4 \
         WHERE company_id = $6 AND id = $7 AND status = 'pending' AND leave_type_id = $8 AND COALESCE(allowance_id, 0) = $9 \
         AND start_date = $10 AND end_date = $11 AND amount = $12{RETURNING}"
    )))
    .bind(status.as_str())
    .bind(reason)
    .bind(decider)
    .bind(now())
    .bind(spent_carryover)
    .bind(ctx.company.id)
    .bind(row.id)
    .bind(row.leave_type_id)
    .bind(row.allowance_id.unwrap_or(0))
    .bind(row.start_date.to_string())
    .bind(row.end_date.to_string())
    .bind(row.amount)
    .fetch_optional(&mut **tx)
    .await?;
    written.ok_or_else(|| {
        Error::conflict(
            code::ALREADY_DECIDED,
            None,
            "this request has already been decided, or changed meanwhile; try again",
        )
    })
}

/// Adds (sign 1) or removes (sign −1) approved overtime to the user's time off in lieu.
pub(crate) async fn earn_time_off_in_lieu(
    tx: &mut Tx,
    ctx: &Context,
    row: &RequestRow,
    sign: i64,
) -> Result<()> {
    let toil: Option<LeaveType> = sqlx::query_as(
        "SELECT * FROM leave_types WHERE company_id = $1 AND kind = 'leave' AND code = 'T'",
    )
    .bind(ctx.company.id)
    .fetch_optional(&mut **tx)
    .await?;
    let Some(toil) = toil else { return Ok(()) };
    let year = year_rule(&ctx.company)?.year_of(row.start_date)?;
    let allowance = allowance::ensure(tx, &ctx.company, &ctx.user, &toil, year).await?;
    let allowance = allowance::lock(tx, ctx.company.id, allowance.id).await?;
    let mut balance = allowance.balance();
    balance.adjust(sign * row.amount, false).map_err(|_| {
        Error::conflict(
            code::INSUFFICIENT_ALLOWANCE,
            None,
            "the time off in lieu this overtime earned has been spent",
        )
    })?;
    allowance.store(tx, &balance).await?;
    sqlx::query("INSERT INTO allowance_adjustments (company_id, allowance_id, amount, reason, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(ctx.company.id)
        .bind(allowance.id)
        .bind(sign * row.amount)
        .bind(format!("overtime request {}", row.id))
        .bind(ctx.user.id)
        .bind(now())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Loads request `id` for a decision by `actor`, who must decide for its user.
async fn for_decision(
    db: &Db,
    actor: &Actor,
    id: i64,
    kind: Option<TypeKind>,
    verb: &str,
) -> Result<(RequestRow, Context)> {
    let (row, ctx) = for_change(db, actor, id, kind).await?;
    let action = Action::DecideLeave {
        overtime: ctx.overtime(),
    };
    if !ctx.may(actor, action) {
        return Err(Error::forbidden(if actor.user_id == row.user_id {
            format!("nobody {verb} their own request")
        } else {
            "you do not approve this user's requests".to_owned()
        }));
    }
    Ok((row, ctx))
}

pub async fn approve(db: &Db, actor: &Actor, id: i64, decision: Decision) -> Result<LeaveRequest> {
    approve_of_kind(db, actor, id, decision, None).await
}

/// [`approve`] for a face that keeps leave and overtime apart, reaching `kind` only
/// (either, when `None`): a request of the other kind is absent.
pub async fn approve_of_kind(
    db: &Db,
    actor: &Actor,
    id: i64,
    decision: Decision,
    kind: Option<TypeKind>,
) -> Result<LeaveRequest> {
    let (row, ctx) = for_decision(db, actor, id, kind, "approves").await?;
    let reason = validate::optional_text("reason", decision.reason.as_deref(), 500)?;
    if decision.open_shifts && ctx.overtime() {
        return Err(Error::invalid(
            "open_shifts",
            "overtime is worked, so it opens no shifts",
        ));
    }
    let mut tx = db.begin_write().await?;
    if !ctx.overtime() {
        let span = row.span();
        lock_staffing(&mut tx, &ctx).await?;
        let book = patterns::book(&mut tx, ctx.company.id, ctx.user.id).await?;
        let off = DaysOff::load(&mut tx, &ctx.company, &ctx.user, span.start, span.end).await?;
        let days = absence_days(span, |d| book.on(d), |d| off.reason(d))?;
        let warnings = staffing_warnings(&mut tx, &ctx, &days, Some(row.id)).await?;
        let overridden = decision.override_staffing
            && may(
                actor,
                Action::OverrideStaffing,
                Target::Company(actor.company_id),
            );
        if !warnings.is_empty() && !overridden {
            return Err(Error::conflict(
                code::UNDERSTAFFED,
                None,
                format!(
                    "approving leaves the department short: {}",
                    warnings.join("; ")
                ),
            ));
        }
        if decision.open_shifts {
            let days = (row.start_date, row.end_date);
            crate::schedule::open_under(&mut tx, actor, row.user_id, days).await?;
        }
    }
    let row = settle(
        &mut tx,
        &ctx,
        row,
        actor.user_id,
        RequestStatus::Approved,
        reason,
    )
    .await?;
    finish(tx, actor, &ctx, row, Change::Approved).await
}

pub async fn decline(db: &Db, actor: &Actor, id: i64, decision: Decision) -> Result<LeaveRequest> {
    decline_of_kind(db, actor, id, decision, None).await
}

/// [`decline`] for a face that keeps leave and overtime apart, reaching `kind` only
/// (either, when `None`): a request of the other kind is absent.
pub async fn decline_of_kind(
    db: &Db,
    actor: &Actor,
    id: i64,
    decision: Decision,
    kind: Option<TypeKind>,
) -> Result<LeaveRequest> {
    let (row, ctx) = for_decision(db, actor, id, kind, "declines").await?;
    let reason = validate::optional_text("reason", decision.reason.as_deref(), 500)?
        .ok_or_else(|| Error::invalid("reason", "a decline needs a reason"))?;
    let mut tx = db.begin_write().await?;
    let row = settle(
        &mut tx,
        &ctx,
        row,
        actor.user_id,
        RequestStatus::Declined,
        Some(reason),
    )
    .await?;
    finish(tx, actor, &ctx, row, Change::Declined).await
}
