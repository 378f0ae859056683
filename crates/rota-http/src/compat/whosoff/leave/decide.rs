//! Deciding leave: `approve`, `decline` and `cancel`, which WhosOff does not publish.
//! Each is a `PUT` with `{leave_id, note}` answered with the standard response object,
//! as WhosOff's published updates are; `note` is the reason the requester is told.
//! [`decide`] serves the Overtime controller's three as well.

use axum::extract::State;
use rota_core::leave::request::{self, Decision};
use rota_core::leave::types::TypeKind;
use rota_core::policy::Action;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use utoipa::ToSchema;

use crate::AppState;
use crate::compat::lenient::{Flag, Int};
use crate::compat::whosoff::envelope::{Answer, Envelope, RecordId};
use crate::compat::whosoff::extract::{Body, Caller};

/// The body of `approve`, `decline` and `cancel`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecideLeave {
    #[schema(value_type = i64)]
    leave_id: Int,
    /// The reason, up to 500 characters: required to decline.
    note: Option<String>,
    /// `approve` only: a super user approving although the department falls below its
    /// minimum staff.
    #[schema(value_type = Option<bool>)]
    override_staffing: Option<Flag>,
}

impl From<DecideLeave> for (i64, Decision) {
    fn from(body: DecideLeave) -> Self {
        let decision = Decision {
            reason: body.note,
            override_staffing: body.override_staffing.is_some_and(Flag::get),
            open_shifts: false,
        };
        (body.leave_id.get(), decision)
    }
}

/// What a decision call does to a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(in crate::compat::whosoff) enum Verdict {
    /// User level APPROVER: spends the allowance (or, for overtime, earns time off in lieu).
    Approve,
    /// User level APPROVER; a reason is required.
    Decline,
    /// User level STAFF: the core decides whose requests the caller may cancel.
    Cancel,
}

/// Decides the request of `kind` a body of `B` names (a request of the other kind is
/// absent), asking for the APPROVER level before the body is read where the verdict needs
/// it.
pub(in crate::compat::whosoff) async fn decide<B>(
    state: &AppState,
    caller: &Caller,
    body: Body,
    verdict: Verdict,
    kind: TypeKind,
) -> Answer<RecordId>
where
    B: DeserializeOwned + Into<(i64, Decision)>,
{
    if verdict != Verdict::Cancel {
        caller.may(Action::ListMyStaff)?;
    }
    let (id, decision) = body.parse::<B>()?.into();
    let (db, actor) = (&state.db, &caller.actor);
    let decided = match verdict {
        Verdict::Approve => request::approve_of_kind(db, actor, id, decision, Some(kind)).await?,
        Verdict::Decline => request::decline_of_kind(db, actor, id, decision, Some(kind)).await?,
        Verdict::Cancel => request::cancel_of_kind(db, actor, id, decision, Some(kind)).await?,
    };
    Envelope::ok(RecordId {
        record_id: decided.id,
    })
}

/// Approves a pending request, spending the allowance. User level APPROVER.
#[utoipa::path(put, path = "/v4/leave/approve", tag = "leave", request_body = DecideLeave,
    responses((status = 200, body = Envelope<RecordId>)))]
pub(super) async fn approve(
    State(state): State<AppState>,
    caller: Caller,
    body: Body,
) -> Answer<RecordId> {
    decide::<DecideLeave>(&state, &caller, body, Verdict::Approve, TypeKind::Leave).await
}

/// Declines a pending request; `note` is required. User level APPROVER.
#[utoipa::path(put, path = "/v4/leave/decline", tag = "leave", request_body = DecideLeave,
    responses((status = 200, body = Envelope<RecordId>)))]
pub(super) async fn decline(
    State(state): State<AppState>,
    caller: Caller,
    body: Body,
) -> Answer<RecordId> {
    decide::<DecideLeave>(&state, &caller, body, Verdict::Decline, TypeKind::Leave).await
}

/// Cancels a pending or approved request; an approved one gives its time back. Staff
/// cancel their own within the type's cancellation period. User level STAFF.
#[utoipa::path(put, path = "/v4/leave/cancel", tag = "leave", request_body = DecideLeave,
    responses((status = 200, body = Envelope<RecordId>)))]
pub(super) async fn cancel(
    State(state): State<AppState>,
    caller: Caller,
    body: Body,
) -> Answer<RecordId> {
    decide::<DecideLeave>(&state, &caller, body, Verdict::Cancel, TypeKind::Leave).await
}
