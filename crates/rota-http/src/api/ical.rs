//! iCal feeds: publishing, listing, regenerating and revoking the secret addresses.
//! The feeds themselves are served at the root (`/ical/{token}`), see [`crate::feeds`].

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use rota_core::leave::ical::{self, Feed, FeedInput, FeedWithAddress};
use rota_core::paging::Page;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::api::page::page_schema;
use crate::api::users::PageQuery;
use crate::error::{ApiResult, CommonErrors};
use crate::extract::{ApiJson, ApiPath, ApiQuery, AuthUser, Created};

page_schema!(
    /// A page of iCal feeds.
    FeedPage,
    Feed
);

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_feeds, create_feed))
        .routes(routes!(revoke_feed))
        .routes(routes!(regenerate_feed))
}

/// The caller's live feeds (without their addresses, which are shown only once), in pages.
#[utoipa::path(get, path = "/ical-feeds", tag = "leave", security(("bearer" = [])), params(PageQuery),
    responses((status = 200, body = FeedPage), CommonErrors))]
async fn list_feeds(
    State(state): State<AppState>,
    auth: AuthUser,
    ApiQuery(query): ApiQuery<PageQuery>,
) -> ApiResult<Json<Page<Feed>>> {
    Ok(Json(
        ical::list(&state.db, &auth.actor, query.limit, query.cursor.as_deref()).await?,
    ))
}

/// Publishes a secret iCal address for a user's leave (yours by default; an approver's
/// staff; anyone's for a super user), a department's (approvers) or the company's (super
/// users). The address is in the reply once; keep it.
#[utoipa::path(post, path = "/ical-feeds", tag = "leave", security(("bearer" = [])), request_body = FeedInput,
    responses((status = 201, body = FeedWithAddress), CommonErrors))]
async fn create_feed(
    State(state): State<AppState>,
    auth: AuthUser,
    ApiJson(input): ApiJson<FeedInput>,
) -> ApiResult<Created<FeedWithAddress>> {
    Ok(Created(ical::create(&state.db, &auth.actor, input).await?))
}

/// Revokes a feed: its address stops working at once.
#[utoipa::path(delete, path = "/ical-feeds/{id}", tag = "leave", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 204, description = "Revoked"), CommonErrors))]
async fn revoke_feed(
    State(state): State<AppState>,
    auth: AuthUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<StatusCode> {
    ical::revoke(&state.db, &auth.actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Gives a feed a new address; the old one stops at once.
#[utoipa::path(post, path = "/ical-feeds/{id}/regenerate", tag = "leave", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = FeedWithAddress), CommonErrors))]
async fn regenerate_feed(
    State(state): State<AppState>,
    auth: AuthUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<FeedWithAddress>> {
    Ok(Json(ical::regenerate(&state.db, &auth.actor, id).await?))
}
