//! Swaps and drops: a shift offered to colleagues, answered by them, decided by a
//! manager where the company requires it, cancelled by its holder.

use axum::Json;
use axum::extract::State;
use rota_core::paging::Page;
use rota_core::schedule::swap::{self, Swap, SwapFilter, SwapInput, SwapStatus};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::api::page::page_schema;
use crate::error::{ApiResult, CommonErrors, SwapRefusals};
use crate::extract::{ApiJson, ApiPath, ApiQuery, AuthUser, Created};

page_schema!(
    /// A page of swaps.
    SwapPage,
    Swap
);

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_swaps, create_swap))
        .routes(routes!(get_swap))
        .routes(routes!(accept_swap))
        .routes(routes!(decline_swap))
        .routes(routes!(approve_swap))
        .routes(routes!(deny_swap))
        .routes(routes!(cancel_swap))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SwapListQuery {
    /// Only the caller's own swaps and those that name them.
    mine: Option<bool>,
    status: Option<SwapStatus>,
    location_id: Option<i64>,
    /// Swaps of shifts that end after this instant (RFC 3339).
    #[param(value_type = Option<rota_core::openapi::Instant>)]
    from: Option<String>,
    /// Swaps of shifts that start before this instant (RFC 3339), after `from`.
    #[param(value_type = Option<rota_core::openapi::Instant>)]
    to: Option<String>,
    #[param(value_type = Option<rota_core::openapi::Limit>)]
    limit: Option<i64>,
    cursor: Option<String>,
}

/// The swaps the caller may see, by id: staff their own, those offered to them and drops
/// open to anyone; approvers also their staff's; super users all.
#[utoipa::path(get, path = "/swaps", tag = "schedule", security(("bearer" = [])), params(SwapListQuery),
    responses((status = 200, body = SwapPage), CommonErrors))]
async fn list_swaps(
    State(state): State<AppState>,
    auth: AuthUser,
    ApiQuery(query): ApiQuery<SwapListQuery>,
) -> ApiResult<Json<Page<Swap>>> {
    let filter = SwapFilter {
        mine: query.mine.unwrap_or(false),
        status: query.status,
        location_id: query.location_id,
        from: query.from,
        to: query.to,
    };
    Ok(Json(
        swap::list(
            &state.db,
            &auth.actor,
            &filter,
            query.limit,
            query.cursor.as_deref(),
        )
        .await?,
    ))
}

/// Offers a published shift that has not started (the caller's, or one of someone they
/// manage): a `swap` to the colleagues whose shifts (`shift_ids`) its holder would take in
/// exchange, or a `drop` to the colleagues named (`user_ids`), or to anyone it fits when
/// none are. Each colleague must fit it (its position one of theirs; its location among
/// theirs, when they have any), and the holder each shift in exchange. Whether a manager
/// approves it is the company's `swaps_require_approval` now. The colleagues named are
/// told by e-mail; a `swap.created` webhook event is sent.
#[utoipa::path(post, path = "/swaps", tag = "schedule", security(("bearer" = [])), request_body = SwapInput,
    responses((status = 201, body = Swap), CommonErrors, SwapRefusals))]
async fn create_swap(
    State(state): State<AppState>,
    auth: AuthUser,
    ApiJson(input): ApiJson<SwapInput>,
) -> ApiResult<Created<Swap>> {
    Ok(Created(swap::create(&state.db, &auth.actor, input).await?))
}

#[utoipa::path(get, path = "/swaps/{id}", tag = "schedule", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = Swap), CommonErrors))]
async fn get_swap(
    State(state): State<AppState>,
    auth: AuthUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<Swap>> {
    Ok(Json(swap::get(&state.db, &auth.actor, id).await?))
}

/// A colleague it is offered to (anyone it fits, for an open drop) accepts it. Where the
/// swap requires approval it then waits for a manager (status `pending`, the caller
/// `pending_approval`); otherwise the shifts change hands at once (`completed`), each
/// with its history (`swap` or `drop`). The shift must fit the caller and their calendar
/// (and theirs in exchange the holder's). Of many accepting at once exactly one wins.
#[utoipa::path(post, path = "/swaps/{id}/accept", tag = "schedule", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = Swap), CommonErrors, SwapRefusals))]
async fn accept_swap(
    State(state): State<AppState>,
    auth: AuthUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<Swap>> {
    Ok(Json(swap::accept(&state.db, &auth.actor, id).await?))
}

/// A colleague it names declines it; once every one has, the swap is `declined`.
#[utoipa::path(post, path = "/swaps/{id}/decline", tag = "schedule", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = Swap), CommonErrors, SwapRefusals))]
async fn decline_swap(
    State(state): State<AppState>,
    auth: AuthUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<Swap>> {
    Ok(Json(swap::decline(&state.db, &auth.actor, id).await?))
}

/// The holder's approver, or a super user (never the holder), approves an accepted swap:
/// the shifts change hands (`approved`), checked again as on acceptance.
#[utoipa::path(post, path = "/swaps/{id}/approve", tag = "schedule", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = Swap), CommonErrors, SwapRefusals))]
async fn approve_swap(
    State(state): State<AppState>,
    auth: AuthUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<Swap>> {
    Ok(Json(swap::approve(&state.db, &auth.actor, id).await?))
}

/// The holder's approver, or a super user (never the holder), denies a pending swap: it
/// is `declined`, and the colleagues still waiting `denied`.
#[utoipa::path(post, path = "/swaps/{id}/deny", tag = "schedule", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = Swap), CommonErrors, SwapRefusals))]
async fn deny_swap(
    State(state): State<AppState>,
    auth: AuthUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<Swap>> {
    Ok(Json(swap::deny(&state.db, &auth.actor, id).await?))
}

/// Its holder, or who manages them, cancels a pending swap (`canceled`).
#[utoipa::path(post, path = "/swaps/{id}/cancel", tag = "schedule", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = Swap), CommonErrors, SwapRefusals))]
async fn cancel_swap(
    State(state): State<AppState>,
    auth: AuthUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<Swap>> {
    Ok(Json(swap::cancel(&state.db, &auth.actor, id).await?))
}
