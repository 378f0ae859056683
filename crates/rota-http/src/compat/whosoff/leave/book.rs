//! Asking for leave: `validate` (a quote: would this request be accepted, and what would
//! it cost), `submit` (the request) and `edit` (a pending request moved or changed).
//! [`quote`] and [`edit`] serve the Overtime controller's `validate` and `edit` as well.

use axum::extract::State;
use rota_core::leave::patterns::working_day;
use rota_core::leave::request::{self, LeaveRequestInput, LeaveRequestPatch, Quote};
use rota_core::leave::types::TypeKind;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{allowance_type_id, booked, booking};
use crate::AppState;
use crate::compat::codes::whosoff_status;
use crate::compat::errors::Vendored;
use crate::compat::lenient::{Flag, Int};
use crate::compat::units::allowance_minutes;
use crate::compat::whosoff::envelope::{Answer, Envelope, RecordId, WhosOff};
use crate::compat::whosoff::extract::{Body, Caller};

/// The body of `validate` and `submit`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AskForLeave {
    /// Refused on `validate` and `submit`: an existing request changes through `edit`.
    #[schema(value_type = Option<i64>)]
    leave_id: Option<Int>,
    /// Whose leave; the caller's own when left out.
    #[schema(value_type = Option<i64>)]
    user_id: Option<Int>,
    #[schema(value_type = i64)]
    leave_type_id: Int,
    /// Inclusive: `2023-03-28T00:00` for a full day, `T12:00` for an afternoon, a quarter
    /// hour for leave in hours.
    start_date: String,
    /// Exclusive: `2023-03-29T00:00` ends a full day on the 28th, `2023-03-28T12:00` a
    /// morning.
    end_date: String,
    /// Accepted for WhosOff's clients; Rota applies the self-service limits (notice,
    /// types offered, cancellation window) by the caller's user level, as the native API
    /// does.
    #[schema(value_type = Option<bool>)]
    #[expect(dead_code, reason = "checked as a flag, decided by the user level")]
    admin: Option<Flag>,
    /// Up to 500 characters.
    note: Option<String>,
}

impl From<AskForLeave> for Ask {
    fn from(body: AskForLeave) -> Self {
        Self {
            existing: body.leave_id,
            user_id: body.user_id,
            type_id: body.leave_type_id,
            start_date: body.start_date,
            end_date: body.end_date,
            note: body.note,
        }
    }
}

/// What a `validate` or `submit` body asks for, whichever controller's names it carries.
pub(in crate::compat::whosoff) struct Ask {
    /// The id of an existing request: refused, as one changes through `edit`.
    pub existing: Option<Int>,
    pub user_id: Option<Int>,
    pub type_id: Int,
    pub start_date: String,
    pub end_date: String,
    pub note: Option<String>,
}

impl Ask {
    /// The core's input for a new request of `kind`.
    pub fn into_input(self, kind: TypeKind) -> Result<LeaveRequestInput, Vendored<WhosOff>> {
        if self.existing.is_some() {
            let (field, edit) = match kind {
                TypeKind::Leave => ("leave_id", "leave/edit"),
                TypeKind::Overtime => ("overtime_id", "overtime/edit"),
            };
            return Err(rota_core::Error::invalid(
                field,
                format!("{field} names an existing request: change it with {edit}"),
            )
            .into());
        }
        let booking = booking(&self.start_date, &self.end_date)?;
        Ok(booking.into_input(self.user_id.map(Int::get), self.type_id.get(), self.note))
    }
}

/// What a request would cost.
#[derive(Debug, Serialize, ToSchema)]
pub struct LeaveQuote {
    user_id: i64,
    leave_type_id: i64,
    /// Working minutes the request covers.
    duration: i64,
    /// 0 days, 1 hours.
    allowance_type_id: i64,
    /// For types that deduct: what the allowance could still give before and after the
    /// request, in minutes at the user's working day.
    remaining_before: Option<i32>,
    remaining_after: Option<i32>,
    /// What an approver would be told, such as a department below its minimum staff.
    warnings: Vec<String>,
}

/// Whether a request would be accepted, and what it would cost; nothing is written. A
/// request that would be refused is answered with the refusal `submit` would give.
/// User level STAFF.
#[utoipa::path(post, path = "/v4/leave/validate", tag = "leave", request_body = AskForLeave,
    responses((status = 200, body = Envelope<LeaveQuote>)))]
pub(super) async fn validate(
    State(state): State<AppState>,
    caller: Caller,
    body: Body,
) -> Answer<LeaveQuote> {
    let input = Ask::from(body.parse::<AskForLeave>()?).into_input(TypeKind::Leave)?;
    let Quoted {
        quote,
        remaining_before,
        remaining_after,
    } = self::quote(&state, &caller, input, TypeKind::Leave).await?;
    Envelope::ok(LeaveQuote {
        user_id: quote.user_id,
        leave_type_id: quote.leave_type_id,
        duration: quote.minutes,
        allowance_type_id: allowance_type_id(quote.unit),
        remaining_before,
        remaining_after,
        warnings: quote.warnings,
    })
}

/// A request of one kind quoted in WhosOff's terms: the core's quote, and what the
/// allowance could still give before and after it in minutes (for types that deduct).
pub(in crate::compat::whosoff) struct Quoted {
    pub quote: Quote,
    pub remaining_before: Option<i32>,
    pub remaining_after: Option<i32>,
}

/// Quotes `input` of `kind` without writing it, refused as `submit` would refuse it.
pub(in crate::compat::whosoff) async fn quote(
    state: &AppState,
    caller: &Caller,
    input: LeaveRequestInput,
    kind: TypeKind,
) -> Result<Quoted, Vendored<WhosOff>> {
    let start = input.start_date.clone();
    let quote = booked(
        request::quote_of_kind(&state.db, &caller.actor, input, Some(kind)).await,
        kind,
    )?;
    if quote.available_before.is_none() && quote.available_after.is_none() {
        return Ok(Quoted {
            quote,
            remaining_before: None,
            remaining_after: None,
        });
    }
    let on = rota_core::validate::date("start_date", &start)?;
    let day = working_day(&state.db, &caller.actor, quote.user_id, on).await?;
    let in_minutes = |amount: Option<i64>| -> Result<Option<i32>, Vendored<WhosOff>> {
        let Some(amount) = amount else {
            return Ok(None);
        };
        allowance_minutes(amount, quote.unit, day)
            .map(Some)
            .map_err(unconvertible)
    };
    Ok(Quoted {
        remaining_before: in_minutes(quote.available_before)?,
        remaining_after: in_minutes(quote.available_after)?,
        quote,
    })
}

fn unconvertible(error: crate::compat::units::UnitError) -> Vendored<WhosOff> {
    rota_core::Error::invalid(
        "start_date",
        format!("the allowance cannot be given in minutes: {error}"),
    )
    .into()
}

/// A submitted request.
#[derive(Debug, Serialize, ToSchema)]
pub struct Submitted {
    leave_id: i64,
    /// Pending 1, or approved 100 for a type that needs no approval.
    status_id: i64,
    /// Working minutes the request covers.
    duration: i64,
}

/// Asks for leave, for oneself or (approvers 210 and 220, super users) for someone one
/// books for. The same checks, mail, webhooks and audit as `POST /api/v1/leave-requests`.
/// User level STAFF.
#[utoipa::path(post, path = "/v4/leave/submit", tag = "leave", request_body = AskForLeave,
    responses((status = 200, body = Envelope<Submitted>)))]
pub(super) async fn submit(
    State(state): State<AppState>,
    caller: Caller,
    body: Body,
) -> Answer<Submitted> {
    let input = Ask::from(body.parse::<AskForLeave>()?).into_input(TypeKind::Leave)?;
    let made = booked(
        request::create_of_kind(&state.db, &caller.actor, input, Some(TypeKind::Leave)).await,
        TypeKind::Leave,
    )?;
    Envelope::ok(Submitted {
        leave_id: made.id,
        status_id: whosoff_status(made.status),
        duration: made.minutes,
    })
}

/// `leave/edit`'s body: what is sent changes, what is left out stays.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EditLeave {
    #[schema(value_type = i64)]
    leave_id: Int,
    #[schema(value_type = Option<i64>)]
    leave_type_id: Option<Int>,
    /// With `end_date`: both or neither.
    start_date: Option<String>,
    end_date: Option<String>,
    note: Option<String>,
}

impl From<EditLeave> for Edit {
    fn from(body: EditLeave) -> Self {
        Self {
            id: body.leave_id,
            type_id: body.leave_type_id,
            start_date: body.start_date,
            end_date: body.end_date,
            note: body.note,
        }
    }
}

/// Changes a pending request: the requester, approvers 220 for their staff, super users.
/// User level STAFF.
#[utoipa::path(put, path = "/v4/leave/edit", tag = "leave", request_body = EditLeave,
    responses((status = 200, body = Envelope<RecordId>)))]
pub(super) async fn edit(
    State(state): State<AppState>,
    caller: Caller,
    body: Body,
) -> Answer<RecordId> {
    edit_of::<EditLeave>(&state, &caller, body, TypeKind::Leave).await
}

/// What an `edit` body asks, whichever controller's names it carries: the request, and
/// what changes (what is left out stays).
pub(in crate::compat::whosoff) struct Edit {
    pub id: Int,
    pub type_id: Option<Int>,
    pub start_date: Option<String>,
    pub end_date: Option<String>,
    pub note: Option<String>,
}

/// Edits the pending request of `kind` a body of `B` names (a request of the other kind is
/// absent, a type of the other kind refused with `wrong_type_kind`).
pub(in crate::compat::whosoff) async fn edit_of<B>(
    state: &AppState,
    caller: &Caller,
    body: Body,
    kind: TypeKind,
) -> Answer<RecordId>
where
    B: DeserializeOwned + Into<Edit>,
{
    let body: Edit = body.parse::<B>()?.into();
    let patch = LeaveRequestPatch {
        leave_type_id: body.type_id.map(Int::get),
        note: body.note,
        ..LeaveRequestPatch::default()
    };
    let patch = match (body.start_date, body.end_date) {
        (None, None) => patch,
        (Some(start), Some(end)) => booking(&start, &end)?.into_patch(patch),
        (None, Some(_)) => return Err(both("start_date")),
        (Some(_), None) => return Err(both("end_date")),
    };
    let edited =
        request::edit_of_kind(&state.db, &caller.actor, body.id.get(), patch, Some(kind)).await;
    let edited = booked(edited, kind)?;
    Envelope::ok(RecordId {
        record_id: edited.id,
    })
}

fn both(missing: &'static str) -> Vendored<WhosOff> {
    rota_core::Error::invalid(missing, "start_date and end_date change together").into()
}
