//! Availability events: a user's available and unavailable times, one-off or weekly;
//! each keeps their own, and who manages their time reads them.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use rota_core::paging::Page;
use rota_core::schedule::availability::{self, AvailabilityEvent, AvailabilityInput};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::api::page::page_schema;
use crate::error::{ApiResult, CommonErrors};
use crate::extract::{ApiJson, ApiPath, ApiQuery, AuthUser, Created};

page_schema!(
    /// A page of availability events.
    AvailabilityEventPage,
    AvailabilityEvent
);

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_events, create_event))
        .routes(routes!(get_event, delete_event))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AvailabilityQuery {
    /// Whose; the caller's when absent.
    user_id: Option<i64>,
    #[param(value_type = Option<rota_core::openapi::Limit>)]
    limit: Option<i64>,
    cursor: Option<String>,
}

/// A user's availability events, by id: one's own, or those of the people whose time one
/// manages.
#[utoipa::path(get, path = "/availability-events", tag = "schedule", security(("bearer" = [])), params(AvailabilityQuery),
    responses((status = 200, body = AvailabilityEventPage), CommonErrors))]
async fn list_events(
    State(state): State<AppState>,
    auth: AuthUser,
    ApiQuery(query): ApiQuery<AvailabilityQuery>,
) -> ApiResult<Json<Page<AvailabilityEvent>>> {
    Ok(Json(
        availability::list(
            &state.db,
            &auth.actor,
            query.user_id,
            query.limit,
            query.cursor.as_deref(),
        )
        .await?,
    ))
}

/// Says when one is available or unavailable, once or weekly until a day. A shift given
/// to someone over an unavailable time is refused (409 `outside_availability`) unless the
/// manager sends `override`.
#[utoipa::path(post, path = "/availability-events", tag = "schedule", security(("bearer" = [])), request_body = AvailabilityInput,
    responses((status = 201, body = AvailabilityEvent), CommonErrors))]
async fn create_event(
    State(state): State<AppState>,
    auth: AuthUser,
    ApiJson(input): ApiJson<AvailabilityInput>,
) -> ApiResult<Created<AvailabilityEvent>> {
    Ok(Created(
        availability::create(&state.db, &auth.actor, input).await?,
    ))
}

#[utoipa::path(get, path = "/availability-events/{id}", tag = "schedule", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = AvailabilityEvent), CommonErrors))]
async fn get_event(
    State(state): State<AppState>,
    auth: AuthUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<AvailabilityEvent>> {
    Ok(Json(availability::get(&state.db, &auth.actor, id).await?))
}

/// Deletes one of one's own availability events.
#[utoipa::path(delete, path = "/availability-events/{id}", tag = "schedule", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 204, description = "Deleted"), CommonErrors))]
async fn delete_event(
    State(state): State<AppState>,
    auth: AuthUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<StatusCode> {
    availability::delete(&state.db, &auth.actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
