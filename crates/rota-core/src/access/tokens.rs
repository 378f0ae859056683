//! Bearer access tokens: minted by the client-credentials grant (RFC 6749 §4.4) for 15
//! minutes, stored as digests, and turned back into an acting [`ApiPrincipal`].
//!
//! A token row names its client and, optionally, a user it is bound to. The client-
//! credentials grant binds none (the token acts as the client's `acts_as_user_id`);
//! WhosOff's authenticate ([`crate::access::app_sign_in`]: App ID, nonce, SHA-512 of nonce
//! and secret, and a user's own sign-in) mints the same kind of row with `user_id` set and
//! `grant_type` `whosoff_authenticate` (or `whosoff_access_token`), and [`authenticate`]
//! makes it act as that user, capped by the client's ceiling.

use std::net::IpAddr;

use serde::{Deserialize, Serialize};
use serde_json::json;
use sqlx::FromRow;
use utoipa::ToSchema;

use crate::access::audit::AuditAction;
use crate::access::audit::{self, Event, Who};
use crate::access::limits::Quota;
use crate::access::principal::{ApiPrincipal, ClientIdentity, Credential};
use crate::access::{IpAllowList, Origin, ScopeSet, nonces};
use crate::db::{Db, flag, now};
use crate::error::{Error, Result};
use crate::secret;

/// How long an access token lives, in seconds.
pub const TOKEN_LIFETIME: i64 = 900;

/// Client authentication as the token endpoint received it, from the body or HTTP Basic.
#[derive(Debug, Clone)]
pub struct ClientCredentials {
    pub grant_type: String,
    /// The App ID.
    pub client_id: String,
    pub client_secret: crate::secret::Secret,
    /// The `nonce` and `timestamp` headers, owed by clients that require nonces.
    pub nonce: Option<String>,
    pub timestamp: Option<String>,
}

/// The token endpoint's answer (RFC 6749 §5.1).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AccessToken {
    /// `rota_at_…`; send as `Authorization: Bearer <token>`.
    #[schema(value_type = String)]
    pub access_token: crate::secret::Issued,
    /// Always `Bearer`.
    pub token_type: String,
    /// Seconds until the token expires: 900.
    pub expires_in: i64,
    /// The client's scopes, space-separated.
    pub scope: String,
}

/// Error codes of the token endpoint, from RFC 6749 §5.2.
pub mod oauth_code {
    pub const INVALID_REQUEST: &str = "invalid_request";
    pub const INVALID_CLIENT: &str = "invalid_client";
    pub const UNAUTHORIZED_CLIENT: &str = "unauthorized_client";
    pub const UNSUPPORTED_GRANT_TYPE: &str = "unsupported_grant_type";
}

fn invalid_client() -> Error {
    Error::Unauthenticated {
        code: oauth_code::INVALID_CLIENT,
        message: "unknown client, wrong secret, or the client or API access is revoked".into(),
    }
}

#[derive(FromRow)]
struct ClientAuthRow {
    id: i64,
    company_id: i64,
    secret_hash: String,
    previous_secret_hash: Option<String>,
    previous_secret_expires_at: Option<i64>,
    scopes: String,
    ip_allow_list: String,
    requires_nonce: i64,
    enabled: i64,
    access_enabled: Option<i64>,
    company_allow_list: Option<String>,
}

impl ClientAuthRow {
    /// Until when a token minted with `presented` may live: the usual lifetime with the
    /// current secret, no later than the end of the overlap window with the previous one;
    /// `None` when the secret matches neither. Both digests are always compared.
    fn token_expiry(&self, presented: &str, stamp: i64) -> Option<i64> {
        let current = secret::digest_matches(presented, &self.secret_hash);
        let previous = secret::digest_matches(
            presented,
            self.previous_secret_hash.as_deref().unwrap_or_default(),
        );
        let overlap_end = self.previous_secret_expires_at.unwrap_or(0);
        if current {
            Some(stamp + TOKEN_LIFETIME)
        } else if previous && overlap_end > stamp {
            Some(overlap_end.min(stamp + TOKEN_LIFETIME))
        } else {
            None
        }
    }
}

/// The client-credentials grant: checks the App ID and secret (in constant time) and the
/// caller's address, then mints a 15-minute token.
pub async fn issue(
    db: &Db,
    request: &ClientCredentials,
    ip: Option<IpAddr>,
) -> Result<AccessToken> {
    if request.grant_type != "client_credentials" {
        return Err(Error::bad_request(
            oauth_code::UNSUPPORTED_GRANT_TYPE,
            Some("grant_type"),
            "only grant_type=client_credentials is supported",
        ));
    }
    let row: Option<ClientAuthRow> = sqlx::query_as(
        "SELECT c.id, c.company_id, c.secret_hash, c.previous_secret_hash, c.previous_secret_expires_at, c.scopes, \
         c.ip_allow_list, c.requires_nonce, c.enabled, a.enabled AS access_enabled, \
         a.ip_allow_list AS company_allow_list \
         FROM api_clients c LEFT JOIN api_access a ON a.company_id = c.company_id WHERE c.app_id = $1",
    )
    .bind(&request.client_id)
    .fetch_optional(db.pool())
    .await?;
    let Some(client) = row else {
        // Spend the same digest work as a known client.
        secret::digest_matches(request.client_secret.expose(), "");
        return Err(invalid_client());
    };
    let origin = Origin {
        ip,
        api_client_id: Some(client.id),
        ..Origin::default()
    };
    let who = Who {
        user_id: None,
        origin,
    };
    let stamp = now();
    let expiry = client.token_expiry(request.client_secret.expose(), stamp);
    let secret_ok = expiry.is_some();
    let live = flag(client.enabled) && client.access_enabled.is_some_and(flag);
    let (Some(expires_at), true) = (expiry, live) else {
        let mut tx = db.begin_write().await?;
        audit::record(
            &mut tx,
            who,
            Event {
                company_id: client.company_id,
                action: AuditAction::TokenRefused,
                target: Some(("api_client", client.id)),
                details: json!({"reason": if secret_ok { "revoked" } else { "wrong_secret" }}),
            },
        )
        .await?;
        tx.commit().await?;
        return Err(invalid_client());
    };
    let company_allow =
        IpAllowList::from_stored(client.company_allow_list.as_deref().unwrap_or("[]"));
    let client_allow = IpAllowList::from_stored(&client.ip_allow_list);
    if !company_allow.admits(ip) || !client_allow.admits(ip) {
        let mut tx = db.begin_write().await?;
        audit::record(
            &mut tx,
            who,
            Event {
                company_id: client.company_id,
                action: AuditAction::TokenRefused,
                target: Some(("api_client", client.id)),
                details: json!({"reason": "address_not_allowed"}),
            },
        )
        .await?;
        tx.commit().await?;
        return Err(Error::Forbidden {
            code: oauth_code::UNAUTHORIZED_CLIENT,
            message: "this address may not use this client".into(),
        });
    }
    if flag(client.requires_nonce) {
        nonces::accept(
            db,
            client.company_id,
            client.id,
            request.nonce.as_deref(),
            request.timestamp.as_deref(),
        )
        .await?;
    }
    let token = secret::new_token(secret::ACCESS_TOKEN_PREFIX);
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "INSERT INTO api_tokens (company_id, client_id, user_id, token_hash, grant_type, created_at, expires_at) \
         VALUES ($1, $2, NULL, $3, 'client_credentials', $4, $5)",
    )
    .bind(client.company_id)
    .bind(client.id)
    .bind(secret::token_digest(&token))
    .bind(stamp)
    .bind(expires_at)
    .execute(&mut *tx)
    .await?;
    // Expired tokens of this client go as new ones come, so the table stays small.
    sqlx::query(
        "DELETE FROM api_tokens WHERE company_id = $1 AND client_id = $2 AND expires_at <= $3",
    )
    .bind(client.company_id)
    .bind(client.id)
    .bind(stamp)
    .execute(&mut *tx)
    .await?;
    sqlx::query("UPDATE api_clients SET last_used_at = $1 WHERE company_id = $2 AND id = $3")
        .bind(stamp)
        .bind(client.company_id)
        .bind(client.id)
        .execute(&mut *tx)
        .await?;
    audit::record(
        &mut tx,
        who,
        Event {
            company_id: client.company_id,
            action: AuditAction::TokenIssued,
            target: Some(("api_client", client.id)),
            details: json!({"grant_type": "client_credentials", "expires_in": expires_at - stamp}),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(AccessToken {
        access_token: token.into(),
        token_type: "Bearer".into(),
        expires_in: expires_at - stamp,
        scope: ScopeSet::from_stored(&client.scopes).names().join(" "),
    })
}

#[derive(FromRow)]
struct TokenRow {
    company_id: i64,
    client_id: i64,
    bound_user_id: Option<i64>,
    expires_at: i64,
    enabled: i64,
    scopes: String,
    role_ceiling: i64,
    acts_as_user_id: i64,
    ip_allow_list: String,
    may_act_as_users: i64,
    rate_limit_per_minute: Option<i64>,
    rate_limit_burst: Option<i64>,
    app_id: String,
    requires_nonce: i64,
    last_used_at: Option<i64>,
    access_enabled: Option<i64>,
    company_allow_list: Option<String>,
}

/// The principal behind an access token, if the token is live and its client and the
/// company's API access still enabled.
pub async fn authenticate(db: &Db, token: &str) -> Result<ApiPrincipal> {
    let unauthenticated =
        || Error::unauthenticated("the access token is missing, expired or revoked");
    if !token.starts_with(secret::ACCESS_TOKEN_PREFIX) {
        return Err(unauthenticated());
    }
    let row: TokenRow = sqlx::query_as(
        "SELECT t.company_id, t.client_id, t.user_id AS bound_user_id, t.expires_at, c.enabled, c.scopes, \
         c.role_ceiling, c.acts_as_user_id, c.ip_allow_list, c.may_act_as_users, c.rate_limit_per_minute, c.rate_limit_burst, c.app_id, c.requires_nonce, \
         c.last_used_at, a.enabled AS access_enabled, \
         a.ip_allow_list AS company_allow_list \
         FROM api_tokens t JOIN api_clients c ON c.company_id = t.company_id AND c.id = t.client_id \
         LEFT JOIN api_access a ON a.company_id = t.company_id WHERE t.token_hash = $1",
    )
    .bind(secret::token_digest(token))
    .fetch_optional(db.pool())
    .await?
    .ok_or_else(unauthenticated)?;
    let stamp = now();
    if row.expires_at <= stamp || !flag(row.enabled) || !row.access_enabled.is_some_and(flag) {
        return Err(unauthenticated());
    }
    // Last use is worth a write at most once a minute.
    if row.last_used_at.is_none_or(|at| at < stamp - 60) {
        sqlx::query("UPDATE api_clients SET last_used_at = $1 WHERE company_id = $2 AND id = $3")
            .bind(stamp)
            .bind(row.company_id)
            .bind(row.client_id)
            .execute(db.pool())
            .await?;
    }
    ApiPrincipal::new(
        db,
        Credential {
            company_id: row.company_id,
            acts_as_user_id: row.bound_user_id.unwrap_or(row.acts_as_user_id),
            role_ceiling: row.role_ceiling,
            scopes: row.scopes,
            ip_allow_list: row.ip_allow_list,
            company_allow_list: row.company_allow_list,
            may_act_as_users: flag(row.may_act_as_users),
            rate_limit: Quota::from_columns(row.rate_limit_per_minute, row.rate_limit_burst),
            client: Some(ClientIdentity {
                id: row.client_id,
                app_id: row.app_id,
                requires_nonce: flag(row.requires_nonce),
            }),
            origin: Origin {
                api_client_id: Some(row.client_id),
                ..Origin::default()
            },
        },
    )
    .await
}
