//! The schedule of a range in one read, as a week grid shows it: stored shifts and the
//! occurrences of repeating shifts together; and the shifts under a leave request.

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use rota_core::schedule::{self, Schedule, ScheduleFilter, Shift};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::error::{ApiResult, CommonErrors};
use crate::extract::{ApiPath, ApiQuery, AuthUser};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(read_schedule))
        .routes(routes!(shifts_under_leave))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ScheduleQuery {
    /// What ends after this instant (RFC 3339).
    #[param(value_type = rota_core::openapi::Instant)]
    from: String,
    /// … and starts before this one, after `from` and at most 42 days later.
    #[param(value_type = rota_core::openapi::Instant)]
    to: String,
    location_id: Option<i64>,
    user_id: Option<i64>,
    /// Only published shifts (true) or only drafts (false).
    published: Option<bool>,
}

/// A range of the schedule (at most 42 days) in one answer, not paged: the stored shifts
/// (detached occurrences of repeating shifts among them) and the occurrences of repeating
/// shifts, each sorted by start, that the caller may see as `/shifts` and
/// `/shift-chains/occurrences` decide (staff see published ones). Rendered once per
/// reader until the schedule changes: a repeated read is served as it was rendered.
#[utoipa::path(get, path = "/schedule", tag = "schedule", security(("bearer" = [])), params(ScheduleQuery),
    responses((status = 200, body = Schedule), CommonErrors))]
async fn read_schedule(
    State(state): State<AppState>,
    auth: AuthUser,
    ApiQuery(query): ApiQuery<ScheduleQuery>,
) -> ApiResult<Response> {
    let filter = ScheduleFilter {
        from: query.from,
        to: query.to,
        location_id: query.location_id,
        user_id: query.user_id,
        published: query.published,
    };
    let body = schedule::view_rendered(&state.db, &auth.actor, &filter, "api-json", |s| {
        serde_json::to_vec(s).map_err(|e| rota_core::Error::Internal(e.to_string().into()))
    })
    .await?;
    Ok((
        [(header::CONTENT_TYPE, "application/json")],
        Bytes::from_owner(body),
    )
        .into_response())
}

/// The published shifts of a leave request's holder on its days (each in its location's
/// zone), by start, for whoever may see the request: what its approver gives up by
/// approving it. Approving with `"open_shifts": true` opens them.
#[utoipa::path(get, path = "/leave-requests/{id}/shifts", tag = "schedule", security(("bearer" = [])),
    params(("id" = i64, Path)), responses((status = 200, body = Vec<Shift>), CommonErrors))]
async fn shifts_under_leave(
    State(state): State<AppState>,
    auth: AuthUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<Vec<Shift>>> {
    Ok(Json(
        schedule::under_request(&state.db, &auth.actor, id).await?,
    ))
}
