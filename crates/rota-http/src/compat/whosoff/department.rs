//! The Department controller: create, retrieve, update and del, over the organisation's
//! departments. `min_user` and `max_user` are the department's staffing levels.

use axum::extract::State;
use rota_core::org::{self, Department, DepartmentInput};
use rota_core::policy::Action;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::envelope::{Answer, Envelope, RecordId};
use super::extract::{Body, Caller, Query, Segments};
use crate::AppState;
use crate::compat::lenient::{Flag, Int};
use crate::compat::paging::all_pages;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create))
        .routes(routes!(retrieve))
        .routes(routes!(update))
        .routes(routes!(del))
}

/// `department/create`'s body.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateDepartment {
    /// 1 to 50 characters.
    name: String,
    /// 0 to 32767.
    min_user: Int,
    /// 0 to 32767.
    max_user: Option<Int>,
}

/// `department/update`'s body: what is sent changes, what is left out stays.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateDepartment {
    department_id: Int,
    name: Option<String>,
    min_user: Option<Int>,
    max_user: Option<Int>,
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct RetrieveQuery {
    /// One department; all of them when left out.
    #[param(value_type = Option<i64>)]
    department_id: Option<Int>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DepartmentId {
    department_id: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DepartmentRecord {
    department_id: i64,
    name: String,
    min_user: i64,
    max_user: Option<i64>,
}

impl From<Department> for DepartmentRecord {
    fn from(department: Department) -> Self {
        Self {
            department_id: department.id,
            name: department.name,
            min_user: department.min_user,
            max_user: department.max_user,
        }
    }
}

/// Creates a department. User level SUPER USER.
#[utoipa::path(post, path = "/v4/department/create", tag = "department", request_body = CreateDepartment,
    responses((status = 200, body = Envelope<DepartmentId>)))]
async fn create(State(state): State<AppState>, caller: Caller, body: Body) -> Answer<DepartmentId> {
    caller.may(Action::ManageOrganisation)?;
    let body: CreateDepartment = body.parse()?;
    let input = DepartmentInput {
        name: Some(body.name),
        min_user: Some(body.min_user.get()),
        max_user: body.max_user.map(Int::get),
        ..DepartmentInput::default()
    };
    let department: Department = org::create(&state.db, &caller.actor, input).await?;
    Envelope::ok(DepartmentId {
        department_id: department.id,
    })
}

/// Lists the company's departments, or one. User level STAFF.
#[utoipa::path(get, path = "/v4/department/retrieve", tag = "department", params(RetrieveQuery),
    responses((status = 200, body = Envelope<Vec<DepartmentRecord>>)))]
async fn retrieve(
    State(state): State<AppState>,
    caller: Caller,
    Query(query): Query<RetrieveQuery>,
) -> Answer<Vec<DepartmentRecord>> {
    let departments: Vec<Department> = match query.department_id {
        Some(id) => vec![org::get(&state.db, &caller.actor, id.get()).await?],
        None => {
            let (db, actor) = (&state.db, &caller.actor);
            all_pages(|limit, cursor: Option<String>| async move {
                org::list(db, actor, Some(limit), cursor.as_deref()).await
            })
            .await?
        }
    };
    Envelope::ok(departments.into_iter().map(Into::into).collect())
}

/// Changes a department. User level SUPER USER.
#[utoipa::path(put, path = "/v4/department/update", tag = "department", request_body = UpdateDepartment,
    responses((status = 200, body = Envelope<RecordId>)))]
async fn update(State(state): State<AppState>, caller: Caller, body: Body) -> Answer<RecordId> {
    caller.may(Action::ManageOrganisation)?;
    let body: UpdateDepartment = body.parse()?;
    let input = DepartmentInput {
        name: body.name,
        min_user: body.min_user.map(Int::get),
        max_user: body.max_user.map(Int::get),
        ..DepartmentInput::default()
    };
    let department: Department =
        org::update(&state.db, &caller.actor, body.department_id.get(), input).await?;
    Envelope::ok(RecordId {
        record_id: department.id,
    })
}

/// Deletes a department; with `force_removal` its people are moved out of it first.
/// User level SUPER USER.
#[utoipa::path(delete, path = "/v4/department/del/{department_id}/{force_removal}", tag = "department",
    params(("department_id" = i64, Path), ("force_removal" = bool, Path)),
    responses((status = 200, body = Envelope<RecordId>)))]
async fn del(
    State(state): State<AppState>,
    caller: Caller,
    Segments((department_id, force_removal)): Segments<(Int, Flag)>,
) -> Answer<RecordId> {
    org::delete::<Department>(
        &state.db,
        &caller.actor,
        department_id.get(),
        force_removal.get(),
    )
    .await?;
    Envelope::ok(RecordId {
        record_id: department_id.get(),
    })
}
