//! API access administration and the token endpoint: `/api-access`, `/api-clients`,
//! `/api-keys`, `/audit` (super users, signed in as themselves — no API credential may
//! call these) and `/oauth/token` (the client-credentials grant, RFC 6749 §4.4).

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use rota_core::access::audit::{AuditEvent, AuditFilter};
use rota_core::access::clients::{
    ApiClient, ApiClientForCreate, ApiClientPatch, ApiClientWithSecret,
};
use rota_core::access::keys::{ApiKey, ApiKeyForCreate, ApiKeyWithSecret};
use rota_core::access::settings::{ApiAccessStatus, IpAllowListInput};
use rota_core::access::tokens::{AccessToken, ClientCredentials, oauth_code};
use rota_core::access::{audit, clients, keys, limits, settings, tokens};
use rota_core::paging::Page;
use rota_core::secret::Secret;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::api::page::page_schema;
use crate::api::users::PageQuery;
use crate::error::{ApiCredentialRefusals, ApiError, ApiResult, CommonErrors};
use crate::extract::{ApiJson, ApiPath, ApiQuery, AuthUser, Created};

page_schema!(
    /// A page of API clients.
    ApiClientPage,
    ApiClient
);
page_schema!(
    /// A page of API keys.
    ApiKeyPage,
    ApiKey
);
use crate::origin::ClientIp;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(access_status))
        .routes(routes!(enable_access))
        .routes(routes!(revoke_access))
        .routes(routes!(set_ip_allow_list))
        .routes(routes!(list_clients, create_client))
        .routes(routes!(get_client, update_client, delete_client))
        .routes(routes!(regenerate_secret))
        .routes(routes!(revoke_client))
        .routes(routes!(list_keys, create_key))
        .routes(routes!(revoke_key))
        .routes(routes!(list_audit))
        .routes(routes!(token))
}

/// Whether API access is enabled for the company.
#[utoipa::path(get, path = "/api-access", tag = "api access", security(("bearer" = [])),
    responses((status = 200, body = ApiAccessStatus), CommonErrors))]
async fn access_status(
    State(state): State<AppState>,
    auth: AuthUser,
) -> ApiResult<Json<ApiAccessStatus>> {
    Ok(Json(settings::status(&state.db, &auth.actor).await?))
}

/// Enables API access and creates the company's first client, which acts as the caller
/// with write access to every area. Its App ID and client secret are shown this once.
/// 409 when access is already enabled.
#[utoipa::path(post, path = "/api-access/enable", tag = "api access", security(("bearer" = [])),
    responses((status = 201, body = ApiClientWithSecret), CommonErrors))]
async fn enable_access(
    State(state): State<AppState>,
    auth: AuthUser,
) -> ApiResult<Created<ApiClientWithSecret>> {
    Ok(Created(
        settings::enable(&state.db, state.config.secret_key.as_ref(), &auth.actor).await?,
    ))
}

/// Revokes API access: every client and key is disabled and every token stops working at once.
#[utoipa::path(post, path = "/api-access/revoke", tag = "api access", security(("bearer" = [])),
    responses((status = 200, body = ApiAccessStatus), CommonErrors))]
async fn revoke_access(
    State(state): State<AppState>,
    auth: AuthUser,
) -> ApiResult<Json<ApiAccessStatus>> {
    Ok(Json(settings::revoke_access(&state.db, &auth.actor).await?))
}

/// Replaces the company-wide IP allow-list that every client and key must also pass
/// (addresses and CIDR ranges, IPv4 or IPv6; empty admits any address).
#[utoipa::path(put, path = "/api-access/ip-allow-list", tag = "api access", security(("bearer" = [])),
    request_body = IpAllowListInput,
    responses((status = 200, body = ApiAccessStatus), CommonErrors))]
async fn set_ip_allow_list(
    State(state): State<AppState>,
    auth: AuthUser,
    ApiJson(input): ApiJson<IpAllowListInput>,
) -> ApiResult<Json<ApiAccessStatus>> {
    Ok(Json(
        settings::set_ip_allow_list(&state.db, &auth.actor, input).await?,
    ))
}

/// The company's API clients, in pages.
#[utoipa::path(get, path = "/api-clients", tag = "api access", security(("bearer" = [])), params(PageQuery),
    responses((status = 200, body = ApiClientPage), CommonErrors))]
async fn list_clients(
    State(state): State<AppState>,
    auth: AuthUser,
    ApiQuery(query): ApiQuery<PageQuery>,
) -> ApiResult<Json<Page<ApiClient>>> {
    Ok(Json(
        clients::list(&state.db, &auth.actor, query.limit, query.cursor.as_deref()).await?,
    ))
}

/// Creates a client; its secret is shown this once. 409 unless API access is enabled.
#[utoipa::path(post, path = "/api-clients", tag = "api access", security(("bearer" = [])),
    request_body = ApiClientForCreate,
    responses((status = 201, body = ApiClientWithSecret), CommonErrors, ApiCredentialRefusals))]
async fn create_client(
    State(state): State<AppState>,
    auth: AuthUser,
    ApiJson(input): ApiJson<ApiClientForCreate>,
) -> ApiResult<Created<ApiClientWithSecret>> {
    Ok(Created(
        clients::create(
            &state.db,
            state.config.secret_key.as_ref(),
            &auth.actor,
            input,
        )
        .await?,
    ))
}

#[utoipa::path(get, path = "/api-clients/{id}", tag = "api access", security(("bearer" = [])),
    params(("id" = i64, Path)), responses((status = 200, body = ApiClient), CommonErrors))]
async fn get_client(
    State(state): State<AppState>,
    auth: AuthUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<ApiClient>> {
    Ok(Json(clients::get(&state.db, &auth.actor, id).await?))
}

#[utoipa::path(patch, path = "/api-clients/{id}", tag = "api access", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = ApiClientPatch,
    responses((status = 200, body = ApiClient), CommonErrors, ApiCredentialRefusals))]
async fn update_client(
    State(state): State<AppState>,
    auth: AuthUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(patch): ApiJson<ApiClientPatch>,
) -> ApiResult<Json<ApiClient>> {
    Ok(Json(
        clients::update(&state.db, &auth.actor, id, patch).await?,
    ))
}

/// Deletes a client and its tokens; its audit events stay.
#[utoipa::path(delete, path = "/api-clients/{id}", tag = "api access", security(("bearer" = [])),
    params(("id" = i64, Path)), responses((status = 204, description = "Deleted"), CommonErrors))]
async fn delete_client(
    State(state): State<AppState>,
    auth: AuthUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<StatusCode> {
    clients::delete(&state.db, &auth.actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// How a rotation treats the old secret.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct RotationQuery {
    /// Seconds the old secret keeps minting tokens, and its tokens keep working, so the
    /// systems that use it can switch over; 0 (the default) stops them at once; at most
    /// 604800 (a week).
    #[serde(default)]
    #[param(minimum = 0, maximum = 604800)]
    overlap_seconds: i64,
}

/// Issues a new client secret, shown this once. The old secret and its tokens stop at
/// once, or at the end of `overlap_seconds`.
#[utoipa::path(post, path = "/api-clients/{id}/regenerate-secret", tag = "api access", security(("bearer" = [])),
    params(("id" = i64, Path), RotationQuery), responses((status = 200, body = ApiClientWithSecret), CommonErrors))]
async fn regenerate_secret(
    State(state): State<AppState>,
    auth: AuthUser,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(rotation): ApiQuery<RotationQuery>,
) -> ApiResult<Json<ApiClientWithSecret>> {
    Ok(Json(
        clients::regenerate_secret(
            &state.db,
            state.config.secret_key.as_ref(),
            &auth.actor,
            id,
            rotation.overlap_seconds,
        )
        .await?,
    ))
}

/// Disables a client; its tokens stop at once.
#[utoipa::path(post, path = "/api-clients/{id}/revoke", tag = "api access", security(("bearer" = [])),
    params(("id" = i64, Path)), responses((status = 200, body = ApiClient), CommonErrors))]
async fn revoke_client(
    State(state): State<AppState>,
    auth: AuthUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<ApiClient>> {
    Ok(Json(clients::revoke(&state.db, &auth.actor, id).await?))
}

/// The company's API keys, in pages.
#[utoipa::path(get, path = "/api-keys", tag = "api access", security(("bearer" = [])), params(PageQuery),
    responses((status = 200, body = ApiKeyPage), CommonErrors))]
async fn list_keys(
    State(state): State<AppState>,
    auth: AuthUser,
    ApiQuery(query): ApiQuery<PageQuery>,
) -> ApiResult<Json<Page<ApiKey>>> {
    Ok(Json(
        keys::list(&state.db, &auth.actor, query.limit, query.cursor.as_deref()).await?,
    ))
}

/// Creates a long-lived API key (`rota_k_…` with a checksum), shown this once.
#[utoipa::path(post, path = "/api-keys", tag = "api access", security(("bearer" = [])),
    request_body = ApiKeyForCreate,
    responses((status = 201, body = ApiKeyWithSecret), CommonErrors, ApiCredentialRefusals))]
async fn create_key(
    State(state): State<AppState>,
    auth: AuthUser,
    ApiJson(input): ApiJson<ApiKeyForCreate>,
) -> ApiResult<Created<ApiKeyWithSecret>> {
    Ok(Created(keys::create(&state.db, &auth.actor, input).await?))
}

#[utoipa::path(post, path = "/api-keys/{id}/revoke", tag = "api access", security(("bearer" = [])),
    params(("id" = i64, Path)), responses((status = 200, body = ApiKey), CommonErrors))]
async fn revoke_key(
    State(state): State<AppState>,
    auth: AuthUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<ApiKey>> {
    Ok(Json(keys::revoke(&state.db, &auth.actor, id).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// Only this action, such as `login.failed` or `client.secret_regenerated`.
    action: Option<String>,
    /// Only events caused by this user.
    actor_user_id: Option<i64>,
    /// Only events about this kind of subject, such as `api_client`, `user`, `webhook` or
    /// `leave_request`.
    target_type: Option<String>,
    /// Only events about the subject with this id.
    target_id: Option<i64>,
    /// RFC 3339; events at or after.
    #[param(value_type = Option<rota_core::openapi::Instant>)]
    from: Option<String>,
    /// RFC 3339; events before.
    #[param(value_type = Option<rota_core::openapi::Instant>)]
    to: Option<String>,
    /// 1–200, default 50.
    #[param(value_type = Option<rota_core::openapi::Limit>)]
    limit: Option<i64>,
    /// `next_cursor` from the previous page.
    cursor: Option<String>,
}

/// A page of audit events.
#[derive(ToSchema)]
#[expect(
    dead_code,
    reason = "describes the response for the OpenAPI document only"
)]
pub struct AuditPage {
    data: Vec<AuditEvent>,
    next_cursor: Option<String>,
}

fn instant(field: &'static str, text: Option<&str>) -> ApiResult<Option<i64>> {
    // A query parameter that does not read is a 400, as every other query's.
    text.map(|t| {
        rota_core::validate::instant(field, t).map_err(|error| {
            ApiError::new(
                StatusCode::BAD_REQUEST,
                "invalid_query",
                error.to_string(),
                Some(field.into()),
            )
        })
    })
    .transpose()
}

/// The company's audit log, newest first: every write and security event, with who, through
/// which API client or key, from which address, and what changed. Super users only; no
/// route changes or deletes an event.
#[utoipa::path(get, path = "/audit", tag = "api access", security(("bearer" = [])), params(AuditQuery),
    responses((status = 200, body = AuditPage), CommonErrors))]
async fn list_audit(
    State(state): State<AppState>,
    auth: AuthUser,
    ApiQuery(query): ApiQuery<AuditQuery>,
) -> ApiResult<Json<Page<AuditEvent>>> {
    let filter = AuditFilter {
        action: query.action,
        actor_user_id: query.actor_user_id,
        target_type: query.target_type,
        target_id: query.target_id,
        from: instant("from", query.from.as_deref())?,
        to: instant("to", query.to.as_deref())?,
    };
    Ok(Json(
        audit::list(
            &state.db,
            &auth.actor,
            filter,
            query.limit,
            query.cursor.as_deref(),
        )
        .await?,
    ))
}

/// The token request's parameters (RFC 6749 §4.4.2), form-encoded or JSON. Unknown
/// parameters are ignored, as §3.2 asks.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct TokenRequest {
    /// `client_credentials`.
    #[schema(value_type = String, required = true, pattern = "^client_credentials$")]
    grant_type: Option<String>,
    /// The App ID; or send it with the secret as HTTP Basic.
    client_id: Option<String>,
    #[schema(value_type = Option<String>, format = Password)]
    client_secret: Option<Secret>,
    /// Accepted and ignored: a token carries its client's scopes, listed in the answer.
    scope: Option<String>,
}

/// The token endpoint's error body (RFC 6749 §5.2), not the API's usual envelope.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct OAuthError {
    /// `invalid_request`, `invalid_client`, `unauthorized_client`, `unsupported_grant_type`, `server_error`.
    pub error: String,
    pub error_description: String,
}

fn oauth_error(status: StatusCode, error: &str, description: impl Into<String>) -> Response {
    let mut response = (
        status,
        Json(OAuthError {
            error: error.into(),
            error_description: description.into(),
        }),
    )
        .into_response();
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if status == StatusCode::UNAUTHORIZED {
        headers.insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static("Basic realm=\"rota\""),
        );
    }
    response
}

fn invalid_request(description: impl Into<String>) -> Response {
    oauth_error(
        StatusCode::BAD_REQUEST,
        oauth_code::INVALID_REQUEST,
        description,
    )
}

/// `Authorization: Basic base64(urlencode(client_id) ":" urlencode(client_secret))`.
fn basic_credentials(headers: &HeaderMap) -> Option<Result<(String, String), ()>> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let encoded = value
        .strip_prefix("Basic ")
        .or_else(|| value.strip_prefix("basic "))?;
    Some((|| {
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(encoded.trim())
            .map_err(|_| ())?;
        let text = String::from_utf8(decoded).map_err(|_| ())?;
        let (id, secret) = text.split_once(':').ok_or(())?;
        let unescape = |s: &str| {
            form_urlencoded::parse(format!("x={s}").as_bytes())
                .next()
                .map(|(_, v)| v.into_owned())
                .unwrap_or_default()
        };
        Ok((unescape(id), unescape(secret)))
    })())
}

/// Exchanges an App ID and client secret for a bearer access token that lives 15 minutes
/// (RFC 6749 §4.4, client credentials). Send `grant_type=client_credentials` with
/// `client_id` and `client_secret` form-encoded or as JSON, or the credentials as HTTP
/// Basic. Errors use RFC 6749's body, `{"error": "invalid_client", "error_description": …}`:
/// 400 `invalid_request` or `unsupported_grant_type`, 401 `invalid_client` (unknown, wrong
/// secret, revoked) or, for a client that requires nonces, `invalid_nonce`,
/// `nonce_replayed` or `stale_timestamp` (send headers `nonce` and `timestamp`), 403
/// `unauthorized_client` (address not allowed), 429 `rate_limited` (10 a minute per App ID).
#[utoipa::path(post, path = "/oauth/token", tag = "api access",
    request_body(content = TokenRequest, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 200, body = AccessToken),
        (status = 400, body = OAuthError, description = "invalid_request or unsupported_grant_type"),
        (status = 401, body = OAuthError, description = "invalid_client"),
        (status = 403, body = OAuthError, description = "unauthorized_client: this address may not use the client"),
        (status = 429, body = OAuthError, description = "rate_limited: more than 10 requests a minute for this App ID; see Retry-After"),
    ))]
async fn token(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let media = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|v| v.trim().to_ascii_lowercase())
        .unwrap_or_default();
    // No text with U+0000 reaches the database (see crate::nul); this route reads its own
    // body, so it checks it itself, answering in RFC 6749's shape.
    let nul = match media.as_str() {
        "application/x-www-form-urlencoded" => crate::nul::in_form(&body),
        "application/json" => crate::nul::in_json(&body),
        _ => None,
    };
    if let Some(field) = nul {
        return invalid_request(format!(
            "{field} must not contain the NUL character (U+0000)"
        ));
    }
    let request: TokenRequest = if body.is_empty() {
        TokenRequest::default()
    } else if media == "application/x-www-form-urlencoded" {
        match serde_urlencoded::from_bytes(&body) {
            Ok(request) => request,
            Err(e) => return invalid_request(format!("unreadable form body: {e}")),
        }
    } else if media == "application/json" {
        match serde_json::from_slice(&body) {
            Ok(request) => request,
            Err(e) => return invalid_request(format!("unreadable JSON body: {e}")),
        }
    } else {
        return invalid_request(
            "send the parameters as application/x-www-form-urlencoded or application/json",
        );
    };
    let _ = request.scope;
    let (client_id, client_secret) = match (basic_credentials(&headers), request.client_id) {
        (Some(_), Some(_)) => {
            return invalid_request("authenticate the client one way: HTTP Basic or the body");
        }
        (Some(Ok((id, secret))), None)
            if crate::nul::in_text(&id) || crate::nul::in_text(&secret) =>
        {
            return invalid_request(
                "the HTTP Basic credentials must not contain the NUL character (U+0000)",
            );
        }
        (Some(Ok((id, secret))), None) => (id, Secret::from(secret)),
        (Some(Err(())), None) => {
            return oauth_error(
                StatusCode::UNAUTHORIZED,
                oauth_code::INVALID_CLIENT,
                "unreadable HTTP Basic credentials",
            );
        }
        (None, Some(id)) => match request.client_secret {
            Some(secret) => (id, secret),
            None => return invalid_request("client_secret is missing"),
        },
        (None, None) => return invalid_request("client_id is missing"),
    };
    let Some(grant_type) = request.grant_type else {
        return invalid_request("grant_type is missing");
    };
    let header_text = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let credentials = ClientCredentials {
        grant_type,
        client_id,
        client_secret,
        nonce: header_text("nonce"),
        timestamp: header_text("timestamp"),
    };
    let bucket = limits::bucket::token_endpoint(&credentials.client_id);
    let issued = match limits::take(&state.db, &bucket, state.config.limits.token).await {
        Ok(_) => tokens::issue(&state.db, &credentials, ip).await,
        Err(limited) => Err(limited),
    };
    match issued {
        Ok(token) => {
            let mut response = Json(token).into_response();
            response
                .headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            response
        }
        Err(error) => {
            let error = ApiError::from(error);
            let mut response = if error.status.is_server_error() {
                oauth_error(error.status, "server_error", error.message)
            } else {
                oauth_error(error.status, &error.code, error.message)
            };
            if let Some(seconds) = error.retry_after {
                response
                    .headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
            }
            response
        }
    }
}
