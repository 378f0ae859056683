//! Booking and deciding overtime: `validate`, `submit` and `edit`, and `approve`,
//! `decline` and `cancel`, through the Leave controller's [`quote`], [`edit_of`] and
//! [`decide`] with the overtime kind.

use axum::extract::State;
use rota_core::leave::request::{self, Decision};
use rota_core::leave::types::TypeKind;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::AppState;
use crate::compat::codes::{whosoff_overtime_status, whosoff_status};
use crate::compat::lenient::Int;
use crate::compat::whosoff::envelope::{Answer, Envelope, RecordId};
use crate::compat::whosoff::extract::{Body, Caller};
use crate::compat::whosoff::leave::{
    Ask, Edit, Quoted, Verdict, allowance_type_id, booked, decide, edit_of, quote,
};

/// The body of `overtime/validate` and `overtime/submit`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SubmitOvertime {
    /// Refused: an existing request changes through `edit`.
    #[schema(value_type = Option<i64>)]
    overtime_id: Option<Int>,
    /// Whose overtime; the caller's own when left out.
    #[schema(value_type = Option<i64>)]
    user_id: Option<Int>,
    /// An overtime type; a leave type is refused with `wrong_type_kind`.
    #[schema(value_type = i64)]
    overtime_type_id: Int,
    /// Inclusive, as leave's: `2023-03-28T18:00` for hours, `T00:00` for a full day.
    start_date: String,
    /// Exclusive, as leave's: `2023-03-28T20:00`, or `2023-03-29T00:00` to end a full day.
    end_date: String,
    /// Up to 500 characters.
    note: Option<String>,
}

impl From<SubmitOvertime> for Ask {
    fn from(body: SubmitOvertime) -> Self {
        Self {
            existing: body.overtime_id,
            user_id: body.user_id,
            type_id: body.overtime_type_id,
            start_date: body.start_date,
            end_date: body.end_date,
            note: body.note,
        }
    }
}

/// What reporting overtime would book.
#[derive(Debug, Serialize, ToSchema)]
pub struct OvertimeQuote {
    user_id: i64,
    overtime_type_id: i64,
    /// Minutes the request covers, weighed as leave is by the working pattern.
    duration: i64,
    /// 0 days, 1 hours: how the time off in lieu it earns is counted.
    allowance_type_id: i64,
    /// What an approver would be told.
    warnings: Vec<String>,
}

/// Whether overtime would be accepted, and what it covers; nothing is written. Overtime
/// that would be refused is answered with the refusal `submit` would give. User level
/// STAFF.
#[utoipa::path(post, path = "/v4/overtime/validate", tag = "overtime", request_body = SubmitOvertime,
    responses((status = 200, body = Envelope<OvertimeQuote>)))]
pub(super) async fn validate(
    State(state): State<AppState>,
    caller: Caller,
    body: Body,
) -> Answer<OvertimeQuote> {
    let input = Ask::from(body.parse::<SubmitOvertime>()?).into_input(TypeKind::Overtime)?;
    let Quoted { quote, .. } = quote(&state, &caller, input, TypeKind::Overtime).await?;
    Envelope::ok(OvertimeQuote {
        user_id: quote.user_id,
        overtime_type_id: quote.leave_type_id,
        duration: quote.minutes,
        allowance_type_id: allowance_type_id(quote.unit),
        warnings: quote.warnings,
    })
}

/// A submitted overtime request.
#[derive(Debug, Serialize, ToSchema)]
pub struct OvertimeSubmitted {
    overtime_id: i64,
    /// Active 1.
    status_id: i64,
    /// Pending 1, or approved 100 for a type that needs no approval.
    request_status_id: i64,
    /// Minutes the request covers.
    duration: i64,
}

/// Reports overtime, for oneself or (approvers 210 and 220, super users) for someone one
/// books for. The same checks, mail, webhooks and audit as `POST /api/v1/leave-requests`
/// with an overtime type. User level STAFF.
#[utoipa::path(post, path = "/v4/overtime/submit", tag = "overtime", request_body = SubmitOvertime,
    responses((status = 200, body = Envelope<OvertimeSubmitted>)))]
pub(super) async fn submit(
    State(state): State<AppState>,
    caller: Caller,
    body: Body,
) -> Answer<OvertimeSubmitted> {
    let input = Ask::from(body.parse::<SubmitOvertime>()?).into_input(TypeKind::Overtime)?;
    let made =
        request::create_of_kind(&state.db, &caller.actor, input, Some(TypeKind::Overtime)).await;
    let made = booked(made, TypeKind::Overtime)?;
    Envelope::ok(OvertimeSubmitted {
        overtime_id: made.id,
        status_id: whosoff_overtime_status(made.status),
        request_status_id: whosoff_status(made.status),
        duration: made.minutes,
    })
}

/// `overtime/edit`'s body: `leave/edit`'s, with `overtime_id` and `overtime_type_id`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EditOvertime {
    #[schema(value_type = i64)]
    overtime_id: Int,
    /// Another overtime type; a leave type is refused with `wrong_type_kind`.
    #[schema(value_type = Option<i64>)]
    overtime_type_id: Option<Int>,
    /// With `end_date`: both or neither.
    start_date: Option<String>,
    end_date: Option<String>,
    /// Up to 500 characters.
    note: Option<String>,
}

impl From<EditOvertime> for Edit {
    fn from(body: EditOvertime) -> Self {
        Self {
            id: body.overtime_id,
            type_id: body.overtime_type_id,
            start_date: body.start_date,
            end_date: body.end_date,
            note: body.note,
        }
    }
}

/// Changes pending overtime: the requester, approvers 220 for their staff, super users.
/// The same checks, mail, webhooks and audit as `PATCH /api/v1/leave-requests/{id}`.
/// User level STAFF.
#[utoipa::path(put, path = "/v4/overtime/edit", tag = "overtime", request_body = EditOvertime,
    responses((status = 200, body = Envelope<RecordId>)))]
pub(super) async fn edit(
    State(state): State<AppState>,
    caller: Caller,
    body: Body,
) -> Answer<RecordId> {
    edit_of::<EditOvertime>(&state, &caller, body, TypeKind::Overtime).await
}

/// The body of `approve`, `decline` and `cancel`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecideOvertime {
    #[schema(value_type = i64)]
    overtime_id: Int,
    /// The reason, up to 500 characters: required to decline.
    note: Option<String>,
}

impl From<DecideOvertime> for (i64, Decision) {
    fn from(body: DecideOvertime) -> Self {
        let decision = Decision {
            reason: body.note,
            override_staffing: false,
            open_shifts: false,
        };
        (body.overtime_id.get(), decision)
    }
}

/// Approves pending overtime: the time it covers is added to the user's time off in lieu.
/// User level APPROVER.
#[utoipa::path(put, path = "/v4/overtime/approve", tag = "overtime", request_body = DecideOvertime,
    responses((status = 200, body = Envelope<RecordId>)))]
pub(super) async fn approve(
    State(state): State<AppState>,
    caller: Caller,
    body: Body,
) -> Answer<RecordId> {
    decide::<DecideOvertime>(&state, &caller, body, Verdict::Approve, TypeKind::Overtime).await
}

/// Declines pending overtime; `note` is required. User level APPROVER.
#[utoipa::path(put, path = "/v4/overtime/decline", tag = "overtime", request_body = DecideOvertime,
    responses((status = 200, body = Envelope<RecordId>)))]
pub(super) async fn decline(
    State(state): State<AppState>,
    caller: Caller,
    body: Body,
) -> Answer<RecordId> {
    decide::<DecideOvertime>(&state, &caller, body, Verdict::Decline, TypeKind::Overtime).await
}

/// Cancels pending or approved overtime; approved overtime takes back the time off in
/// lieu it earned (refused with `insufficient_allowance` once that is spent). Staff
/// cancel their own within the type's cancellation period. User level STAFF.
#[utoipa::path(put, path = "/v4/overtime/cancel", tag = "overtime", request_body = DecideOvertime,
    responses((status = 200, body = Envelope<RecordId>)))]
pub(super) async fn cancel(
    State(state): State<AppState>,
    caller: Caller,
    body: Body,
) -> Answer<RecordId> {
    decide::<DecideOvertime>(&state, &caller, body, Verdict::Cancel, TypeKind::Overtime).await
}
