//! The Leave Type controller: create, retrieve, update, del and get-by-id over the
//! company's leave types (its overtime types are the Overtime Type controller's and are
//! absent here). WhosOff publishes create and retrieve; the other three follow the
//! Department controller's shape. Every call is SUPER USER.
//!
//! Code lists WhosOff leaves unnamed, as Rota names them:
//! - `deduct_allowance_id`: 0 deducts from the allowance, 1 does not; 2 (adds to it, time
//!   off in lieu) is refused, as Rota earns time in lieu through overtime types.
//! - `email_request_id`, `email_approve_id`, `email_cancel_id`: 0 no e-mail, 1 e-mail
//!   to Rota's recipients (approver and notifiers for a request, the requester for a
//!   decision or cancellation); 2–4 (other recipient sets) are refused.
//! - `status_id`: disabled 0, active 1.
//! - `min_notice_period` and `cancellation_period` are days.

use crate::auth::{Declared, declare_bare};
use axum::extract::State;
use rota_core::access::Area;
use rota_core::leave::types::{self, LeaveType, LeaveTypeInput, TypeKind};
use rota_core::org;
use rota_core::people::types::UserType;
use rota_core::policy::Action;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::envelope::{Answer, Envelope, RecordId, WhosOff};
use super::extract::{Body, Caller, Segments};
use super::leave::colour;
use crate::AppState;
use crate::compat::errors::Vendored;
use crate::compat::lenient::{Flag, Int};

type Refusal = Vendored<WhosOff>;

/// The controller's calls: those that only read need the leave area's `read` scope,
/// whatever their method.
pub fn router() -> OpenApiRouter<AppState> {
    let reads = OpenApiRouter::new()
        .routes(routes!(retrieve))
        .routes(routes!(get_by_id));
    let writes = OpenApiRouter::new()
        .routes(routes!(create))
        .routes(routes!(update))
        .routes(routes!(del));
    OpenApiRouter::new()
        .merge(declare_bare(Declared::Reads(Area::Leave), reads))
        .merge(declare_bare(Declared::Area(Area::Leave), writes))
}

/// The body of `create` (which needs `name`, `code`, `colour`, `deduct_allowance_id`,
/// `requires_approval` and `status_id`; Rota's defaults fill what else is left out) and
/// of `update` (which needs `leave_type_id`; what is left out stays).
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LeaveTypeBody {
    /// `update` only.
    #[schema(value_type = Option<i64>)]
    leave_type_id: Option<Int>,
    /// 1 to 50 characters.
    name: Option<String>,
    /// 1 or 2 characters.
    code: Option<String>,
    /// `#rrggbb` or `rrggbb`.
    colour: Option<String>,
    /// 0 deducts from the allowance, 1 does not.
    #[schema(value_type = Option<i64>)]
    deduct_allowance_id: Option<Int>,
    #[schema(value_type = Option<bool>)]
    requires_approval: Option<Flag>,
    /// Minutes; `consecutive_duration` is the older name.
    #[serde(alias = "consecutive_duration")]
    #[schema(value_type = Option<i64>)]
    minimum_duration: Option<Int>,
    #[schema(value_type = Option<bool>)]
    allow_concurrent_requests: Option<Flag>,
    /// A user_type_id (100–310): the lowest user level that sees notes on requests.
    #[schema(value_type = Option<i64>)]
    notes_visible_to_id: Option<Int>,
    /// The lowest user level that may book the type for themselves.
    #[schema(value_type = Option<i64>)]
    available_to_id: Option<Int>,
    /// The lowest user level that sees the type on the calendar.
    #[schema(value_type = Option<i64>)]
    seen_by_id: Option<Int>,
    /// Days of notice staff give.
    #[schema(value_type = Option<i64>)]
    min_notice_period: Option<Int>,
    /// Days before the start after which staff may no longer cancel.
    #[schema(value_type = Option<i64>)]
    cancellation_period: Option<Int>,
    /// Rota counts every type's leave against a department's minimum staff: `true` only.
    #[schema(value_type = Option<bool>)]
    include_department_level: Option<Flag>,
    #[schema(value_type = Option<bool>)]
    note_required: Option<Flag>,
    /// 0 no e-mail, 1 e-mail.
    #[schema(value_type = Option<i64>)]
    email_request_id: Option<Int>,
    #[schema(value_type = Option<i64>)]
    email_approve_id: Option<Int>,
    #[schema(value_type = Option<i64>)]
    email_cancel_id: Option<Int>,
    /// Disabled 0, active 1.
    #[schema(value_type = Option<i64>)]
    status_id: Option<Int>,
    staff_url: Option<String>,
    staff_note: Option<String>,
    approver_url: Option<String>,
    approver_note: Option<String>,
    /// Rota has no per-type message: empty only.
    message: Option<String>,
}

fn invalid(field: &'static str, message: &'static str) -> Refusal {
    rota_core::Error::invalid(field, message).into()
}

/// A WhosOff yes / no code (0 or 1) of `field`.
fn switch(
    field: &'static str,
    code: Option<Int>,
    other: &'static str,
) -> Result<Option<bool>, Refusal> {
    match code.map(Int::get) {
        None => Ok(None),
        Some(0) => Ok(Some(false)),
        Some(1) => Ok(Some(true)),
        Some(_) => Err(invalid(field, other)),
    }
}

fn role(field: &'static str, code: Option<Int>) -> Result<Option<UserType>, Refusal> {
    code.map(|c| {
        UserType::try_from(c.get())
            .map_err(|_| invalid(field, "a user_type_id: 100, 200, 210, 220, 300 or 310"))
    })
    .transpose()
}

impl LeaveTypeBody {
    fn into_input(self) -> Result<LeaveTypeInput, Refusal> {
        if self
            .code
            .as_deref()
            .is_some_and(|c| c.trim().chars().count() > 2)
        {
            return Err(invalid("code", "code is 1 or 2 characters"));
        }
        if self
            .message
            .as_deref()
            .is_some_and(|m| !m.trim().is_empty())
        {
            return Err(invalid(
                "message",
                "Rota has no per-type message; send it empty",
            ));
        }
        if self.include_department_level.is_some_and(|f| !f.get()) {
            return Err(invalid(
                "include_department_level",
                "Rota counts every type's leave against a department's minimum staff",
            ));
        }
        let deducts = match self.deduct_allowance_id.map(Int::get) {
            None => None,
            Some(0) => Some(true),
            Some(1) => Some(false),
            Some(2) => {
                return Err(invalid(
                    "deduct_allowance_id",
                    "time that adds to the allowance is booked as overtime: use an overtime type",
                ));
            }
            Some(_) => {
                return Err(invalid(
                    "deduct_allowance_id",
                    "deduct_allowance_id is 0 or 1",
                ));
            }
        };
        let email = "0 (no e-mail) or 1 (e-mail); Rota has no other recipient sets";
        Ok(LeaveTypeInput {
            kind: None,
            code: self.code,
            name: self.name,
            colour: self.colour,
            deducts_allowance: deducts,
            requires_approval: self.requires_approval.map(Flag::get),
            minimum_duration_minutes: self.minimum_duration.map(Int::get),
            allow_concurrent_requests: self.allow_concurrent_requests.map(Flag::get),
            notes_visible_to: role("notes_visible_to_id", self.notes_visible_to_id)?,
            available_to: role("available_to_id", self.available_to_id)?,
            seen_by: role("seen_by_id", self.seen_by_id)?,
            min_notice_days: self.min_notice_period.map(Int::get),
            cancellation_period_days: self.cancellation_period.map(Int::get),
            note_required: self.note_required.map(Flag::get),
            email_on_request: switch("email_request_id", self.email_request_id, email)?,
            email_on_decision: switch("email_approve_id", self.email_approve_id, email)?,
            email_on_cancel: switch("email_cancel_id", self.email_cancel_id, email)?,
            is_active: switch("status_id", self.status_id, "status_id is 0 or 1")?,
            staff_url: self.staff_url,
            staff_note: self.staff_note,
            approver_url: self.approver_url,
            approver_note: self.approver_note,
            ..LeaveTypeInput::default()
        })
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LeaveTypeId {
    leave_type_id: i64,
}

/// A leave type as `retrieve` and `get-by-id` answer it.
#[derive(Debug, Serialize, ToSchema)]
pub struct LeaveTypeRecord {
    leave_type_id: i64,
    name: String,
    code: String,
    /// `#rrggbb`.
    colour: String,
    deduct_allowance_id: i64,
    requires_approval: bool,
    minimum_duration: i64,
    allow_concurrent_requests: bool,
    notes_visible_to_id: i64,
    available_to_id: i64,
    seen_by_id: i64,
    min_notice_period: i64,
    cancellation_period: i64,
    include_department_level: bool,
    note_required: bool,
    email_request_id: i64,
    email_approve_id: i64,
    email_cancel_id: i64,
    status_id: i64,
    staff_url: Option<String>,
    staff_note: Option<String>,
    approver_url: Option<String>,
    approver_note: Option<String>,
    message: Option<String>,
}

impl From<LeaveType> for LeaveTypeRecord {
    fn from(t: LeaveType) -> Self {
        Self {
            leave_type_id: t.id,
            name: t.name,
            code: t.code,
            colour: colour(&t.colour),
            deduct_allowance_id: if t.deducts_allowance { 0 } else { 1 },
            requires_approval: t.requires_approval,
            minimum_duration: t.minimum_duration_minutes,
            allow_concurrent_requests: t.allow_concurrent_requests,
            notes_visible_to_id: t.notes_visible_to.code(),
            available_to_id: t.available_to.code(),
            seen_by_id: t.seen_by.code(),
            min_notice_period: t.min_notice_days,
            cancellation_period: t.cancellation_period_days,
            include_department_level: true,
            note_required: t.note_required,
            email_request_id: i64::from(t.email_on_request),
            email_approve_id: i64::from(t.email_on_decision),
            email_cancel_id: i64::from(t.email_on_cancel),
            status_id: i64::from(t.is_active),
            staff_url: t.staff_url,
            staff_note: t.staff_note,
            approver_url: t.approver_url,
            approver_note: t.approver_note,
            message: None,
        }
    }
}

/// Creates a leave type. User level SUPER USER.
#[utoipa::path(post, path = "/v4/leave-type/create", tag = "leave-type", request_body = LeaveTypeBody,
    responses((status = 200, body = Envelope<LeaveTypeId>)))]
async fn create(State(state): State<AppState>, caller: Caller, body: Body) -> Answer<LeaveTypeId> {
    caller.may(Action::ManageOrganisation)?;
    let body: LeaveTypeBody = body.parse()?;
    for (field, present) in [
        ("name", body.name.is_some()),
        ("code", body.code.is_some()),
        ("colour", body.colour.is_some()),
        ("deduct_allowance_id", body.deduct_allowance_id.is_some()),
        ("requires_approval", body.requires_approval.is_some()),
        ("status_id", body.status_id.is_some()),
    ] {
        if !present {
            return Err(rota_core::Error::invalid(field, format!("{field} is required")).into());
        }
    }
    if body.leave_type_id.is_some() {
        return Err(invalid(
            "leave_type_id",
            "create makes a new type: leave_type_id is for update",
        ));
    }
    let created: LeaveType = org::create(&state.db, &caller.actor, body.into_input()?).await?;
    Envelope::ok(LeaveTypeId {
        leave_type_id: created.id,
    })
}

/// `retrieve`'s body.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RetrieveLeaveTypes {
    /// Disabled 0, active 1, both 99; both when left out.
    #[schema(value_type = Option<i64>)]
    status_id: Option<Int>,
}

/// Lists the company's leave types. User level SUPER USER.
#[utoipa::path(post, path = "/v4/leave-type/retrieve", tag = "leave-type", request_body = RetrieveLeaveTypes,
    responses((status = 200, body = Envelope<Vec<LeaveTypeRecord>>)))]
async fn retrieve(
    State(state): State<AppState>,
    caller: Caller,
    body: Body,
) -> Answer<Vec<LeaveTypeRecord>> {
    caller.may(Action::ManageOrganisation)?;
    let body: RetrieveLeaveTypes = body.parse()?;
    let active = match body.status_id.map(Int::get) {
        None | Some(99) => None,
        Some(0) => Some(false),
        Some(1) => Some(true),
        Some(_) => return Err(invalid("status_id", "status_id is 0, 1 or 99")),
    };
    let found = types::of_kind(&state.db, &caller.actor, TypeKind::Leave, active).await?;
    Envelope::ok(found.into_iter().map(Into::into).collect())
}

/// One leave type. User level SUPER USER.
#[utoipa::path(get, path = "/v4/leave-type/get-by-id/{leave_type_id}", tag = "leave-type",
    params(("leave_type_id" = i64, Path)), responses((status = 200, body = Envelope<LeaveTypeRecord>)))]
async fn get_by_id(
    State(state): State<AppState>,
    caller: Caller,
    Segments(id): Segments<Int>,
) -> Answer<LeaveTypeRecord> {
    caller.may(Action::ManageOrganisation)?;
    let found = types::get_of_kind(&state.db, &caller.actor, id.get(), TypeKind::Leave).await?;
    Envelope::ok(found.into())
}

/// Changes a leave type. User level SUPER USER.
#[utoipa::path(put, path = "/v4/leave-type/update", tag = "leave-type", request_body = LeaveTypeBody,
    responses((status = 200, body = Envelope<RecordId>)))]
async fn update(State(state): State<AppState>, caller: Caller, body: Body) -> Answer<RecordId> {
    caller.may(Action::ManageOrganisation)?;
    let mut body: LeaveTypeBody = body.parse()?;
    let id = body
        .leave_type_id
        .take()
        .ok_or_else(|| invalid("leave_type_id", "leave_type_id is required"))?
        .get();
    let input = body.into_input()?;
    types::get_of_kind(&state.db, &caller.actor, id, TypeKind::Leave).await?;
    let updated: LeaveType = org::update(&state.db, &caller.actor, id, input).await?;
    Envelope::ok(RecordId {
        record_id: updated.id,
    })
}

/// Deletes a leave type no request or allowance uses (`in_use` otherwise: disable it
/// with `status_id` 0 instead). User level SUPER USER.
#[utoipa::path(delete, path = "/v4/leave-type/del/{leave_type_id}", tag = "leave-type",
    params(("leave_type_id" = i64, Path)), responses((status = 200, body = Envelope<RecordId>)))]
async fn del(
    State(state): State<AppState>,
    caller: Caller,
    Segments(id): Segments<Int>,
) -> Answer<RecordId> {
    caller.may(Action::ManageOrganisation)?;
    types::get_of_kind(&state.db, &caller.actor, id.get(), TypeKind::Leave).await?;
    org::delete::<LeaveType>(&state.db, &caller.actor, id.get(), false).await?;
    Envelope::ok(RecordId {
        record_id: id.get(),
    })
}
