//! The Leave Type controller: create, retrieve, update, del and get-by-id over the
//! company's leave types (its overtime types are the Overtime Type controller's and are
//! absent here). WhosOff publishes create and retrieve; the other three follow the
//! Department controller's shape. Every call is SUPER USER. What both type controllers
//! share, code lists included, is [`super::types`]'s.
//!
//! Leave types' own fields, as Rota names what WhosOff leaves unnamed:
//! - `deduct_allowance_id`: 0 deducts from the allowance, 1 does not; 2 (adds to it, time
//!   off in lieu) is refused, as Rota earns time in lieu through overtime types.
//! - `include_department_level`: `true` only; `message`: empty only.

use crate::auth::{Declared, declare_bare};
use axum::extract::State;
use rota_core::access::Area;
use rota_core::leave::types::{LeaveType, LeaveTypeInput, TypeKind};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::envelope::{Answer, Envelope, RecordId};
use super::extract::{Body, Caller, Segments};
use super::types::{self, Refusal, RetrieveTypes, SharedRecord, TypeBody, invalid, type_body};
use crate::AppState;
use crate::compat::lenient::{Flag, Int};

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

type_body! {
    /// The body of `create` (which needs `name`, `code`, `colour`, `deduct_allowance_id`,
    /// `requires_approval` and `status_id`; Rota's defaults fill what else is left out) and
    /// of `update` (which needs `leave_type_id`; what is left out stays).
    pub struct LeaveTypeBody {
        /// `update` only.
        leave_type_id,
        /// 0 deducts from the allowance, 1 does not.
        #[schema(value_type = Option<i64>)]
        deduct_allowance_id: Option<Int>,
        /// Rota counts every type's leave against a department's minimum staff: `true` only.
        #[schema(value_type = Option<bool>)]
        include_department_level: Option<Flag>,
        /// Rota has no per-type message: empty only.
        message: Option<String>,
    }
}

impl TypeBody for LeaveTypeBody {
    const KIND: TypeKind = TypeKind::Leave;
    const ID: &'static str = "leave_type_id";

    fn id(&mut self) -> Option<Int> {
        self.take_id()
    }

    fn missing(&self) -> Option<&'static str> {
        self.shared_missing().or_else(|| {
            self.deduct_allowance_id
                .is_none()
                .then_some("deduct_allowance_id")
        })
    }

    fn into_input(mut self) -> Result<LeaveTypeInput, Refusal> {
        let input = self.shared_input()?;
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
        Ok(LeaveTypeInput {
            deducts_allowance: deducts,
            ..input
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
    #[serde(flatten)]
    shared: SharedRecord,
    deduct_allowance_id: i64,
    include_department_level: bool,
    message: Option<String>,
}

impl From<LeaveType> for LeaveTypeRecord {
    fn from(t: LeaveType) -> Self {
        Self {
            leave_type_id: t.id,
            deduct_allowance_id: if t.deducts_allowance { 0 } else { 1 },
            include_department_level: true,
            message: None,
            shared: t.into(),
        }
    }
}

/// Creates a leave type. User level SUPER USER.
#[utoipa::path(post, path = "/v4/leave-type/create", tag = "leave-type", request_body = LeaveTypeBody,
    responses((status = 200, body = Envelope<LeaveTypeId>)))]
async fn create(State(state): State<AppState>, caller: Caller, body: Body) -> Answer<LeaveTypeId> {
    let leave_type_id = types::create::<LeaveTypeBody>(&state, &caller, body).await?;
    Envelope::ok(LeaveTypeId { leave_type_id })
}

/// Lists the company's leave types. User level SUPER USER.
#[utoipa::path(post, path = "/v4/leave-type/retrieve", tag = "leave-type", request_body = RetrieveTypes,
    responses((status = 200, body = Envelope<Vec<LeaveTypeRecord>>)))]
async fn retrieve(
    State(state): State<AppState>,
    caller: Caller,
    body: Body,
) -> Answer<Vec<LeaveTypeRecord>> {
    let found = types::retrieve(&state, &caller, body, TypeKind::Leave).await?;
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
    Envelope::ok(
        types::get(&state, &caller, id, TypeKind::Leave)
            .await?
            .into(),
    )
}

/// Changes a leave type. User level SUPER USER.
#[utoipa::path(put, path = "/v4/leave-type/update", tag = "leave-type", request_body = LeaveTypeBody,
    responses((status = 200, body = Envelope<RecordId>)))]
async fn update(State(state): State<AppState>, caller: Caller, body: Body) -> Answer<RecordId> {
    Envelope::ok(types::update::<LeaveTypeBody>(&state, &caller, body).await?)
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
    Envelope::ok(types::del(&state, &caller, id, TypeKind::Leave).await?)
}
