//! Deciding leave: `approve`, `decline` and `cancel`, which WhosOff does not publish.
//! Each is a `PUT` with `{leave_id, note}` answered with the standard response object,
//! as WhosOff's published updates are; `note` is the reason the requester is told.

use axum::extract::State;
use rota_core::leave::request::{self, Decision};
use rota_core::policy::Action;
use serde::Deserialize;
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

impl DecideLeave {
    fn decision(&self) -> Decision {
        Decision {
            reason: self.note.clone(),
            override_staffing: self.override_staffing.is_some_and(Flag::get),
        }
    }
}

/// Approves a pending request, spending the allowance. User level APPROVER.
#[utoipa::path(put, path = "/v4/leave/approve", tag = "leave", request_body = DecideLeave,
    responses((status = 200, body = Envelope<RecordId>)))]
pub(super) async fn approve(
    State(state): State<AppState>,
    caller: Caller,
    body: Body,
) -> Answer<RecordId> {
    caller.may(Action::ListMyStaff)?;
    let body: DecideLeave = body.parse()?;
    let decided = request::approve(
        &state.db,
        &caller.actor,
        body.leave_id.get(),
        body.decision(),
    )
    .await?;
    Envelope::ok(RecordId {
        record_id: decided.id,
    })
}

/// Declines a pending request; `note` is required. User level APPROVER.
#[utoipa::path(put, path = "/v4/leave/decline", tag = "leave", request_body = DecideLeave,
    responses((status = 200, body = Envelope<RecordId>)))]
pub(super) async fn decline(
    State(state): State<AppState>,
    caller: Caller,
    body: Body,
) -> Answer<RecordId> {
    caller.may(Action::ListMyStaff)?;
    let body: DecideLeave = body.parse()?;
    let decided = request::decline(
        &state.db,
        &caller.actor,
        body.leave_id.get(),
        body.decision(),
    )
    .await?;
    Envelope::ok(RecordId {
        record_id: decided.id,
    })
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
    let body: DecideLeave = body.parse()?;
    let cancelled = request::cancel(
        &state.db,
        &caller.actor,
        body.leave_id.get(),
        body.decision(),
    )
    .await?;
    Envelope::ok(RecordId {
        record_id: cancelled.id,
    })
}
