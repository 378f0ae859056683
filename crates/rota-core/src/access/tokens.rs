//! Bearer access tokens: minted by the client-credentials grant (RFC 6749 §4.4) for 15
//! minutes, stored as digests, and turned back into an acting [`ApiPrincipal`].
//!
//! A token row names its client and, optionally, a user it is bound to. The client-
//! credentials grant binds none (the token acts as the client's `acts_as_user_id`); a
//! later WhosOff-style authenticate (App ID, nonce, SHA-512 of nonce and secret, and a
//! user's own sign-in) will mint the same kind of row with `user_id` set and
//! `grant_type = 'whosoff_authenticate'`, and [`authenticate`] already honours it.

use std::net::IpAddr;

use serde::{Deserialize, Serialize};
use serde_json::json;
use sqlx::FromRow;
use utoipa::ToSchema;

use crate::access::audit::{self, Event, Who};
use crate::access::{Access, Area, IpAllowList, Origin, ScopeSet};
use crate::db::{Db, flag, now};
use crate::error::{Error, Result};
use crate::people::types::{UserStatus, UserType};
use crate::policy::Actor;
use crate::secret;

/// How long an access token lives, in seconds.
pub const TOKEN_LIFETIME: i64 = 900;

/// Client authentication as the token endpoint received it, from the body or HTTP Basic.
#[derive(Debug, Clone)]
pub struct ClientCredentials {
    pub grant_type: String,
    /// The App ID.
    pub client_id: String,
    pub client_secret: String,
}

/// The token endpoint's answer (RFC 6749 §5.1).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AccessToken {
    /// `rota_at_…`; send as `Authorization: Bearer <token>`.
    pub access_token: String,
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
    scopes: String,
    ip_allow_list: String,
    enabled: i64,
    access_enabled: Option<i64>,
    company_allow_list: Option<String>,
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
        "SELECT c.id, c.company_id, c.secret_hash, c.scopes, c.ip_allow_list, c.enabled, a.enabled AS access_enabled, \
         a.ip_allow_list AS company_allow_list \
         FROM api_clients c LEFT JOIN api_access a ON a.company_id = c.company_id WHERE c.app_id = $1",
    )
    .bind(&request.client_id)
    .fetch_optional(db.pool())
    .await?;
    let Some(client) = row else {
        // Spend the same digest work as a known client.
        secret::digest_matches(&request.client_secret, "");
        return Err(invalid_client());
    };
    let origin = Origin {
        ip,
        api_client_id: Some(client.id),
        api_key_id: None,
    };
    let who = Who {
        user_id: None,
        origin,
    };
    let secret_ok = secret::digest_matches(&request.client_secret, &client.secret_hash);
    let live = flag(client.enabled) && client.access_enabled.is_some_and(flag);
    if !secret_ok || !live {
        let mut tx = db.begin_write().await?;
        audit::record(
            &mut tx,
            who,
            Event {
                company_id: client.company_id,
                action: "token.refused",
                target: Some(("api_client", client.id)),
                details: json!({"reason": if secret_ok { "revoked" } else { "wrong_secret" }}),
            },
        )
        .await?;
        tx.commit().await?;
        return Err(invalid_client());
    }
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
                action: "token.refused",
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
    let token = secret::new_token(secret::ACCESS_TOKEN_PREFIX);
    let stamp = now();
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "INSERT INTO api_tokens (company_id, client_id, user_id, token_hash, grant_type, created_at, expires_at) \
         VALUES ($1, $2, NULL, $3, 'client_credentials', $4, $5)",
    )
    .bind(client.company_id)
    .bind(client.id)
    .bind(secret::token_digest(&token))
    .bind(stamp)
    .bind(stamp + TOKEN_LIFETIME)
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
            action: "token.issued",
            target: Some(("api_client", client.id)),
            details: json!({"grant_type": "client_credentials", "expires_in": TOKEN_LIFETIME}),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(AccessToken {
        access_token: token,
        token_type: "Bearer".into(),
        expires_in: TOKEN_LIFETIME,
        scope: ScopeSet::from_stored(&client.scopes).names().join(" "),
    })
}

/// An API client or key, acting: the user it acts as (with its role capped at the
/// ceiling), what it may touch and where from.
#[derive(Debug, Clone)]
pub struct ApiPrincipal {
    pub actor: Actor,
    pub scopes: ScopeSet,
    pub allow: IpAllowList,
    pub company_allow: IpAllowList,
}

impl ApiPrincipal {
    /// Whether the call may go ahead: from an admitted address, inside the scopes. `area`
    /// is `None` for routes outside every scope (API administration itself), which no
    /// API credential may call.
    pub fn check(&self, ip: Option<IpAddr>, area: Option<Area>, access: Access) -> Result<()> {
        self.check_address(ip)?;
        match area {
            Some(area) if self.scopes.allows(area, access) => Ok(()),
            Some(area) => Err(Error::forbidden(format!(
                "this API credential lacks the scope {}:{}",
                area.as_str(),
                if access == Access::Write {
                    "write"
                } else {
                    "read"
                }
            ))),
            None => Err(Error::forbidden(
                "API credentials may not call this route; sign in as a user",
            )),
        }
    }
}

impl ApiPrincipal {
    /// Whether `ip` is admitted by both the company's and the credential's allow-list.
    pub fn check_address(&self, ip: Option<IpAddr>) -> Result<()> {
        if !self.company_allow.admits(ip) || !self.allow.admits(ip) {
            return Err(Error::forbidden(
                "this address may not use this API credential",
            ));
        }
        Ok(())
    }
}

#[derive(FromRow)]
struct ActingUser {
    user_type_id: i64,
    status: String,
    department_id: Option<i64>,
}

/// Builds the acting principal for a credential of `company_id` that acts as `user_id`.
#[expect(
    clippy::too_many_arguments,
    reason = "one call per credential kind, each passing its stored columns"
)]
pub(crate) async fn principal(
    db: &Db,
    company_id: i64,
    user_id: i64,
    ceiling: i64,
    scopes: &str,
    allow: &str,
    company_allow: &str,
    origin: Origin,
) -> Result<ApiPrincipal> {
    let unauthenticated = || Error::unauthenticated("the API credential acts as no active user");
    let company = crate::company::load(db.pool(), company_id).await?;
    let user: ActingUser = sqlx::query_as(
        "SELECT user_type_id, status, department_id FROM users WHERE company_id = $1 AND id = $2",
    )
    .bind(company_id)
    .bind(user_id)
    .fetch_optional(db.pool())
    .await?
    .ok_or_else(unauthenticated)?;
    if user.status != UserStatus::Active.as_str() {
        return Err(unauthenticated());
    }
    let own = UserType::try_from(user.user_type_id).map_err(|e| Error::Internal(e.into()))?;
    let ceiling = UserType::try_from(ceiling).map_err(|e| Error::Internal(e.into()))?;
    let role = own.min(ceiling);
    Ok(ApiPrincipal {
        actor: Actor {
            user_id,
            company_id,
            role,
            // The owner's protections follow only a credential acting with the owner's full role.
            is_owner: company.owner_id == Some(user_id) && role.is_super_user(),
            department_id: user.department_id,
            origin,
        },
        scopes: ScopeSet::from_stored(scopes),
        allow: IpAllowList::from_stored(allow),
        company_allow: IpAllowList::from_stored(company_allow),
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
         c.role_ceiling, c.acts_as_user_id, c.ip_allow_list, c.last_used_at, a.enabled AS access_enabled, \
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
    principal(
        db,
        row.company_id,
        row.bound_user_id.unwrap_or(row.acts_as_user_id),
        row.role_ceiling,
        &row.scopes,
        &row.ip_allow_list,
        row.company_allow_list.as_deref().unwrap_or("[]"),
        Origin {
            ip: None,
            api_client_id: Some(row.client_id),
            api_key_id: None,
        },
    )
    .await
}
