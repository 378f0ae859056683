//! Quoting and making a request: the plan is checked, the user locked, overlaps refused,
//! the time held as pending on the allowance, and the row written once.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::decide::settle;
use super::plan::{self, Context, LeaveRequestInput, Planned, check_overlap};
use super::row::{LeaveRequest, RETURNING, RequestRow, RequestStatus};
use super::rules;
use super::tail::{Change, finish};
use crate::db::{Db, Tx, now};
use crate::error::{Error, Result, code};
use crate::leave::allowance;
use crate::leave::duration::AbsenceDay;
use crate::leave::types::TypeKind;
use crate::locks::{self, Owner};
use crate::people::types::AllowanceUnit;
use crate::policy::{Action, Actor};

/// What a request would cost, before it is made.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Quote {
    pub user_id: i64,
    pub leave_type_id: i64,
    /// The unit of `amount`: hundredths of a day, or minutes.
    pub unit: AllowanceUnit,
    pub amount: i64,
    /// Working minutes covered.
    pub minutes: i64,
    pub days: Vec<AbsenceDay>,
    /// What the allowance could still give before and after this request (deducting types).
    pub available_before: Option<i64>,
    pub available_after: Option<i64>,
    /// Things an approver will be told, such as a department falling below its minimum staff.
    pub warnings: Vec<String>,
}

/// The context of a new request, once its type is of `kind` (either, when `None`) and the
/// actor may ask for it.
async fn asked(
    db: &Db,
    actor: &Actor,
    input: &LeaveRequestInput,
    kind: Option<TypeKind>,
) -> Result<Context> {
    let ctx = plan::context(
        db,
        actor,
        input.user_id.unwrap_or(actor.user_id),
        input.leave_type_id,
    )
    .await?;
    rules::type_kind(ctx.leave_type.id, ctx.leave_type.kind, kind)?;
    let action = Action::RequestLeave {
        overtime: ctx.overtime(),
    };
    if !ctx.may(actor, action) {
        return Err(Error::forbidden("you may not ask for leave for this user"));
    }
    Ok(ctx)
}

/// Works out what a request would cost without making it.
pub async fn quote(db: &Db, actor: &Actor, input: LeaveRequestInput) -> Result<Quote> {
    quote_of_kind(db, actor, input, None).await
}

/// [`quote`] for a face that keeps leave and overtime apart, reaching `kind` only
/// (either, when `None`): a type of the other kind is refused with `wrong_type_kind`.
pub async fn quote_of_kind(
    db: &Db,
    actor: &Actor,
    input: LeaveRequestInput,
    kind: Option<TypeKind>,
) -> Result<Quote> {
    let ctx = asked(db, actor, &input, kind).await?;
    let planned = plan::plan(db, actor, &ctx, &input).await?;
    let mut tx = db.begin_write().await?;
    let warnings = plan::staffing_warnings(&mut tx, &ctx, &planned.days, None).await?;
    let available_before = if ctx.leave_type.deducts_allowance && !ctx.overtime() {
        let row = allowance::ensure(
            &mut tx,
            &ctx.company,
            &ctx.user,
            &ctx.leave_type,
            planned.year_start,
        )
        .await?;
        Some(
            row.balance()
                .available(row.carryover_live_on(planned.span.start)),
        )
    } else {
        None
    };
    tx.commit().await?;
    Ok(Quote {
        user_id: ctx.user.id,
        leave_type_id: ctx.leave_type.id,
        unit: planned.unit,
        amount: planned.amount,
        minutes: planned.minutes,
        days: planned.days,
        available_before,
        available_after: available_before.map(|a| a - planned.amount),
        warnings,
    })
}

/// Holds a planned request's time as pending on its allowance (for deducting leave),
/// refusing when the allowance cannot cover it; returns the allowance it is held on.
pub(crate) async fn reserve(tx: &mut Tx, ctx: &Context, planned: &Planned) -> Result<Option<i64>> {
    if !ctx.leave_type.deducts_allowance || ctx.overtime() {
        return Ok(None);
    }
    let row = allowance::ensure(
        tx,
        &ctx.company,
        &ctx.user,
        &ctx.leave_type,
        planned.year_start,
    )
    .await?;
    let row = allowance::lock(tx, ctx.company.id, row.id).await?;
    let mut balance = row.balance();
    let live = row.carryover_live_on(planned.span.start);
    if !ctx.company.settings.allow_negative_balance && balance.available(live) < planned.amount {
        return Err(Error::conflict(
            code::INSUFFICIENT_ALLOWANCE,
            Some("end_date"),
            format!(
                "this needs {} but only {} is available",
                planned.amount,
                balance.available(live).max(0)
            ),
        ));
    }
    balance.pending += planned.amount;
    row.store(tx, &balance).await?;
    Ok(Some(row.id))
}

/// Makes a request. Types that need no approval are approved at once.
pub async fn create(db: &Db, actor: &Actor, input: LeaveRequestInput) -> Result<LeaveRequest> {
    create_of_kind(db, actor, input, None).await
}

/// [`create`] for a face that keeps leave and overtime apart, reaching `kind` only
/// (either, when `None`): a type of the other kind is refused with `wrong_type_kind`.
pub async fn create_of_kind(
    db: &Db,
    actor: &Actor,
    input: LeaveRequestInput,
    kind: Option<TypeKind>,
) -> Result<LeaveRequest> {
    let ctx = asked(db, actor, &input, kind).await?;
    let planned = plan::plan(db, actor, &ctx, &input).await?;
    let mut tx = db.begin_write().await?;
    locks::lock(&mut tx, ctx.company.id, [Owner::User(ctx.user.id)]).await?;
    check_overlap(&mut tx, &ctx, &planned, None).await?;
    let allowance_id = reserve(&mut tx, &ctx, &planned).await?;
    let insert = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "INSERT INTO leave_requests (company_id, user_id, leave_type_id, allowance_id, start_date, end_date, start_part, end_part, \
         start_minute, end_minute, amount, unit, minutes, day_hundredths, note, spent_carryover, status, requested_by, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, 0, 'pending', $16, $17, $17){RETURNING}"
    )))
    .bind(ctx.company.id)
    .bind(ctx.user.id)
    .bind(ctx.leave_type.id)
    .bind(allowance_id);
    let row: RequestRow = planned
        .bind(insert)
        .bind(actor.user_id)
        .bind(now())
        .fetch_one(&mut *tx)
        .await?;
    let (row, change) = if ctx.leave_type.requires_approval {
        (row, Change::Requested)
    } else {
        let row = settle(
            &mut tx,
            &ctx,
            row,
            actor.user_id,
            RequestStatus::Approved,
            None,
        )
        .await?;
        (row, Change::Booked)
    };
    let id = row.id;
    let made = finish(tx, actor, &ctx, row, change).await?;
    // The audit log is the record; at debug, seeding the demo does not bury its sign-ins.
    tracing::debug!(
        company.id = ctx.company.id,
        user.id = ctx.user.id,
        request.id = id,
        "leave requested"
    );
    Ok(made)
}
