//! Webhook administration, `/webhooks`: subscriptions, their secrets, a test ping and the
//! delivery log. Super users signed in as themselves; no API credential may call these.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use rota_core::paging::Page;
use rota_core::webhooks::log::{self, WebhookDelivery};
use rota_core::webhooks::subscriptions::{
    self, PingQueued, Webhook, WebhookForCreate, WebhookPatch, WebhookWithSecret,
};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::api::page::page_schema;
use crate::api::users::PageQuery;
use crate::error::{ApiResult, CommonErrors, WebhookRefusals};
use crate::extract::{ApiJson, ApiPath, ApiQuery, AuthUser, Created};

page_schema!(
    /// A page of webhook subscriptions.
    WebhookPage,
    Webhook
);

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_webhooks, create_webhook))
        .routes(routes!(get_webhook, update_webhook, delete_webhook))
        .routes(routes!(rotate_secret))
        .routes(routes!(ping))
        .routes(routes!(list_deliveries))
}

/// The company's webhook subscriptions, in pages.
#[utoipa::path(get, path = "/webhooks", tag = "webhooks", security(("bearer" = [])), params(PageQuery),
    responses((status = 200, body = WebhookPage), CommonErrors))]
async fn list_webhooks(
    State(state): State<AppState>,
    auth: AuthUser,
    ApiQuery(query): ApiQuery<PageQuery>,
) -> ApiResult<Json<Page<Webhook>>> {
    Ok(Json(
        subscriptions::list(&state.db, &auth.actor, query.limit, query.cursor.as_deref()).await?,
    ))
}

/// Subscribes a URL to events. Each delivery is a POST of the event as JSON, signed
/// `Rota-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`, with
/// `Rota-Event` and `Rota-Delivery` headers; any 2xx answer delivers, anything else is
/// retried with back-off. The secret is shown this once. A URL that is, or resolves to, a
/// loopback, private or other internal address is refused (422 `webhook_url_not_allowed`)
/// unless the server allows private webhooks.
#[utoipa::path(post, path = "/webhooks", tag = "webhooks", security(("bearer" = [])),
    request_body = WebhookForCreate,
    responses((status = 201, body = WebhookWithSecret), CommonErrors, WebhookRefusals))]
async fn create_webhook(
    State(state): State<AppState>,
    auth: AuthUser,
    ApiJson(input): ApiJson<WebhookForCreate>,
) -> ApiResult<Created<WebhookWithSecret>> {
    let settings = &state.config.webhooks;
    Ok(Created(
        subscriptions::create(&state.db, &auth.actor, input, settings).await?,
    ))
}

#[utoipa::path(get, path = "/webhooks/{id}", tag = "webhooks", security(("bearer" = [])),
    params(("id" = i64, Path)), responses((status = 200, body = Webhook), CommonErrors))]
async fn get_webhook(
    State(state): State<AppState>,
    auth: AuthUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<Webhook>> {
    Ok(Json(subscriptions::get(&state.db, &auth.actor, id).await?))
}

/// Changes the URL (checked as on create), description, events or whether it is enabled.
#[utoipa::path(patch, path = "/webhooks/{id}", tag = "webhooks", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = WebhookPatch,
    responses((status = 200, body = Webhook), CommonErrors, WebhookRefusals))]
async fn update_webhook(
    State(state): State<AppState>,
    auth: AuthUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(patch): ApiJson<WebhookPatch>,
) -> ApiResult<Json<Webhook>> {
    let settings = &state.config.webhooks;
    Ok(Json(
        subscriptions::update(&state.db, &auth.actor, id, patch, settings).await?,
    ))
}

/// Deletes a subscription with its deliveries and their log; its audit events stay.
#[utoipa::path(delete, path = "/webhooks/{id}", tag = "webhooks", security(("bearer" = [])),
    params(("id" = i64, Path)), responses((status = 204, description = "Deleted"), CommonErrors))]
async fn delete_webhook(
    State(state): State<AppState>,
    auth: AuthUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<StatusCode> {
    subscriptions::delete(&state.db, &auth.actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Issues a new signing secret, shown this once; every delivery from now on, retries
/// included, is signed with it.
#[utoipa::path(post, path = "/webhooks/{id}/rotate-secret", tag = "webhooks", security(("bearer" = [])),
    params(("id" = i64, Path)), responses((status = 200, body = WebhookWithSecret), CommonErrors))]
async fn rotate_secret(
    State(state): State<AppState>,
    auth: AuthUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<WebhookWithSecret>> {
    Ok(Json(
        subscriptions::rotate_secret(&state.db, &auth.actor, id, &state.config.webhooks).await?,
    ))
}

/// Queues a `ping` event to this subscription alone, to try the receiver; its delivery
/// shows in the log. 409 while the subscription is disabled.
#[utoipa::path(post, path = "/webhooks/{id}/test", tag = "webhooks", security(("bearer" = [])),
    params(("id" = i64, Path)), responses((status = 202, body = PingQueued), CommonErrors, WebhookRefusals))]
async fn ping(
    State(state): State<AppState>,
    auth: AuthUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<(StatusCode, Json<PingQueued>)> {
    Ok((
        StatusCode::ACCEPTED,
        Json(subscriptions::ping(&state.db, &auth.actor, id).await?),
    ))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct DeliveriesQuery {
    /// 1–200, default 50.
    #[param(value_type = Option<rota_core::openapi::Limit>)]
    limit: Option<i64>,
    /// `next_cursor` from the previous page.
    cursor: Option<String>,
}

/// A page of deliveries.
#[derive(ToSchema)]
#[expect(
    dead_code,
    reason = "describes the response for the OpenAPI document only"
)]
pub struct DeliveryPage {
    data: Vec<WebhookDelivery>,
    next_cursor: Option<String>,
}

/// The delivery log, newest first: every event owed to this subscription, whether it was
/// delivered, and each attempt with the receiver's status or the error and its duration.
#[utoipa::path(get, path = "/webhooks/{id}/deliveries", tag = "webhooks", security(("bearer" = [])),
    params(("id" = i64, Path), DeliveriesQuery),
    responses((status = 200, body = DeliveryPage), CommonErrors))]
async fn list_deliveries(
    State(state): State<AppState>,
    auth: AuthUser,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(query): ApiQuery<DeliveriesQuery>,
) -> ApiResult<Json<Page<WebhookDelivery>>> {
    Ok(Json(
        log::list(
            &state.db,
            &auth.actor,
            id,
            query.limit,
            query.cursor.as_deref(),
        )
        .await?,
    ))
}
