//! Message threads on shifts, swaps and open-shift requests: read and written by whoever
//! may see the subject.

use axum::Json;
use axum::extract::State;
use rota_core::paging::Page;
use rota_core::schedule::messages::{self, MessageInput, Subject, ThreadMessage};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::api::page::page_schema;
use crate::api::users::PageQuery;
use crate::error::{ApiResult, CommonErrors};
use crate::extract::{ApiJson, ApiPath, ApiQuery, AuthUser, Created};

page_schema!(
    /// A page of a thread's messages.
    ThreadMessagePage,
    ThreadMessage
);

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(shift_messages, post_on_shift))
        .routes(routes!(swap_messages, post_on_swap))
        .routes(routes!(request_messages, post_on_request))
}

async fn thread(
    state: &AppState,
    auth: &AuthUser,
    subject: Subject,
    query: PageQuery,
) -> ApiResult<Json<Page<ThreadMessage>>> {
    Ok(Json(
        messages::messages(
            &state.db,
            &auth.actor,
            subject,
            query.limit,
            query.cursor.as_deref(),
        )
        .await?,
    ))
}

/// A shift's thread, oldest first, in pages: for whoever sees the shift.
#[utoipa::path(get, path = "/shifts/{id}/messages", tag = "schedule", security(("bearer" = [])), params(("id" = i64, Path), PageQuery),
    responses((status = 200, body = ThreadMessagePage), CommonErrors))]
async fn shift_messages(
    State(state): State<AppState>,
    auth: AuthUser,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(query): ApiQuery<PageQuery>,
) -> ApiResult<Json<Page<ThreadMessage>>> {
    thread(&state, &auth, Subject::Shift(id), query).await
}

/// Posts on a shift's thread (whoever sees the shift); its holder and their approver are
/// told by e-mail, the author aside; a `message.posted` webhook event is sent.
#[utoipa::path(post, path = "/shifts/{id}/messages", tag = "schedule", security(("bearer" = [])), params(("id" = i64, Path)),
    request_body = MessageInput, responses((status = 201, body = ThreadMessage), CommonErrors))]
async fn post_on_shift(
    State(state): State<AppState>,
    auth: AuthUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<MessageInput>,
) -> ApiResult<Created<ThreadMessage>> {
    Ok(Created(
        messages::post(&state.db, &auth.actor, Subject::Shift(id), input).await?,
    ))
}

/// A swap's thread, oldest first, in pages: for whoever sees the swap.
#[utoipa::path(get, path = "/swaps/{id}/messages", tag = "schedule", security(("bearer" = [])), params(("id" = i64, Path), PageQuery),
    responses((status = 200, body = ThreadMessagePage), CommonErrors))]
async fn swap_messages(
    State(state): State<AppState>,
    auth: AuthUser,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(query): ApiQuery<PageQuery>,
) -> ApiResult<Json<Page<ThreadMessage>>> {
    thread(&state, &auth, Subject::Swap(id), query).await
}

/// Posts on a swap's thread (whoever sees the swap); its holder and the colleagues it
/// names are told by e-mail, the author aside; a `message.posted` webhook event is sent.
#[utoipa::path(post, path = "/swaps/{id}/messages", tag = "schedule", security(("bearer" = [])), params(("id" = i64, Path)),
    request_body = MessageInput, responses((status = 201, body = ThreadMessage), CommonErrors))]
async fn post_on_swap(
    State(state): State<AppState>,
    auth: AuthUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<MessageInput>,
) -> ApiResult<Created<ThreadMessage>> {
    Ok(Created(
        messages::post(&state.db, &auth.actor, Subject::Swap(id), input).await?,
    ))
}

/// An open-shift request's thread, oldest first, in pages: for whoever sees the request
/// (who manages its shift, and its bidders).
#[utoipa::path(get, path = "/open-shift-requests/{id}/messages", tag = "schedule", security(("bearer" = [])), params(("id" = i64, Path), PageQuery),
    responses((status = 200, body = ThreadMessagePage), CommonErrors))]
async fn request_messages(
    State(state): State<AppState>,
    auth: AuthUser,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(query): ApiQuery<PageQuery>,
) -> ApiResult<Json<Page<ThreadMessage>>> {
    thread(&state, &auth, Subject::OpenShiftRequest(id), query).await
}

/// Posts on an open-shift request's thread (whoever sees the request); its bidders and
/// whoever made its shift are told by e-mail, the author aside; a `message.posted` webhook
/// event is sent.
#[utoipa::path(post, path = "/open-shift-requests/{id}/messages", tag = "schedule", security(("bearer" = [])), params(("id" = i64, Path)),
    request_body = MessageInput, responses((status = 201, body = ThreadMessage), CommonErrors))]
async fn post_on_request(
    State(state): State<AppState>,
    auth: AuthUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<MessageInput>,
) -> ApiResult<Created<ThreadMessage>> {
    Ok(Created(
        messages::post(&state.db, &auth.actor, Subject::OpenShiftRequest(id), input).await?,
    ))
}
