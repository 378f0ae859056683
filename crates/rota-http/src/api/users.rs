//! Users: `/users` and its sub-resources.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use rota_core::auth::link::InvitationSent;
use rota_core::openapi::ForCreate;
use rota_core::paging::Page;
use rota_core::people::model::{User, UserInput};
use rota_core::people::service::{self, ApproverSummary, UserFilter};
use rota_core::people::types::{UserStatus, UserType};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::api::page::page_schema;
use crate::error::{ApiResult, CommonErrors, InvitationRefusals, PasswordRefusals};
use crate::extract::{ApiJson, ApiPath, ApiQuery, AuthUser, Created};

page_schema!(
    /// A page of approvers.
    ApproverPage,
    ApproverSummary
);

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_users, create_user))
        .routes(routes!(me))
        .routes(routes!(approvers))
        .routes(routes!(my_staff))
        .routes(routes!(get_user, update_user, archive_user))
        .routes(routes!(restore_user))
        .routes(routes!(unlock_user))
        .routes(routes!(invite_user))
}

/// The create body: `email`, `first_name` and `last_name` required. An alias, because
/// `utoipa::path` treats a generic body as one to compose.
type UserForCreate = ForCreate<UserInput>;

/// A page of users.
#[derive(ToSchema)]
#[expect(
    dead_code,
    reason = "describes the response for the OpenAPI document only"
)]
pub struct UserPage {
    data: Vec<User>,
    next_cursor: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct UserListQuery {
    department_id: Option<i64>,
    region_id: Option<i64>,
    location_id: Option<i64>,
    /// Absent: active and pending users.
    status: Option<UserStatus>,
    /// Role code: 100, 200, 210, 220, 300, 310.
    #[param(value_type = Option<i64>)]
    user_type_id: Option<UserType>,
    /// Case-insensitive prefix of the last name.
    last_name: Option<String>,
    /// Text found in a name, e-mail or staff code.
    q: Option<String>,
    /// 1–200, default 50.
    #[param(value_type = Option<rota_core::openapi::Limit>)]
    limit: Option<i64>,
    /// `next_cursor` from the previous page.
    cursor: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// 1–200, default 50.
    #[param(value_type = Option<rota_core::openapi::Limit>)]
    pub limit: Option<i64>,
    /// `next_cursor` from the previous page.
    pub cursor: Option<String>,
}

/// The users the caller can see, filtered, in pages. Staff see themselves and the
/// colleagues company settings allow (hidden users excepted); approvers also their staff;
/// super users everyone.
#[utoipa::path(get, path = "/users", tag = "users", security(("bearer" = [])), params(UserListQuery),
    responses((status = 200, body = UserPage), CommonErrors))]
async fn list_users(
    State(state): State<AppState>,
    auth: AuthUser,
    ApiQuery(query): ApiQuery<UserListQuery>,
) -> ApiResult<Json<Page<User>>> {
    let filter = UserFilter {
        department_id: query.department_id,
        region_id: query.region_id,
        location_id: query.location_id,
        status: query.status,
        user_type_id: query.user_type_id,
        last_name: query.last_name,
        q: query.q,
        ..UserFilter::default()
    };
    Ok(Json(
        service::list(
            &state.db,
            &auth.actor,
            filter,
            query.limit,
            query.cursor.as_deref(),
        )
        .await?,
    ))
}

/// Creates a user (super users). `email`, `first_name` and `last_name` are required; a user
/// created without a password is `pending` and is mailed an invitation, a link to the
/// page `/invitation/{token}` where they set their own (once, within seven days; send it
/// again with `POST /users/{id}/invitation`).
#[utoipa::path(post, path = "/users", tag = "users", security(("bearer" = [])), request_body = UserForCreate,
    responses((status = 201, body = User), CommonErrors, PasswordRefusals))]
async fn create_user(
    State(state): State<AppState>,
    auth: AuthUser,
    ApiJson(input): ApiJson<UserInput>,
) -> ApiResult<Created<User>> {
    Ok(Created(
        service::create(&state.db, &auth.actor, input).await?,
    ))
}

/// The signed-in user.
#[utoipa::path(get, path = "/users/me", tag = "users", security(("bearer" = [])),
    responses((status = 200, body = User), CommonErrors))]
async fn me(State(state): State<AppState>, auth: AuthUser) -> ApiResult<Json<User>> {
    Ok(Json(
        service::get(&state.db, &auth.actor, auth.actor.user_id).await?,
    ))
}

/// Every active approver and super user (super users only), as WhosOff's get-approvers;
/// in pages, by id.
#[utoipa::path(get, path = "/users/approvers", tag = "users", security(("bearer" = [])), params(PageQuery),
    responses((status = 200, body = ApproverPage), CommonErrors))]
async fn approvers(
    State(state): State<AppState>,
    auth: AuthUser,
    ApiQuery(query): ApiQuery<PageQuery>,
) -> ApiResult<Json<Page<ApproverSummary>>> {
    Ok(Json(
        service::approvers(&state.db, &auth.actor, query.limit, query.cursor.as_deref()).await?,
    ))
}

/// The users the caller approves for (everyone, for a super user). Approvers only.
#[utoipa::path(get, path = "/users/my-staff", tag = "users", security(("bearer" = [])), params(PageQuery),
    responses((status = 200, body = UserPage), CommonErrors))]
async fn my_staff(
    State(state): State<AppState>,
    auth: AuthUser,
    ApiQuery(query): ApiQuery<PageQuery>,
) -> ApiResult<Json<Page<User>>> {
    Ok(Json(
        service::my_staff(&state.db, &auth.actor, query.limit, query.cursor.as_deref()).await?,
    ))
}

#[utoipa::path(get, path = "/users/{id}", tag = "users", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = User), CommonErrors))]
async fn get_user(
    State(state): State<AppState>,
    auth: AuthUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<User>> {
    Ok(Json(service::get(&state.db, &auth.actor, id).await?))
}

/// Changes a user. Users may change their own names, phones, preferences and password;
/// approvers also staff code, job title, notes, hours and working days of their staff;
/// everything else (role, status, approvers, organisation, pay, e-mail) needs a super user.
#[utoipa::path(patch, path = "/users/{id}", tag = "users", security(("bearer" = [])), params(("id" = i64, Path)),
    request_body = UserInput, responses((status = 200, body = User), CommonErrors, PasswordRefusals))]
async fn update_user(
    State(state): State<AppState>,
    auth: AuthUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<UserInput>,
) -> ApiResult<Json<User>> {
    Ok(Json(
        service::update(&state.db, &auth.actor, id, input).await?,
    ))
}

/// Archives a user (WhosOff's delete): they can no longer sign in; their data is kept.
#[utoipa::path(delete, path = "/users/{id}", tag = "users", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = User), CommonErrors))]
async fn archive_user(
    State(state): State<AppState>,
    auth: AuthUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<User>> {
    Ok(Json(service::archive(&state.db, &auth.actor, id).await?))
}

/// Makes an archived user active again.
#[utoipa::path(post, path = "/users/{id}/restore", tag = "users", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = User), CommonErrors))]
async fn restore_user(
    State(state): State<AppState>,
    auth: AuthUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<User>> {
    Ok(Json(service::restore(&state.db, &auth.actor, id).await?))
}

/// Lifts a lock left by failed sign-ins (super users).
#[utoipa::path(post, path = "/users/{id}/unlock", tag = "users", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = User), CommonErrors))]
async fn unlock_user(
    State(state): State<AppState>,
    auth: AuthUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<User>> {
    Ok(Json(service::unlock(&state.db, &auth.actor, id).await?))
}

/// Mails a user who has no password yet a link to set their own (super users): the
/// invitation sent when they were created without one, again. It works once, for seven
/// days; a new one replaces the last. 409 `already_has_password` for anyone with one.
#[utoipa::path(post, path = "/users/{id}/invitation", tag = "users", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 202, body = InvitationSent), CommonErrors, InvitationRefusals))]
async fn invite_user(
    State(state): State<AppState>,
    auth: AuthUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<(StatusCode, Json<InvitationSent>)> {
    let sent = rota_core::auth::link::invite(&state.db, &auth.actor, id).await?;
    Ok((StatusCode::ACCEPTED, Json(sent)))
}
