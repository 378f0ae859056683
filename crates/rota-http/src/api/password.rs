//! Setting one's own password from a mailed link, without a session: accepting an
//! invitation (`/auth/invitation/accept`, which signs in), asking for a reset link
//! (`/auth/password/forgot`, the same answer whether the address is known or not) and
//! using it (`/auth/password/reset`). Each counts against its address's sign-in rate
//! limit, as `/auth/login` does. The links themselves point at the web app's pages
//! (`/invitation/{token}`, `/reset-password/{token}`), which call the same services.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use rota_core::auth::Session;
use rota_core::auth::link::{self, ForgotPassword, SetPassword};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::error::{ApiResult, CommonErrors, LinkRefusals};
use crate::extract::ApiJson;
use crate::origin::SignInOrigin;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(accept_invitation))
        .routes(routes!(forgot_password))
        .routes(routes!(reset_password))
}

/// Accepts an invitation: the token from the mailed link and a password within the
/// company's rules. The account becomes active and the reply is a session, as a sign-in's
/// (a company that demands MFA asks for it at the next sign-in). The link works once.
#[utoipa::path(post, path = "/auth/invitation/accept", tag = "auth", request_body = SetPassword,
    responses((status = 200, body = Session), CommonErrors, LinkRefusals))]
async fn accept_invitation(
    State(state): State<AppState>,
    from: SignInOrigin,
    ApiJson(request): ApiJson<SetPassword>,
) -> ApiResult<Json<Session>> {
    from.admit(&state).await?;
    let device = from.device.as_deref();
    Ok(Json(
        link::accept_invitation(&state.db, &request, device, from.origin).await?,
    ))
}

/// Mails a password-reset link, good once for an hour, to every active account of the
/// address. 202 whether or not anyone has it, so that nobody learns who has an account.
#[utoipa::path(post, path = "/auth/password/forgot", tag = "auth", request_body = ForgotPassword,
    responses((status = 202, description = "A link is mailed if the address has an account"), CommonErrors))]
async fn forgot_password(
    State(state): State<AppState>,
    from: SignInOrigin,
    ApiJson(request): ApiJson<ForgotPassword>,
) -> ApiResult<StatusCode> {
    from.admit(&state).await?;
    link::forgot_password(&state.db, &request, from.origin).await?;
    Ok(StatusCode::ACCEPTED)
}

/// Sets a new password with the token from a reset link: any lock lifts and every session
/// of the person ends; they sign in with the new password. The link works once.
#[utoipa::path(post, path = "/auth/password/reset", tag = "auth", request_body = SetPassword,
    responses((status = 204, description = "The password is changed; every session has ended"), CommonErrors, LinkRefusals))]
async fn reset_password(
    State(state): State<AppState>,
    from: SignInOrigin,
    ApiJson(request): ApiJson<SetPassword>,
) -> ApiResult<StatusCode> {
    from.admit(&state).await?;
    link::reset_password(&state.db, &request, from.origin).await?;
    Ok(StatusCode::NO_CONTENT)
}
