//! The Authenticate controller: the two calls that need no bearer token and hand one out,
//! `with-credentials` (a user's e-mail and password) and `with-access-token` (a Rota API
//! access token or key exchanged). Both prove the client with the App ID, a fresh nonce
//! and `secret` = SHA-512(nonce ++ client secret), and name the caller's `ip_address`;
//! every check and the token are `rota_core::access::app_sign_in`'s. The sign-in rate
//! limit of the caller's address applies first, as at `POST /api/v1/auth/login`.

use axum::extract::State;
use axum::http::HeaderMap;
use jiff::tz::TimeZone;
use rota_core::access::app_sign_in::{self, AppSession, AppSignIn, SignInAs};
use rota_core::secret::{Issued, Secret};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::envelope::{Answer, Envelope, WhosOff};
use super::extract::Body;
use crate::AppState;
use crate::compat::dates::format_whosoff_datetime;
use crate::compat::errors::Vendored;
use crate::compat::lenient::Flag;
use crate::origin::SignInOrigin;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(with_credentials))
        .routes(routes!(with_access_token))
}

/// Both calls' body: what proves the client, and who signs in: `username` and `password`
/// (with `mfa_code` for a user with MFA) for `with-credentials`, `access_token` for
/// `with-access-token`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AuthenticateBody {
    /// `with-credentials`: the user's e-mail address.
    username: Option<String>,
    /// `with-credentials`: the user's password.
    #[schema(value_type = Option<String>, format = Password)]
    password: Option<Secret>,
    /// `with-credentials`, Rota's addition: for a user with MFA, the current six-digit
    /// code from the authenticator app, or one of their recovery codes.
    #[schema(value_type = Option<String>)]
    mfa_code: Option<Secret>,
    /// `with-access-token`: a Rota API access token (`rota_at_…`) or API key (`rota_k_…`)
    /// of the same company.
    #[schema(value_type = Option<String>)]
    access_token: Option<Secret>,
    /// The caller's own address, as Rota sees it (the peer, or the `X-Forwarded-For` entry
    /// a trusted proxy vouches for).
    ip_address: String,
    /// 8 to 256 characters, new for every call: a nonce signs once.
    nonce: String,
    /// SHA-512 of the nonce followed by the client secret: 128 hex digits (either case) or
    /// Base64.
    #[schema(value_type = String)]
    secret: Secret,
    /// The App ID; the same as the `app-id` header's.
    app_id: String,
    /// Accepted and ignored (WhosOff does not say what it does).
    #[schema(value_type = Option<bool>)]
    #[expect(
        dead_code,
        reason = "accepted as WhosOff's clients send it, and ignored"
    )]
    delay: Option<Flag>,
}

/// `field`, which the call needs, or a 400 naming it.
fn required<T>(field: &'static str, value: Option<T>) -> Result<T, Vendored<WhosOff>> {
    value.ok_or_else(|| rota_core::Error::invalid(field, format!("{field} is required")).into())
}

/// `field`, which belongs to the other call, must be absent.
fn absent<T>(field: &'static str, value: Option<&T>) -> Result<(), Vendored<WhosOff>> {
    match value {
        Some(_) => Err(rota_core::Error::invalid(
            field,
            format!("{field} belongs to the other authenticate call"),
        )
        .into()),
        None => Ok(()),
    }
}

/// The bearer token.
#[derive(Debug, Serialize, ToSchema)]
pub struct Token {
    /// Send as `Authorization: Bearer <access_token>` with the `app-id` header.
    #[schema(value_type = String)]
    access_token: Issued,
    /// When the token stops working, an hour after it was issued: UTC, to the second.
    token_expiry_date: String,
}

/// The user the token acts as.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuthenticatedUser {
    user_id: i64,
    first_name: String,
    last_name: String,
    email_address: String,
    /// The user's own level (100, 200, 210, 220, 300, 310); the token acts with at most
    /// the client's role ceiling.
    user_type_id: i64,
    department_id: Option<i64>,
}

/// Both calls' answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct Authenticated {
    token: Token,
    user: AuthenticatedUser,
}

impl From<AppSession> for Authenticated {
    fn from(session: AppSession) -> Self {
        Self {
            token: Token {
                access_token: session.access_token,
                token_expiry_date: format_whosoff_datetime(session.expires_at, &TimeZone::UTC),
            },
            user: AuthenticatedUser {
                user_id: session.user.id,
                first_name: session.user.first_name,
                last_name: session.user.last_name,
                email_address: session.user.email,
                user_type_id: session.user.user_type.code(),
                department_id: session.user.department_id,
            },
        }
    }
}

/// Signs in through the client as `who` and answers its token.
async fn sign_in(
    state: &AppState,
    from: &SignInOrigin,
    headers: &HeaderMap,
    body: AuthenticateBody,
    who: SignInAs,
) -> Answer<Authenticated> {
    let request = AppSignIn {
        header_app_id: headers
            .get("app-id")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned),
        app_id: body.app_id,
        nonce: body.nonce,
        secret: body.secret,
        ip_address: body.ip_address,
        who,
    };
    let session = app_sign_in::sign_in(
        &state.db,
        state.config.secret_key.as_ref(),
        &request,
        from.origin.ip,
        from.device.as_deref(),
    )
    .await?;
    Envelope::ok(session.into())
}

/// A user of the client's company signs in with e-mail and password (and `mfa_code` when
/// they have MFA). No Authorization header; `app-id` names the client. User level NONE.
#[utoipa::path(post, path = "/v4/authenticate/with-credentials", tag = "authenticate",
    request_body = AuthenticateBody,
    params(("app-id" = String, Header, description = "The App ID")),
    responses((status = 200, body = Envelope<Authenticated>)))]
async fn with_credentials(
    State(state): State<AppState>,
    from: SignInOrigin,
    headers: HeaderMap,
    body: Body,
) -> Answer<Authenticated> {
    from.admit(&state).await?;
    let mut body: AuthenticateBody = body.parse()?;
    absent("access_token", body.access_token.as_ref())?;
    let who = SignInAs::Credentials {
        username: required("username", body.username.take())?,
        password: required("password", body.password.take())?,
        mfa_code: body.mfa_code.take(),
    };
    sign_in(&state, &from, &headers, body, who).await
}

/// A Rota API access token or key of the client's company is exchanged for the client's
/// token, acting as the same user, never with more role or scopes than it has. WhosOff
/// does not publish this route; Rota names it as the other. User level NONE.
#[utoipa::path(post, path = "/v4/authenticate/with-access-token", tag = "authenticate",
    request_body = AuthenticateBody,
    params(("app-id" = String, Header, description = "The App ID")),
    responses((status = 200, body = Envelope<Authenticated>)))]
async fn with_access_token(
    State(state): State<AppState>,
    from: SignInOrigin,
    headers: HeaderMap,
    body: Body,
) -> Answer<Authenticated> {
    from.admit(&state).await?;
    let mut body: AuthenticateBody = body.parse()?;
    absent("username", body.username.as_ref())?;
    absent("password", body.password.as_ref())?;
    absent("mfa_code", body.mfa_code.as_ref())?;
    let who = SignInAs::AccessToken(required("access_token", body.access_token.take())?);
    sign_in(&state, &from, &headers, body, who).await
}
