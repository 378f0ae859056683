//! Signing a user in through an API client, WhosOff's `authenticate`: the client proves its
//! secret with a fresh nonce (`secret` = SHA-512 of the nonce followed by the client
//! secret), the caller names its own address, and a user of the client's company signs in
//! with e-mail and password (and a second factor when they have one) or hands in an API
//! access token or key of that company. The answer is an access token of the client bound
//! to that user (`api_tokens.user_id`), which acts with the user's own permissions capped
//! by the client's role ceiling and within its scopes, for [`TOKEN_LIFETIME`] seconds.
//!
//! The checks, in order: the App ID of the `app-id` header and of the body agree; the
//! client exists and it and the company's API access are enabled; its secret is sealed
//! (see [`crate::access::clients`]); the proof matches the current secret, or the previous
//! one within its overlap window; `ip_address` is the address the request comes from, and
//! the company's and the client's allow-lists admit it; the nonce is new (it is then
//! remembered while that secret lasts, see [`nonces`]); then the user signs in through
//! the same path as the native sign-in (lockout, audit; the face applies the sign-in rate
//! limit first). Every refusal once the client is known is in the audit log as
//! `token.refused` with its reason (the error's code); a success as `login.succeeded` (with
//! credentials) and `token.issued`.

mod rules;

use std::net::IpAddr;

use serde_json::json;
use sqlx::FromRow;

pub use rules::{decode_proof, is_own_address, may_exchange, proves};

use crate::access::audit::{self, AuditAction, Event, Who};
use crate::access::{IpAllowList, Origin, ScopeSet, clients, keys, nonces, tokens};
use crate::auth::{check_password, ensure_active, record_sign_in};
use crate::db::{Db, Tx, flag, now};
use crate::error::{Error, Result, code};
use crate::people::record::UserRecord;
use crate::people::types::UserType;
use crate::sealing::SecretKey;
use crate::secret::{self, Issued, Secret};

/// How long a token from an app sign-in lives, in seconds: an hour.
pub const TOKEN_LIFETIME: i64 = 3600;

/// Who signs in.
#[derive(Debug, Clone)]
pub enum SignInAs {
    /// A user of the client's company, by e-mail and password, with a current TOTP code or
    /// a recovery code when the user has MFA.
    Credentials {
        username: String,
        password: Secret,
        mfa_code: Option<Secret>,
    },
    /// The user an API access token (`rota_at_…`) or API key (`rota_k_…`) of the client's
    /// company acts as.
    AccessToken(Secret),
}

impl SignInAs {
    fn grant_type(&self) -> &'static str {
        match self {
            Self::Credentials { .. } => "whosoff_authenticate",
            Self::AccessToken(_) => "whosoff_access_token",
        }
    }
}

/// A sign-in through an API client, as the face read it.
#[derive(Debug, Clone)]
pub struct AppSignIn {
    /// The App ID of the `app-id` header, when sent.
    pub header_app_id: Option<String>,
    /// The App ID of the body.
    pub app_id: String,
    pub nonce: String,
    /// SHA-512 of the nonce followed by the client secret, as hex or Base64.
    pub secret: Secret,
    /// The caller's own address, as it believes Rota sees it.
    pub ip_address: String,
    pub who: SignInAs,
}

/// The user a token was issued for.
#[derive(Debug, Clone)]
pub struct SignedInUser {
    pub id: i64,
    pub company_id: i64,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    /// The user's own role; the token acts with at most the client's ceiling.
    pub user_type: UserType,
    pub department_id: Option<i64>,
}

/// A token bound to a user.
#[derive(Debug, Clone)]
pub struct AppSession {
    /// `rota_at_…`; send as `Authorization: Bearer <token>` with the `app-id` header.
    pub access_token: Issued,
    pub expires_at: jiff::Timestamp,
    pub user: SignedInUser,
}

/// The client as an app sign-in reads it, with the company's API access.
#[derive(FromRow)]
struct ClientRow {
    id: i64,
    company_id: i64,
    app_id: String,
    sealed_secret: Option<String>,
    previous_sealed_secret: Option<String>,
    previous_secret_expires_at: Option<i64>,
    scopes: String,
    role_ceiling: i64,
    ip_allow_list: String,
    enabled: i64,
    access_enabled: Option<i64>,
    company_allow_list: Option<String>,
}

fn invalid_client() -> Error {
    Error::Unauthenticated {
        code: code::INVALID_CLIENT,
        message: "unknown App ID, or the client or the company's API access is revoked".into(),
    }
}

fn refused(code: &'static str, message: &'static str) -> Error {
    Error::Unauthenticated {
        code,
        message: message.into(),
    }
}

/// Signs a user in through an API client and mints a token bound to them. `key` is the
/// server's secret key, which opens the sealed client secret; `seen` the address the
/// request comes from (trusted proxies honoured); `device` the User-Agent.
pub async fn sign_in(
    db: &Db,
    key: Option<&SecretKey>,
    request: &AppSignIn,
    seen: Option<IpAddr>,
    device: Option<&str>,
) -> Result<AppSession> {
    let app_id = request.app_id.trim();
    if request
        .header_app_id
        .as_deref()
        .is_some_and(|header| header.trim() != app_id)
    {
        return Err(Error::bad_request(
            code::APP_ID_MISMATCH,
            Some("app_id"),
            "the app_id of the body is not the App ID of the app-id header",
        ));
    }
    let client: Option<ClientRow> = sqlx::query_as(
        "SELECT c.id, c.company_id, c.app_id, c.sealed_secret, c.previous_sealed_secret, \
         c.previous_secret_expires_at, c.scopes, c.role_ceiling, c.ip_allow_list, c.enabled, \
         a.enabled AS access_enabled, a.ip_allow_list AS company_allow_list \
         FROM api_clients c LEFT JOIN api_access a ON a.company_id = c.company_id WHERE c.app_id = $1",
    )
    .bind(app_id)
    .fetch_optional(db.pool())
    .await?;
    let Some(client) = client else {
        return Err(invalid_client());
    };
    let origin = Origin {
        ip: seen,
        api_client_id: Some(client.id),
        ..Origin::default()
    };
    match admit(db, key, &client, request, seen, origin, device).await {
        Ok(session) => Ok(session),
        Err(error) => {
            if !matches!(error, Error::Database(_) | Error::Internal(_)) {
                let mut tx = db.begin_write().await?;
                audit::record(
                    &mut tx,
                    Who {
                        user_id: None,
                        origin,
                    },
                    Event {
                        company_id: client.company_id,
                        action: AuditAction::TokenRefused,
                        target: Some(("api_client", client.id)),
                        details: json!({"grant_type": request.who.grant_type(), "reason": error.code()}),
                    },
                )
                .await?;
                tx.commit().await?;
            }
            Err(error)
        }
    }
}

/// Every check once the client is known, then the token.
async fn admit(
    db: &Db,
    key: Option<&SecretKey>,
    client: &ClientRow,
    request: &AppSignIn,
    seen: Option<IpAddr>,
    origin: Origin,
    device: Option<&str>,
) -> Result<AppSession> {
    if !flag(client.enabled) || !client.access_enabled.is_some_and(flag) {
        return Err(invalid_client());
    }
    let secret_expires_at = check_proof(key, client, request)?;
    if !is_own_address(&request.ip_address, seen) {
        return Err(refused(
            code::IP_ADDRESS_MISMATCH,
            "ip_address is not the address this request comes from",
        ));
    }
    let company_allow =
        IpAllowList::from_stored(client.company_allow_list.as_deref().unwrap_or("[]"));
    if !company_allow.admits(seen) || !IpAllowList::from_stored(&client.ip_allow_list).admits(seen)
    {
        return Err(Error::Forbidden {
            code: code::ADDRESS_NOT_ALLOWED,
            message: "this address may not use this client".into(),
        });
    }
    nonces::accept_signing(
        db,
        client.company_id,
        client.id,
        &request.nonce,
        secret_expires_at,
    )
    .await?;
    let stamp = now();
    let lifetime_end = stamp + TOKEN_LIFETIME;
    let expires_at = secret_expires_at.map_or(lifetime_end, |end| end.min(lifetime_end));
    let (mut tx, user, exchanged) = match &request.who {
        SignInAs::Credentials {
            username,
            password,
            mfa_code,
        } => {
            let (user, company) =
                check_password(db, username, password, Some(client.company_id), origin).await?;
            let (mut tx, proved_by) = crate::mfa::challenge::prove_inline(
                db.begin_write().await?,
                key,
                &user,
                &company.settings,
                origin,
                mfa_code.as_ref(),
            )
            .await?;
            let details = json!({"api_client_id": client.id, "grant_type": request.who.grant_type(), "mfa": proved_by});
            record_sign_in(&mut tx, &user, stamp, device, origin, details).await?;
            (tx, user, None)
        }
        SignInAs::AccessToken(credential) => {
            let (tx, user, held) = exchanged_user(db, client, credential, seen).await?;
            (tx, user, Some(held))
        }
    };
    let token = mint(
        &mut tx,
        client,
        &user,
        request.who.grant_type(),
        stamp,
        expires_at,
    )
    .await?;
    audit::record(
        &mut tx,
        Who {
            user_id: Some(user.id),
            origin,
        },
        Event {
            company_id: client.company_id,
            action: AuditAction::TokenIssued,
            target: Some(("api_client", client.id)),
            details: json!({"grant_type": request.who.grant_type(), "user_id": user.id,
                            "expires_in": expires_at - stamp, "exchanged": exchanged}),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(AppSession {
        access_token: token.into(),
        expires_at: jiff::Timestamp::from_second(expires_at)
            .map_err(|e| Error::Internal(e.to_string().into()))?,
        user: SignedInUser {
            id: user.id,
            company_id: user.company_id,
            user_type: UserType::try_from(user.user_type_id)
                .map_err(|e| Error::Internal(e.into()))?,
            first_name: user.first_name,
            last_name: user.last_name,
            email: user.email,
            department_id: user.department_id,
        },
    })
}

/// Checks the proof of the client secret against the current secret and, within its
/// overlap window, the previous one (both always, in constant time). `Ok(None)` when the
/// current one matched, `Ok(Some(end))` for the previous one, which lasts until `end`.
fn check_proof(
    key: Option<&SecretKey>,
    client: &ClientRow,
    request: &AppSignIn,
) -> Result<Option<i64>> {
    let key = key.ok_or_else(|| {
        Error::conflict(
            code::APP_SIGN_IN_UNAVAILABLE,
            None,
            "signing in with an App ID and secret needs the server's secret key (--secret-key or ROTA_SECRET_KEY)",
        )
    })?;
    let Some(sealed) = client.sealed_secret.as_deref() else {
        return Err(Error::conflict(
            code::CLIENT_SECRET_ROTATION_REQUIRED,
            None,
            "this client's secret was issued before Rota kept it sealed: regenerate it once to sign in with it",
        ));
    };
    let wrong = || {
        refused(
            code::INVALID_SECRET,
            "secret must be SHA-512 of the nonce followed by the client secret, as hex or Base64",
        )
    };
    let proof = decode_proof(request.secret.expose()).ok_or_else(wrong)?;
    let context = clients::secret_context(client.company_id, &client.app_id);
    let current = proves(&proof, &request.nonce, &key.open(&context, sealed)?);
    let overlap_end = client.previous_secret_expires_at.filter(|end| *end > now());
    let previous = match (client.previous_sealed_secret.as_deref(), overlap_end) {
        (Some(sealed), Some(_)) => proves(&proof, &request.nonce, &key.open(&context, sealed)?),
        _ => false,
    };
    if current {
        Ok(None)
    } else if previous {
        Ok(overlap_end)
    } else {
        Err(wrong())
    }
}

/// The user an API access token or key of the client's company acts as, once it is found
/// live, admitted from `seen` and holding at least what the client's token will act with;
/// with a write transaction for the token and what the credential was (`token` or `key`).
async fn exchanged_user(
    db: &Db,
    client: &ClientRow,
    credential: &Secret,
    seen: Option<IpAddr>,
) -> Result<(Tx, UserRecord, &'static str)> {
    let invalid = || {
        refused(
            code::INVALID_ACCESS_TOKEN,
            "access_token must be a live API access token or API key of this client's company",
        )
    };
    let presented = credential.expose().trim();
    let (authenticated, held) = if presented.starts_with(secret::ACCESS_TOKEN_PREFIX) {
        (tokens::authenticate(db, presented).await, "token")
    } else if presented.starts_with(secret::API_KEY_PREFIX) {
        (keys::authenticate(db, presented).await, "key")
    } else {
        return Err(invalid());
    };
    let principal = authenticated.map_err(|error| match error {
        Error::Database(_) | Error::Internal(_) => error,
        _ => invalid(),
    })?;
    if principal.actor.company_id != client.company_id {
        return Err(invalid());
    }
    principal
        .check_address(seen)
        .map_err(|_| Error::Forbidden {
            code: code::ADDRESS_NOT_ALLOWED,
            message: "this address may not use the access_token".into(),
        })?;
    let mut tx = db.begin_write().await?;
    let user = crate::people::service::load(&mut tx, client.company_id, principal.actor.user_id)
        .await?
        .ok_or_else(invalid)?;
    ensure_active(&user)?;
    let ceiling = UserType::try_from(client.role_ceiling).map_err(|e| Error::Internal(e.into()))?;
    let own = UserType::try_from(user.user_type_id).map_err(|e| Error::Internal(e.into()))?;
    if !may_exchange(
        principal.actor.role,
        &principal.scopes,
        own.min(ceiling),
        &ScopeSet::from_stored(&client.scopes),
    ) {
        return Err(Error::Forbidden {
            code: code::EXCHANGE_NOT_ALLOWED,
            message: "the access_token acts with a lower role or fewer scopes than this client's token would".into(),
        });
    }
    Ok((tx, user, held))
}

/// Mints the client's token bound to `user`, inside `tx`; clears the client's expired
/// tokens and notes its last use.
async fn mint(
    tx: &mut Tx,
    client: &ClientRow,
    user: &UserRecord,
    grant_type: &str,
    stamp: i64,
    expires_at: i64,
) -> Result<String> {
    let token = secret::new_token(secret::ACCESS_TOKEN_PREFIX);
    sqlx::query(
        "INSERT INTO api_tokens (company_id, client_id, user_id, token_hash, grant_type, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(client.company_id)
    .bind(client.id)
    .bind(user.id)
    .bind(secret::token_digest(&token))
    .bind(grant_type)
    .bind(stamp)
    .bind(expires_at)
    .execute(&mut **tx)
    .await?;
    sqlx::query(
        "DELETE FROM api_tokens WHERE company_id = $1 AND client_id = $2 AND expires_at <= $3",
    )
    .bind(client.company_id)
    .bind(client.id)
    .bind(stamp)
    .execute(&mut **tx)
    .await?;
    sqlx::query("UPDATE api_clients SET last_used_at = $1 WHERE company_id = $2 AND id = $3")
        .bind(stamp)
        .bind(client.company_id)
        .bind(client.id)
        .execute(&mut **tx)
        .await?;
    Ok(token)
}

#[cfg(test)]
mod tests;
