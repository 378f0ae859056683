//! Open-shift requests: the bids for open shifts that require approval, and a manager's
//! pick among them (When I Work's open-shift approval requests). Bids are made by taking
//! such a shift (`POST /shifts/{id}/take`).

use axum::Json;
use axum::extract::State;
use rota_core::paging::Page;
use rota_core::schedule::open_requests::{
    self, ApproveInput, OpenShiftRequest, OpenShiftRequestStatus, RequestFilter,
};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::api::page::page_schema;
use crate::error::{ApiResult, CommonErrors, OpenShiftDecisionRefusals};
use crate::extract::{ApiJson, ApiPath, ApiQuery, AuthUser};

page_schema!(
    /// A page of open-shift requests.
    OpenShiftRequestPage,
    OpenShiftRequest
);

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_open_shift_requests))
        .routes(routes!(get_open_shift_request))
        .routes(routes!(approve_bid))
        .routes(routes!(deny_bids))
        .routes(routes!(withdraw_bid))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct OpenShiftRequestListQuery {
    status: Option<OpenShiftRequestStatus>,
    shift_id: Option<i64>,
    location_id: Option<i64>,
    /// Requests this user bid for (withdrawn bids too).
    user_id: Option<i64>,
    /// Requests for shifts that end after this instant (RFC 3339).
    #[param(value_type = Option<rota_core::openapi::Instant>)]
    from: Option<String>,
    /// Requests for shifts that start before this instant (RFC 3339), after `from`.
    #[param(value_type = Option<rota_core::openapi::Instant>)]
    to: Option<String>,
    #[param(value_type = Option<rota_core::openapi::Limit>)]
    limit: Option<i64>,
    cursor: Option<String>,
}

/// The open-shift requests the caller may see, by id: every request, with every bid, to
/// who manages the shift; to anyone else, those they bid for, with their own bid only.
#[utoipa::path(get, path = "/open-shift-requests", tag = "schedule", security(("bearer" = [])),
    params(OpenShiftRequestListQuery),
    responses((status = 200, body = OpenShiftRequestPage), CommonErrors))]
async fn list_open_shift_requests(
    State(state): State<AppState>,
    auth: AuthUser,
    ApiQuery(query): ApiQuery<OpenShiftRequestListQuery>,
) -> ApiResult<Json<Page<OpenShiftRequest>>> {
    let filter = RequestFilter {
        status: query.status,
        shift_id: query.shift_id,
        location_id: query.location_id,
        user_id: query.user_id,
        from: query.from,
        to: query.to,
    };
    Ok(Json(
        open_requests::list(
            &state.db,
            &auth.actor,
            &filter,
            query.limit,
            query.cursor.as_deref(),
        )
        .await?,
    ))
}

#[utoipa::path(get, path = "/open-shift-requests/{id}", tag = "schedule", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, body = OpenShiftRequest), CommonErrors))]
async fn get_open_shift_request(
    State(state): State<AppState>,
    auth: AuthUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<OpenShiftRequest>> {
    Ok(Json(open_requests::get(&state.db, &auth.actor, id).await?))
}

/// Gives the shift to one standing bidder (who manages the shift, and the bidder): checked
/// as any assignment is, it becomes theirs (its history records `assign_approve`), the
/// request is `approved` and every standing bidder is told by e-mail. Of two managers
/// approving at once, exactly one assigns it; the other gets 409 `already_decided`.
#[utoipa::path(post, path = "/open-shift-requests/{id}/approve", tag = "schedule", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = ApproveInput,
    responses((status = 200, body = OpenShiftRequest), CommonErrors, OpenShiftDecisionRefusals))]
async fn approve_bid(
    State(state): State<AppState>,
    auth: AuthUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<ApproveInput>,
) -> ApiResult<Json<OpenShiftRequest>> {
    Ok(Json(
        open_requests::approve(&state.db, &auth.actor, id, input).await?,
    ))
}

/// Declines every bid: the request is `denied`, the shift stays open, and each standing
/// bidder is told by e-mail. A later bid starts a new round.
#[utoipa::path(post, path = "/open-shift-requests/{id}/deny", tag = "schedule", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, body = OpenShiftRequest), CommonErrors, OpenShiftDecisionRefusals))]
async fn deny_bids(
    State(state): State<AppState>,
    auth: AuthUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<OpenShiftRequest>> {
    Ok(Json(open_requests::deny(&state.db, &auth.actor, id).await?))
}

/// The caller withdraws their standing bid while the request is pending (404 without
/// one); they may bid again by taking the shift.
#[utoipa::path(delete, path = "/open-shift-requests/{id}/bid", tag = "schedule", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, body = OpenShiftRequest), CommonErrors, OpenShiftDecisionRefusals))]
async fn withdraw_bid(
    State(state): State<AppState>,
    auth: AuthUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<OpenShiftRequest>> {
    Ok(Json(
        open_requests::withdraw(&state.db, &auth.actor, id).await?,
    ))
}
