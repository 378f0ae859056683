//! The Overtime Type controller, which WhosOff lists without publishing its calls:
//! create, retrieve, update, del and get-by-id over the company's overtime types, in the
//! Leave Type controller's shape (its leave types are absent here). Every call is SUPER
//! USER. An overtime type has the settings every type has ([`super::types`]) and nothing
//! of a leave type's own: overtime never deducts from an allowance (approved, it adds to
//! the time off in lieu), is not counted against a department's minimum staff, and has no
//! per-type message, so `deduct_allowance_id`, `include_department_level` and `message`
//! are unknown fields here.

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
use super::types::{self, Refusal, RetrieveTypes, SharedRecord, TypeBody, type_body};
use crate::AppState;
use crate::compat::lenient::Int;

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
    /// The body of `create` (which needs `name`, `code`, `colour`, `requires_approval` and
    /// `status_id`; Rota's defaults fill what else is left out) and of `update` (which
    /// needs `overtime_type_id`; what is left out stays).
    pub struct OvertimeTypeBody {
        /// `update` only.
        overtime_type_id,
    }
}

impl TypeBody for OvertimeTypeBody {
    const KIND: TypeKind = TypeKind::Overtime;
    const ID: &'static str = "overtime_type_id";

    fn id(&mut self) -> Option<Int> {
        self.take_id()
    }

    fn missing(&self) -> Option<&'static str> {
        self.shared_missing()
    }

    fn into_input(mut self) -> Result<LeaveTypeInput, Refusal> {
        self.shared_input()
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OvertimeTypeId {
    overtime_type_id: i64,
}

/// An overtime type as `retrieve` and `get-by-id` answer it.
#[derive(Debug, Serialize, ToSchema)]
pub struct OvertimeTypeRecord {
    overtime_type_id: i64,
    #[serde(flatten)]
    shared: SharedRecord,
}

impl From<LeaveType> for OvertimeTypeRecord {
    fn from(t: LeaveType) -> Self {
        Self {
            overtime_type_id: t.id,
            shared: t.into(),
        }
    }
}

/// Creates an overtime type. User level SUPER USER.
#[utoipa::path(post, path = "/v4/overtime-type/create", tag = "overtime-type", request_body = OvertimeTypeBody,
    responses((status = 200, body = Envelope<OvertimeTypeId>)))]
async fn create(
    State(state): State<AppState>,
    caller: Caller,
    body: Body,
) -> Answer<OvertimeTypeId> {
    let overtime_type_id = types::create::<OvertimeTypeBody>(&state, &caller, body).await?;
    Envelope::ok(OvertimeTypeId { overtime_type_id })
}

/// Lists the company's overtime types. User level SUPER USER.
#[utoipa::path(post, path = "/v4/overtime-type/retrieve", tag = "overtime-type", request_body = RetrieveTypes,
    responses((status = 200, body = Envelope<Vec<OvertimeTypeRecord>>)))]
async fn retrieve(
    State(state): State<AppState>,
    caller: Caller,
    body: Body,
) -> Answer<Vec<OvertimeTypeRecord>> {
    let found = types::retrieve(&state, &caller, body, TypeKind::Overtime).await?;
    Envelope::ok(found.into_iter().map(Into::into).collect())
}

/// One overtime type. User level SUPER USER.
#[utoipa::path(get, path = "/v4/overtime-type/get-by-id/{overtime_type_id}", tag = "overtime-type",
    params(("overtime_type_id" = i64, Path)), responses((status = 200, body = Envelope<OvertimeTypeRecord>)))]
async fn get_by_id(
    State(state): State<AppState>,
    caller: Caller,
    Segments(id): Segments<Int>,
) -> Answer<OvertimeTypeRecord> {
    Envelope::ok(
        types::get(&state, &caller, id, TypeKind::Overtime)
            .await?
            .into(),
    )
}

/// Changes an overtime type. User level SUPER USER.
#[utoipa::path(put, path = "/v4/overtime-type/update", tag = "overtime-type", request_body = OvertimeTypeBody,
    responses((status = 200, body = Envelope<RecordId>)))]
async fn update(State(state): State<AppState>, caller: Caller, body: Body) -> Answer<RecordId> {
    Envelope::ok(types::update::<OvertimeTypeBody>(&state, &caller, body).await?)
}

/// Deletes an overtime type no request uses (`in_use` otherwise: disable it with
/// `status_id` 0 instead). User level SUPER USER.
#[utoipa::path(delete, path = "/v4/overtime-type/del/{overtime_type_id}", tag = "overtime-type",
    params(("overtime_type_id" = i64, Path)), responses((status = 200, body = Envelope<RecordId>)))]
async fn del(
    State(state): State<AppState>,
    caller: Caller,
    Segments(id): Segments<Int>,
) -> Answer<RecordId> {
    Envelope::ok(types::del(&state, &caller, id, TypeKind::Overtime).await?)
}
