//! MFA (TOTP): the signed-in user's own factor under `/auth/mfa`, the second step of a
//! sign-in (`/auth/mfa/verify`), and a super user's reset of someone else's
//! (`/users/{id}/mfa/reset`). A second factor is managed in person: these routes take a
//! session, never an API client's token or an API key; enrolment and its confirmation
//! also take the token of an enrolment challenge, when MFA is demanded (`force_mfa`).

use axum::Json;
use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use rota_core::access::Origin;
use rota_core::auth::Session;
use rota_core::mfa::challenge::{self, MfaConfirmed, VerifyRequest};
use rota_core::mfa::{
    self, CodeRequest, DisableRequest, MfaEnrolment, MfaStatus, RecoveryCodes, Subject,
};
use rota_core::secret;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::error::{ApiError, ApiResult, CommonErrors, MfaRefusals};
use crate::extract::{ApiJson, ApiPath, AuthUser, bearer};
use crate::origin::SignInOrigin;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(status))
        .routes(routes!(enrol))
        .routes(routes!(confirm))
        .routes(routes!(disable))
        .routes(routes!(regenerate_recovery_codes))
        .routes(routes!(verify))
        .routes(routes!(reset))
}

/// The subject of a signed-in user's own MFA route: a session's user, never an API
/// credential's.
fn in_person(auth: &AuthUser) -> Result<Subject, ApiError> {
    if auth.token.starts_with(secret::SESSION_PREFIX) {
        Ok(Subject::from(&auth.actor))
    } else {
        Err(rota_core::Error::forbidden(
            "MFA is managed in person, with a session from POST /auth/login, not with an API credential",
        )
        .into())
    }
}

/// Who is enrolling: a signed-in user, or a user halfway through a sign-in that the
/// `force_mfa` (the company's or their own) stopped, with the enrolment challenge's token.
enum Enroller {
    SignedIn(Subject),
    SigningIn { subject: Subject, token: String },
}

impl Enroller {
    fn subject(&self) -> &Subject {
        match self {
            Enroller::SignedIn(subject) | Enroller::SigningIn { subject, .. } => subject,
        }
    }
}

impl FromRequestParts<AppState> for Enroller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let token = bearer(parts)?;
        if token.starts_with(secret::MFA_TOKEN_PREFIX) {
            let ip = crate::origin::client_ip(parts, &state.config.trusted_proxies);
            let token = token.to_owned();
            let subject = challenge::enrolling(&state.db, &token, Origin::from_ip(ip)).await?;
            return Ok(Enroller::SigningIn { subject, token });
        }
        let auth = AuthUser::from_request_parts(parts, state).await?;
        Ok(Enroller::SignedIn(in_person(&auth)?))
    }
}

/// The signed-in user's MFA: on or off, recovery codes left, any lock.
#[utoipa::path(get, path = "/auth/mfa", tag = "auth", security(("bearer" = [])),
    responses((status = 200, body = MfaStatus), CommonErrors))]
async fn status(State(state): State<AppState>, auth: AuthUser) -> ApiResult<Json<MfaStatus>> {
    Ok(Json(mfa::status(&state.db, &in_person(&auth)?).await?))
}

/// Starts enrolment: a fresh TOTP seed as base32, an `otpauth://` URI and a QR code
/// (SVG), shown this once. Nothing changes for sign-ins until `POST /auth/mfa/confirm`.
/// Starting again replaces a pending enrolment; with MFA on, switch it off first (409
/// `mfa_already_enabled`). 409 `mfa_unavailable` when the server has no secret key.
#[utoipa::path(post, path = "/auth/mfa/enrol", tag = "auth", security(("bearer" = [])),
    responses((status = 200, body = MfaEnrolment), CommonErrors, MfaRefusals))]
async fn enrol(State(state): State<AppState>, enroller: Enroller) -> ApiResult<Json<MfaEnrolment>> {
    Ok(Json(
        mfa::enrol(
            &state.db,
            state.config.secret_key.as_ref(),
            enroller.subject(),
        )
        .await?,
    ))
}

/// Switches MFA on with a first code from the app, and returns ten single-use recovery
/// codes, shown this once. With an enrolment challenge's token as the bearer, the reply
/// also carries the session the sign-in was waiting for.
#[utoipa::path(post, path = "/auth/mfa/confirm", tag = "auth", security(("bearer" = [])),
    request_body = CodeRequest, responses((status = 200, body = MfaConfirmed), CommonErrors, MfaRefusals))]
async fn confirm(
    State(state): State<AppState>,
    enroller: Enroller,
    from: SignInOrigin,
    ApiJson(request): ApiJson<CodeRequest>,
) -> ApiResult<Json<MfaConfirmed>> {
    let key = state.config.secret_key.as_ref();
    Ok(Json(match &enroller {
        Enroller::SignedIn(subject) => mfa::confirm(&state.db, key, subject, &request).await?,
        Enroller::SigningIn { subject, token } => {
            challenge::confirm_enrolment(
                &state.db,
                key,
                token,
                &request,
                from.device.as_deref(),
                subject.origin,
            )
            .await?
        }
    }))
}

/// Switches MFA off, with a current `code` or the `password`. 409 `mfa_required` while the
/// company or the user's `force_mfa` demands MFA.
#[utoipa::path(post, path = "/auth/mfa/disable", tag = "auth", security(("bearer" = [])),
    request_body = DisableRequest, responses((status = 200, body = MfaStatus), CommonErrors, MfaRefusals))]
async fn disable(
    State(state): State<AppState>,
    auth: AuthUser,
    ApiJson(request): ApiJson<DisableRequest>,
) -> ApiResult<Json<MfaStatus>> {
    let subject = in_person(&auth)?;
    Ok(Json(
        mfa::disable(
            &state.db,
            state.config.secret_key.as_ref(),
            &subject,
            &request,
        )
        .await?,
    ))
}

/// Replaces the recovery codes with ten fresh ones, shown this once; needs a current code.
#[utoipa::path(post, path = "/auth/mfa/recovery-codes", tag = "auth", security(("bearer" = [])),
    request_body = CodeRequest, responses((status = 200, body = RecoveryCodes), CommonErrors, MfaRefusals))]
async fn regenerate_recovery_codes(
    State(state): State<AppState>,
    auth: AuthUser,
    ApiJson(request): ApiJson<CodeRequest>,
) -> ApiResult<Json<RecoveryCodes>> {
    let subject = in_person(&auth)?;
    Ok(Json(
        mfa::regenerate_recovery_codes(
            &state.db,
            state.config.secret_key.as_ref(),
            &subject,
            &request,
        )
        .await?,
    ))
}

/// The second step of a sign-in: the `mfa_token` from `POST /auth/login` with a current
/// `code` or one `recovery_code`, for the session. A code is never accepted twice; five
/// bad codes in 15 minutes lock verification for 15 minutes (403 `mfa_locked`). Attempts
/// count against the address's sign-in rate limit, like `POST /auth/login`.
#[utoipa::path(post, path = "/auth/mfa/verify", tag = "auth", request_body = VerifyRequest,
    responses((status = 200, body = Session), CommonErrors, MfaRefusals))]
async fn verify(
    State(state): State<AppState>,
    from: SignInOrigin,
    ApiJson(request): ApiJson<VerifyRequest>,
) -> ApiResult<Json<Session>> {
    from.admit(&state).await?;
    Ok(Json(
        challenge::verify(
            &state.db,
            state.config.secret_key.as_ref(),
            &request,
            from.device.as_deref(),
            from.origin,
        )
        .await?,
    ))
}

/// Switches off another user's MFA, for a lost device (super users; only the owner may
/// reset the owner's). The user next signs in with the password, or enrols afresh where
/// MFA is demanded of them.
#[utoipa::path(post, path = "/users/{id}/mfa/reset", tag = "users", security(("bearer" = [])),
    params(("id" = i64, Path)), responses((status = 200, body = MfaStatus), CommonErrors))]
async fn reset(
    State(state): State<AppState>,
    auth: AuthUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<MfaStatus>> {
    in_person(&auth)?;
    Ok(Json(mfa::reset(&state.db, &auth.actor, id).await?))
}
