//! Repeating shifts: made, read as occurrences of a range, and changed or deleted whole,
//! "this and following" (`?from=`) or "this one" (`/occurrences/{date}`).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use rota_core::schedule::chains::{
    self, ChainInput, ChainOccurrence, ChainPatch, OccurrenceFilter, ShiftChain,
};
use rota_core::schedule::{Shift, ShiftPatch};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::error::{ApiResult, CommonErrors, ShiftRefusals};
use crate::extract::{ApiJson, ApiPath, ApiQuery, AuthUser, Created};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_chain))
        .routes(routes!(list_occurrences))
        .routes(routes!(get_chain, edit_chain, delete_chain))
        .routes(routes!(edit_occurrence, delete_occurrence))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct OccurrenceQuery {
    /// Occurrences that end after this instant (RFC 3339).
    #[param(value_type = rota_core::openapi::Instant)]
    from: String,
    /// … and start before this one, after `from` and at most 366 days later.
    #[param(value_type = rota_core::openapi::Instant)]
    to: String,
    location_id: Option<i64>,
    user_id: Option<i64>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct FollowingQuery {
    /// "This and following": from this day of the chain on; the whole chain when absent
    /// or on its first day.
    #[param(value_type = Option<rota_core::openapi::Date>)]
    from: Option<String>,
}

/// Makes a repeating shift (who may make its first shift may make the chain). Every
/// occurrence up to `until` is checked against the user's shifts, repeating shifts,
/// approved leave and business-closed days as a shift is, unless `override` is true; a
/// conflict's message names its day.
#[utoipa::path(post, path = "/shift-chains", tag = "schedule", security(("bearer" = [])), request_body = ChainInput,
    responses((status = 201, body = ShiftChain), CommonErrors, ShiftRefusals))]
async fn create_chain(
    State(state): State<AppState>,
    auth: AuthUser,
    ApiJson(input): ApiJson<ChainInput>,
) -> ApiResult<Created<ShiftChain>> {
    Ok(Created(
        chains::create(&state.db, &auth.actor, input).await?,
    ))
}

/// The occurrences of repeating shifts overlapping a range (at most 366 days), sorted by
/// start, that the caller may see (as shifts: staff see published ones). Not paged: the
/// range bounds it. Stored shifts, detached occurrences included, are read from `/shifts`.
#[utoipa::path(get, path = "/shift-chains/occurrences", tag = "schedule", security(("bearer" = [])), params(OccurrenceQuery),
    responses((status = 200, body = Vec<ChainOccurrence>), CommonErrors))]
async fn list_occurrences(
    State(state): State<AppState>,
    auth: AuthUser,
    ApiQuery(query): ApiQuery<OccurrenceQuery>,
) -> ApiResult<Json<Vec<ChainOccurrence>>> {
    let filter = OccurrenceFilter {
        from: query.from,
        to: query.to,
        location_id: query.location_id,
        user_id: query.user_id,
    };
    Ok(Json(
        chains::occurrences(&state.db, &auth.actor, &filter).await?,
    ))
}

#[utoipa::path(get, path = "/shift-chains/{id}", tag = "schedule", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = ShiftChain), CommonErrors))]
async fn get_chain(
    State(state): State<AppState>,
    auth: AuthUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<ShiftChain>> {
    Ok(Json(chains::get(&state.db, &auth.actor, id).await?))
}

/// Changes a repeating shift whole, or from `from` on: then the chain ends the day
/// before and a new one (returned) starts on `from`, which must be one of its days, with
/// the exceptions from that day on. Moving or reassigning it is checked as on create.
#[utoipa::path(patch, path = "/shift-chains/{id}", tag = "schedule", security(("bearer" = [])),
    params(("id" = i64, Path), FollowingQuery), request_body = ChainPatch,
    responses((status = 200, body = ShiftChain), CommonErrors, ShiftRefusals))]
async fn edit_chain(
    State(state): State<AppState>,
    auth: AuthUser,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(query): ApiQuery<FollowingQuery>,
    ApiJson(patch): ApiJson<ChainPatch>,
) -> ApiResult<Json<ShiftChain>> {
    Ok(Json(
        chains::edit(&state.db, &auth.actor, id, query.from.as_deref(), patch).await?,
    ))
}

/// Deletes a repeating shift whole, or from `from` on (it ends the day before). Shifts
/// detached from it stay.
#[utoipa::path(delete, path = "/shift-chains/{id}", tag = "schedule", security(("bearer" = [])),
    params(("id" = i64, Path), FollowingQuery),
    responses((status = 204, description = "Deleted"), CommonErrors))]
async fn delete_chain(
    State(state): State<AppState>,
    auth: AuthUser,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(query): ApiQuery<FollowingQuery>,
) -> ApiResult<StatusCode> {
    chains::delete(&state.db, &auth.actor, id, query.from.as_deref()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Edits one occurrence alone: it becomes a shift of its own (returned, its history
/// starting `created_from_repeating_series`), and the chain keeps the day as an
/// exception naming it. Checked as a shift edit.
#[utoipa::path(patch, path = "/shift-chains/{id}/occurrences/{date}", tag = "schedule", security(("bearer" = [])),
    params(("id" = i64, Path), ("date" = rota_core::openapi::Date, Path)), request_body = ShiftPatch,
    responses((status = 201, body = Shift), CommonErrors, ShiftRefusals))]
async fn edit_occurrence(
    State(state): State<AppState>,
    auth: AuthUser,
    ApiPath((id, date)): ApiPath<(i64, String)>,
    ApiJson(patch): ApiJson<ShiftPatch>,
) -> ApiResult<Created<Shift>> {
    Ok(Created(
        chains::edit_occurrence(&state.db, &auth.actor, id, &date, patch).await?,
    ))
}

/// Deletes one occurrence alone; the chain keeps the day as an exception.
#[utoipa::path(delete, path = "/shift-chains/{id}/occurrences/{date}", tag = "schedule", security(("bearer" = [])),
    params(("id" = i64, Path), ("date" = rota_core::openapi::Date, Path)),
    responses((status = 204, description = "Deleted"), CommonErrors))]
async fn delete_occurrence(
    State(state): State<AppState>,
    auth: AuthUser,
    ApiPath((id, date)): ApiPath<(i64, String)>,
) -> ApiResult<StatusCode> {
    chains::delete_occurrence(&state.db, &auth.actor, id, &date).await?;
    Ok(StatusCode::NO_CONTENT)
}
