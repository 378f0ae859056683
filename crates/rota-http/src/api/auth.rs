//! Signing in and out: `/auth/login`, `/auth/logout`, `/auth/me`. The second factor of a
//! sign-in is in [`super::mfa`].

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use rota_core::auth::{LoginRequest, SignIn};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::auth::{Declared, declare};
use crate::error::{ApiResult, CommonErrors};
use crate::extract::{ApiJson, AuthUser};
use crate::origin::SignInOrigin;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(login))
        .routes(routes!(logout))
        // Who am I: any API credential may ask, whatever its scopes.
        .merge(declare(
            Declared::AnyScope,
            OpenApiRouter::new().routes(routes!(me)),
        ))
}

/// Signs in with e-mail and password and returns a session token. After the company's
/// number of failed attempts (5 in 15 minutes by default) the account locks. One address
/// may try 20 times a minute (429 `rate_limited` with `Retry-After` beyond).
///
/// For a user with MFA, or of whom it is demanded (`force_mfa`), the reply holds no session but an
/// MFA challenge (`mfa_required: true`, `mfa_token`): complete the sign-in with
/// `POST /auth/mfa/verify`, or, when `mfa_enrolment_required` is true, by enrolling with
/// the token as the bearer (`POST /auth/mfa/enrol`, then `POST /auth/mfa/confirm`).
#[utoipa::path(post, path = "/auth/login", tag = "auth", request_body = LoginRequest,
    responses((status = 200, body = SignIn), CommonErrors))]
async fn login(
    State(state): State<AppState>,
    from: SignInOrigin,
    ApiJson(request): ApiJson<LoginRequest>,
) -> ApiResult<Json<SignIn>> {
    from.admit(&state).await?;
    Ok(Json(
        rota_core::auth::login_from(
            &state.db,
            &request,
            from.device.as_deref(),
            from.origin,
            state.config.secret_key.is_some(),
        )
        .await?,
    ))
}

/// Ends the current session.
#[utoipa::path(post, path = "/auth/logout", tag = "auth", security(("bearer" = [])),
    responses((status = 204, description = "Signed out"), CommonErrors))]
async fn logout(State(state): State<AppState>, auth: AuthUser) -> ApiResult<StatusCode> {
    rota_core::auth::logout(&state.db, &auth.token).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Who the current session acts as.
#[derive(Debug, Serialize, ToSchema)]
pub struct Me {
    pub user_id: i64,
    pub company_id: i64,
    pub user_type_id: rota_core::people::types::UserType,
    pub is_owner: bool,
}

#[utoipa::path(get, path = "/auth/me", operation_id = "auth_me", tag = "auth", security(("bearer" = [])),
    responses((status = 200, body = Me), CommonErrors))]
async fn me(auth: AuthUser) -> Json<Me> {
    Json(Me {
        user_id: auth.actor.user_id,
        company_id: auth.actor.company_id,
        user_type_id: auth.actor.role,
        is_owner: auth.actor.is_owner,
    })
}
